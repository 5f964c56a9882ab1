"""Every route (pages, API, FHIR) walked with hostile values in every path parameter,
query parameter, form field and JSON field: the edges of the calendar, huge and
negative numbers, NUL, very long strings, deeply nested JSON. Nothing may answer 5xx.

Parameter names come from every form and serializer of the project and the FHIR
search parameters, so a new field is walked without being listed here. Each request
sets every name to the same value, so a view that reads one parameter raw gets the
hostile value; a form that refuses another field first may stop before its date, which
is why inputs/tests/test_date_fields.py checks every date field of every form and
serializer on its own."""

import json

import pytest
from django import forms
from django.test import Client
from rest_framework import serializers

from accounts.tests.factories import session_token
from accounts.tests.test_url_access import SAMPLE_BY_CONVERTER, all_routes

pytestmark = pytest.mark.django_db

HOSTILE = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59",
    "ge0001-01-01",
    "lt9999-12-31",
    "99999999999999999999999",
    "-99999999999999999999999",
    "-1",
    "x" * 5000,
    "a\x00b",
]
HOSTILE_PATH = ["0", "99999999999999999999999", "x" * 300]
FHIR_PARAMS = ["_count", "_page", "date", "start", "status", "schedule", "practitioner", "name"]
DEEP_JSON = "[" * 5000 + "]" * 5000


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project(cls):
    return not cls.__module__.startswith(("django.", "rest_framework", "allauth", "drf_"))


def field_names():
    """Every field name of every form and serializer the project declares."""
    names = set(FHIR_PARAMS) | {"page", "page_size", "view", "week"}
    for form in _subclasses(forms.BaseForm):
        if _project(form):
            names |= set(getattr(form, "base_fields", {}))
    for serializer in _subclasses(serializers.Serializer):
        if _project(serializer):
            names |= set(getattr(serializer, "_declared_fields", {}))
    return sorted(names)


def _clients(user):
    """(pages client, API client) for `user`: the API with its session token."""
    page = Client(raise_request_exception=False)
    api = Client(raise_request_exception=False)
    if user is not None:
        page.force_login(user)
        api = Client(raise_request_exception=False, HTTP_X_SESSION_TOKEN=session_token(user))
    return page, api


def _urls(url_with_ones):
    """The route with its sample id (real rows exist with id 1) and with hostile ids."""
    yield url_with_ones, True
    one = "/" + SAMPLE_BY_CONVERTER["int"] + "/"
    if one in url_with_ones:
        for value in HOSTILE_PATH:
            yield url_with_ones.replace(one, f"/{value}/"), False


# Form posts: the values that reach parsing and arithmetic (the rest only as queries).
POSTED = [v for v in HOSTILE if not v.startswith(("ge", "lt"))]


def _is_api(url):
    return url.startswith(("/api/", "/fhir/", "/_allauth/"))


def _requests(url, names, *, post):
    """(method, kwargs, label) of the hostile requests for one URL."""
    for value in HOSTILE:
        if value.startswith(("ge", "lt")) and not url.startswith("/fhir/"):
            continue
        yield "get", {"data": dict.fromkeys(names, value)}, value
    if not post:
        return
    for value in POSTED:
        data = dict.fromkeys(names, value)
        if _is_api(url):
            yield "post", {"data": json.dumps(data), "content_type": "application/json"}, value
        else:
            yield "post", {"data": data}, value
    if _is_api(url):
        yield "post", {"data": DEEP_JSON, "content_type": "application/json"}, "nested JSON"


def _walk(user, names):
    page, api = _clients(user)
    failures = []
    for route, name in all_routes():
        if name.startswith("admin:") or route.startswith("/static/"):
            continue
        client = api if _is_api(route) else page
        for url, with_fields in _urls(route):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"GET {url} ({name}): {response.status_code}")
            if not with_fields:
                continue
            for method, kwargs, label in _requests(url, names, post=user is not None):
                response = getattr(client, method)(url, **kwargs)
                if response.status_code >= 500:
                    failures.append(
                        f"{method.upper()} {url} ({name}) {label[:30]!r}: {response.status_code}"
                    )
    return failures


@pytest.mark.timeout(900)
@pytest.mark.parametrize("persona", ["patient", "doctor", "anonymous"])
def test_no_route_answers_5xx_to_hostile_input(billed_visit, upcoming, persona):
    names = field_names()
    assert {"date", "start", "new_start", "date_from", "start_date", "_page"} <= set(names)
    user = {
        "patient": billed_visit.patient,
        "doctor": billed_visit.doctor.user,
        "anonymous": None,
    }[persona]
    assert _walk(user, names) == []
