"""Every date and date-time field of every form and input serializer of the project refuses
the edges of the calendar with a clear message (a ValidationError, not an overflow),
and reads a time without an offset in the clinic's zone."""

import datetime as dt
import importlib
import pkgutil
import re
import zoneinfo
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from rest_framework import serializers

from inputs import dates

ROOT = Path(__file__).resolve().parents[2]
EDGES = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "1899-12-31",
    "2200-01-01T00:00Z",
]


def _load_project_modules():
    for config in apps.get_app_configs():
        path = Path(config.path)
        if ROOT not in path.parents:
            continue
        for info in pkgutil.iter_modules([str(path)]):
            if info.name in ("forms", "api", "views", "serializers"):
                importlib.import_module(f"{config.name}.{info.name}")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _is_project(cls):
    # The virtualenv may live inside the repository (CI puts it there): not ours.
    path = Path(importlib.import_module(cls.__module__).__file__).resolve()
    return path.is_relative_to(ROOT) and "site-packages" not in path.parts


def form_date_fields():
    _load_project_modules()
    found = []
    for form in _subclasses(forms.BaseForm):
        if not _is_project(form):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField) or (
                type(field).__name__ == "InstantField"
            ):
                found.append((f"{form.__module__}.{form.__name__}.{name}", field))
    return found


# How a view reads a request with a serializer, or documents that it does.
INPUT_USE = re.compile(
    r"(?:read_body|read_query)\((\w+)|(\w+Serializer)\(data=|request=(\w+Serializer)"
    r"|parameters=\[(\w+Serializer)|input_serializer = (\w+Serializer)"
)


def input_serializer_names():
    """Names of the serializers that read requests: answers have serializers of their
    own, whose date fields only ever write."""
    names = set()
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        for match in INPUT_USE.finditer(path.read_text(errors="replace")):
            names.update(name for name in match.groups() if name)
    return names


def serializer_date_fields():
    _load_project_modules()
    inputs_read = input_serializer_names()
    found = []
    for serializer in _subclasses(serializers.Serializer):
        if not _is_project(serializer) or serializer.__name__ not in inputs_read:
            continue
        try:
            fields = serializer().fields
        except Exception:  # noqa: BLE001 - some need context; their declared fields then
            fields = serializer._declared_fields
        for name, field in fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.DateField | serializers.DateTimeField):
                found.append((f"{serializer.__module__}.{serializer.__name__}.{name}", field))
    return found


def test_the_walk_finds_the_date_fields_of_pages_and_api():
    form_names = {name for name, _ in form_date_fields()}
    api_names = {name for name, _ in serializer_date_fields()}
    assert "appointments.forms.AgendaForm.date" in form_names
    assert "schedules.forms.TimeOffForm.start_date" in form_names
    assert "appointments.forms.RescheduleForm.new_start" in form_names
    assert "directory.api.SlotQuerySerializer.start" in api_names
    assert "appointments.api.RescheduleSerializer.new_start" in api_names


@pytest.mark.parametrize("value", EDGES)
def test_every_form_date_field_refuses_the_calendar_edges(value):
    for name, field in form_date_fields():
        with pytest.raises(ValidationError):
            field.clean(value)
            pytest.fail(f"{name} accepted {value}")


@pytest.mark.parametrize("value", EDGES)
def test_every_api_date_field_refuses_the_calendar_edges(value):
    for name, field in serializer_date_fields():
        with pytest.raises(serializers.ValidationError):
            field.run_validation(value)
            pytest.fail(f"{name} accepted {value}")


def test_a_time_without_an_offset_is_in_the_clinic_zone_everywhere(settings):
    settings.TIME_ZONE = "Europe/London"
    london = zoneinfo.ZoneInfo("Europe/London")
    expected = dt.datetime(2027, 7, 1, 9, 30, tzinfo=london)
    from appointments.forms import InstantField

    assert dates.parse_instant("2027-07-01T09:30") == expected
    assert InstantField().clean("2027-07-01T09:30") == expected
    assert dates.ApiDateTimeField().run_validation("2027-07-01T09:30") == expected
