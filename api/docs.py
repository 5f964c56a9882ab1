"""The OpenAPI schema and its offline Swagger and Redoc pages."""

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from .base import LoginExempt


class SchemaView(LoginExempt, SpectacularAPIView):
    permission_classes = [AllowAny]


class SwaggerView(LoginExempt, SpectacularSwaggerView):
    permission_classes = [AllowAny]


class RedocView(LoginExempt, SpectacularRedocView):
    permission_classes = [AllowAny]
