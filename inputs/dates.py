"""Dates and times as the clinic accepts them, for forms, serializers and FHIR.

Python's calendar ends at year 1 and 9999; code that adds a day, a week or a time
zone offset to a date near either end overflows (a 500). Every date or time a
person or a client sends is kept inside `FIRST_DATE`..`LAST_DATE`, far from both
ends, so the arithmetic after it never overflows.

A date-time without an offset is read in the clinic's zone (`settings.TIME_ZONE`),
on the pages, the API and FHIR alike.
"""

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)
OUT_OF_RANGE = f"Enter a date between {FIRST_DATE:%d %B %Y} and {LAST_DATE:%d %B %Y}."
# Longer text is no date or time: refused before parsing.
MAX_LENGTH = 40


def clinic_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def check_date(day):
    """`day` itself, or a ValidationError when it lies outside the accepted range."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")
    return day


def check_instant(value):
    """An aware datetime inside the range; a naive one is read in the clinic's zone."""
    check_date(value.date())
    if timezone.is_naive(value):
        value = value.replace(tzinfo=clinic_zone())
    return value


def parse_date(raw):
    """A `YYYY-MM-DD` date, or None when the text is not one; ValidationError when it
    is a date outside the range."""
    raw = (raw or "").strip()
    if len(raw) > MAX_LENGTH:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return check_date(day)


def parse_instant(raw):
    """An ISO 8601 date-time as an aware datetime, or None when the text is not one;
    ValidationError when it is outside the range."""
    raw = (raw or "").strip()
    if len(raw) > MAX_LENGTH:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return check_instant(value)


# Forms ---------------------------------------------------------------------------------


class DateField(forms.DateField):
    """A form date inside the accepted range. A field with a narrower range of its
    own (a date of birth) overrides `check` to say so in its own words."""

    def check(self, day):
        return check_date(day)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > MAX_LENGTH:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day = super().to_python(value)
        return self.check(day) if day is not None else None


class DateTimeField(forms.DateTimeField):
    """A form date-time inside the accepted range; without an offset, in the clinic's
    zone."""

    def to_python(self, value):
        if isinstance(value, str):
            if len(value) > MAX_LENGTH:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            parsed = parse_instant(value)
            if parsed is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return parsed
        instant = super().to_python(value)
        return check_instant(instant) if instant is not None else None


# API -----------------------------------------------------------------------------------


def _as_drf(exc):
    return serializers.ValidationError(exc.messages, code="date_out_of_range")


class ApiDateField(serializers.DateField):
    """An API date inside the accepted range."""

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value) > MAX_LENGTH:
            self.fail("invalid", format="YYYY-MM-DD")
        day = super().to_internal_value(value)
        try:
            return check_date(day)
        except ValidationError as exc:
            raise _as_drf(exc) from exc


class ApiDateTimeField(serializers.DateTimeField):
    """An API date-time inside the accepted range; without an offset, in the clinic's
    zone."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            if len(value) > MAX_LENGTH:
                self.fail("invalid", format="ISO 8601")
            try:
                parsed = parse_instant(value)
            except ValidationError as exc:
                raise _as_drf(exc) from exc
            if parsed is None:
                self.fail("invalid", format="ISO 8601, e.g. 2026-03-02T09:30+05:30")
            return parsed
        if isinstance(value, dt.datetime):
            try:
                return check_instant(value)
            except ValidationError as exc:
                raise _as_drf(exc) from exc
        self.fail("invalid", format="ISO 8601")
