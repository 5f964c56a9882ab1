"""The OpenAPI schema and its offline Swagger and Redoc pages."""

from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny

from .base import LoginExempt


class SchemaView(LoginExempt, SpectacularAPIView):
    permission_classes = [AllowAny]


class SwaggerView(LoginExempt, SpectacularSwaggerSplitView):
    """Its script is served from its own URL (?script), not inline: the pages'
    Content-Security-Policy allows no inline script."""

    permission_classes = [AllowAny]


class RedocView(LoginExempt, SpectacularRedocView):
    permission_classes = [AllowAny]
