"""Plumbing shared by every app's API views: login handling, file answers and
reading validated input."""

from django.contrib.auth.decorators import login_not_required
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView


class LoginExempt:
    """DRF authenticates API callers itself (token or cookie) and answers 401, so
    Django's LoginRequiredMiddleware, which would redirect to the login page, lets
    these views through."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class FileRenderer(BaseRenderer):
    """Lets a client ask for a file (Accept: application/pdf, image/png, ...)."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class FileView(LoginExempt, APIView):
    renderer_classes = [JSONRenderer, FileRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when the client asked for a file.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def read_query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def read_body(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
