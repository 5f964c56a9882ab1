"""Refusals of the appointment services, each with a message for the person who asked
and a stable code (the API answers slot_taken and illegal_transition with 409)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


class BookingError(ValidationError):
    """A booking or change refused, with a message for the person who asked."""


SLOT_TAKEN = gettext_lazy("This slot was just taken.")


class SlotTaken(BookingError):
    def __init__(self, message=SLOT_TAKEN, code="slot_taken", **kwargs):
        super().__init__(message, code=code, **kwargs)


class IllegalTransition(BookingError):
    def __init__(self, message, code="illegal_transition", **kwargs):
        super().__init__(message, code=code, **kwargs)
