"""Input no view can use is refused before any view runs, in each interface's own
error format: a plain 400 page, the API's JSON error, a FHIR OperationOutcome."""

import json
import secrets

from django.http import HttpResponseBadRequest, JsonResponse

from inputs.json_depth import MAX_DEPTH, json_depth
from interop import mapping

NUL_MESSAGE = "The address contains a NUL character, which no field accepts."
DEEP_JSON_MESSAGE = f"The JSON body nests deeper than {MAX_DEPTH} levels."


def refuse(request, message):
    """A 400 saying `message`, in the format of the interface that was asked."""
    if request.path.startswith("/fhir/"):
        outcome = mapping.operation_outcome(code="invalid", diagnostics=message)
        return HttpResponseBadRequest(
            json.dumps(mapping.as_json(outcome)), content_type=mapping.CONTENT_TYPE
        )
    if request.path.startswith(("/api/", "/_allauth/")):
        return JsonResponse({"detail": message, "code": "invalid"}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _has_nul(request):
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    )


class RejectNulBytesMiddleware:
    """A NUL character in a query parameter reaches no lookup: PostgreSQL text cannot
    hold one, so a search filter carrying it would end in a 500. (Form and JSON
    fields refuse NUL themselves: Django's and DRF's character fields do.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return refuse(request, NUL_MESSAGE)
        return self.get_response(request)


class RejectDeepJsonMiddleware:
    """A JSON body nested beyond MAX_DEPTH would make any JSON parser (the API's,
    allauth's sign-in API) recurse into a RecursionError; it is refused unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "json" in request.content_type and json_depth(request.body) > MAX_DEPTH:
            return refuse(request, DEEP_JSON_MESSAGE)
        return self.get_response(request)


# Scripts and styles come only from this site's static files; the few inline blocks
# that must stay (Admin's and the API docs' own) carry the per-request nonce. Style
# attributes are allowed: Django Admin and Bootstrap's markup use them, and a style
# attribute cannot run script.
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Answers that may carry personal data whoever asks: the API, FHIR, the sign-in API
# and the private calendar feeds (their token is the credential).
PERSONAL_PREFIXES = ("/api/", "/fhir/", "/_allauth/", "/calendar/")


def _carries_personal_data(request, response):
    if "public" in response.get("Cache-Control", ""):
        return False  # marked public on purpose (a verified doctor's photo)
    user = getattr(request, "user", None)
    return request.path.startswith(PERSONAL_PREFIXES) or bool(user and user.is_authenticated)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy on every HTML page, and
    `Cache-Control: private, no-store` on every answer that may carry personal data:
    everything a signed-in person gets, and every API, FHIR and feed answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", CSP.format(nonce=request.csp_nonce))
        if _carries_personal_data(request, response):
            response["Cache-Control"] = "private, no-store"
        return response
