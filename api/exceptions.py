"""One error format for the whole API: {"detail": ..., "code": ..., "errors": {...}}.

Refusals from the domain services reach the caller as 4xx, never as a 500:
a ValidationError is a 400; one whose code says the request conflicts with the
current state (a slot just taken, a status change the status machine refuses) is a
409; a service's PermissionDenied is the 404 an outsider sees anyway.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

# Codes of a service's ValidationError that mean "conflicts with the current state".
CONFLICT_CODES = frozenset({"slot_taken", "illegal_transition"})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state.")
    default_code = "conflict"


def _django_validation_payload(exc):
    messages = exc.messages
    body = {
        "detail": " ".join(str(m) for m in messages) or str(_("Invalid input.")),
        "code": "invalid",
    }
    code = getattr(exc, "code", None)
    if code:
        body["code"] = code
    if hasattr(exc, "error_dict"):
        body["errors"] = {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in errors]
            for field, errors in exc.message_dict.items()
        }
    return body


def _first_message(data):
    if isinstance(data, list):
        return _first_message(data[0]) if data else ""
    if isinstance(data, dict):
        for key, value in data.items():
            text = _first_message(value)
            if text:
                return text if key in ("non_field_errors", "detail") else f"{key}: {text}"
        return ""
    return str(data)


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError) and getattr(exc, "code", None) in CONFLICT_CODES:
        return Response(_django_validation_payload(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(_django_validation_payload(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied | Http404):
        exc = exceptions.NotFound(_("Not found."))

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "detail": _first_message(errors) or str(_("Invalid input.")),
            "code": "invalid",
            "errors": errors,
        }
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "detail": str(detail),
            "code": codes if isinstance(codes, str) else "error",
        }
    return response
