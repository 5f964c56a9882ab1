"""Limits of free text that make sense for the field: characters and lines."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@deconstructible
class MaxLinesValidator:
    """At most `limit` lines: a note is a few pages, not thousands of empty lines."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        lines = str(value or "").count("\n") + 1
        if lines > self.limit:
            raise ValidationError(
                f"Keep this to at most {self.limit} lines (it has {lines}).", code="max_lines"
            )

    def __eq__(self, other):
        return isinstance(other, MaxLinesValidator) and other.limit == self.limit
