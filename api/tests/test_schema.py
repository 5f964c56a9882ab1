"""The OpenAPI schema validates, the docs are served offline, and every documented
operation holds to its schema under generated input (schemathesis) for a patient
and for a doctor."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import session_token
from medconnect.wsgi import application

# No server error, and every answer as documented: its status, content type and body.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/appointments/" in text
    assert "X-Session-Token" in text


@pytest.mark.django_db
def test_docs_are_served_from_local_static_files(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn." not in page
    assert client.get(reverse("api:redoc")).status_code == 200
    assert client.get(reverse("api:schema")).status_code == 200


def _exercise(token):
    """Every documented operation with generated input, called in-process."""
    api_schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @FAST
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers={"X-Session-Token": token}, checks=CHECKS)

        check()


FAST = settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def unthrottled(monkeypatch):
    rates = {"user": "100000/minute", "anon": "100000/minute"}
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    # The WSGI app is called directly, not through Django's test client: keep it from
    # closing the connection that holds the test's transaction (as the client does).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_api_as_a_patient(billed_visit, unthrottled):
    _exercise(session_token(billed_visit.patient))


def test_api_as_a_doctor(billed_visit, unthrottled):
    _exercise(session_token(billed_visit.doctor.user))
