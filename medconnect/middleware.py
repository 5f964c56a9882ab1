"""Input no view can use is refused before any view runs."""

import json

from django.http import HttpResponseBadRequest, JsonResponse

from interop import mapping

NUL_MESSAGE = "The address contains a NUL character, which no field accepts."


def _has_nul(request):
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    )


class RejectNulBytesMiddleware:
    """A NUL character in a query parameter reaches no lookup: PostgreSQL text cannot
    hold one, so a search filter carrying it would end in a 500. The page, the API
    and FHIR each answer 400 in their own format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _has_nul(request):
            return self.get_response(request)
        if request.path.startswith("/fhir/"):
            outcome = mapping.operation_outcome(code="invalid", diagnostics=NUL_MESSAGE)
            return HttpResponseBadRequest(
                json.dumps(mapping.as_json(outcome)), content_type=mapping.CONTENT_TYPE
            )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": NUL_MESSAGE, "code": "invalid"}, status=400)
        return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
