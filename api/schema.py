"""OpenAPI pieces shared by every endpoint: the X-Session-Token security scheme
and the documented error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from .serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "Invalid input; `errors` names the fields.",
    401: "Not signed in, or the session token expired.",
    403: "Two-factor authentication must be set up first (doctors and staff).",
    404: "No such object, or not one the caller may see.",
    409: "The slot was just taken, or the status change is not allowed.",
    429: "Too many requests; retry later.",
}


def errors(*codes):
    """Documented error responses, each with the common error body."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


# Every endpoint that needs a signed-in person.
SIGNED_IN = (401, 403, 429)


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The session token from POST /_allauth/app/v1/auth/login.",
        }


def document_page_errors(result, generator, request, public):
    """Every paginated list answers 400 for a page that does not exist
    (api.pagination): say so in each list's responses."""
    error = {
        "description": ERROR_DESCRIPTIONS[400],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if "page" in names:
                operation["responses"].setdefault("400", error)
    return result
