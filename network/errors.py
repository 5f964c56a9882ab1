"""Refusals of the network services, each with a message for the person and a stable
code (the API answers illegal_transition with 409, the others with 400)."""

from django.core.exceptions import ValidationError


class NetworkError(ValidationError):
    """A request refused, with a message for the person who asked."""


class IllegalTransition(NetworkError):
    def __init__(self, message, code="illegal_transition", **kwargs):
        super().__init__(message, code=code, **kwargs)
