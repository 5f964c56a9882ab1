"""Error pages that hold no patient data and need no database."""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from interop import mapping

# While the database is unreachable (a restart, a failover) the answer is a
# short 503 a load balancer or client can retry, not a 500.
RETRY_AFTER_SECONDS = 5


def _is_database_outage(exc):
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    exc = sys.exc_info()[1]
    outage = _is_database_outage(exc)
    status = 503 if outage else 500
    if request.path.startswith(("/api/", "/fhir/")):
        detail = (
            _("The service is briefly unavailable. Please retry in a few seconds.")
            if outage
            else _("Something went wrong on our side.")
        )
        response = JsonResponse({"detail": str(detail)}, status=status)
    else:
        # Rendered without a request context: context processors would query the database.
        body = loader.get_template("503.html" if outage else "500.html").render()
        response = HttpResponse(body, status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_not_found(request, exception):
    """A route that does not match (e.g. /api/v1/appointments/abc/): the API and FHIR
    answer in their own format, pages with the 404 page."""
    if request.path.startswith("/fhir/"):
        outcome = mapping.operation_outcome(code="not-found", diagnostics="Not found.")
        return HttpResponse(
            json.dumps(mapping.as_json(outcome)), content_type=mapping.CONTENT_TYPE, status=404
        )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
