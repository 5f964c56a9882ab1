"""JSON log lines carry the request id, into the worker that runs the request's
tasks; a whole booking logs neither the patient's name nor what they typed."""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from appointments.models import Appointment
from appointments.tests.factories import free_slots_ahead
from operations.logging import formatter


@pytest.fixture
def json_logs():
    """Every log line at INFO and above, rendered as production renders it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read():
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    yield read
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_a_request_gets_an_id_answered_and_logged(client, json_logs):
    response = client.get(reverse("home"))
    given = client.get(reverse("home"), HTTP_X_REQUEST_ID="lb-req-123456")

    assert len(response["X-Request-ID"]) == 32
    assert given["X-Request-ID"] == "lb-req-123456"
    requests = [line for line in json_logs() if line["event"] == "request"]
    assert requests[-1]["request_id"] == "lb-req-123456"
    assert requests[-1]["view"] == "home"
    assert requests[-1]["status"] == 200
    assert "path" not in requests[-1]


@pytest.mark.django_db
def test_a_malformed_request_id_is_replaced(client):
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"


def test_personal_values_are_scrubbed():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "failed for asha@example.com", (), None
    )
    record.email = "asha@example.com"
    line = json.loads(formatter("json").format(record))
    assert line["event"] == "failed for [email]"
    assert line["email"] == "[removed]"


@pytest.mark.django_db(transaction=True)
def test_a_full_booking_logs_its_id_in_the_worker_and_nothing_personal(
    settings, login, patient_a, doctor, visit_type, json_logs
):
    """Booked through the page with the database task backend, then the worker runs
    the queued emails: its lines carry the booking request's id; no line holds the
    patient's name, email or the reason they typed."""
    settings.TASKS = {"default": {"BACKEND": "operations.task_backends.DatabaseBackend"}}
    slot = free_slots_ahead(doctor, visit_type, days=7)[0]
    query = f"doctor={doctor.pk}&visit_type={visit_type.pk}&start={slot.start.isoformat()}"
    url = reverse("appointments:book") + "?" + query.replace("+", "%2B")

    response = login(patient_a).post(
        url,
        {"mode": "in_person", "reason": "Chest pain at night"},
        HTTP_X_REQUEST_ID="booking-req-0001",
    )
    assert response.status_code == 302
    assert Appointment.objects.count() == 1
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)

    lines = json_logs()
    worker_lines = [line for line in lines if line["event"] in ("task_started", "task_finished")]
    assert len(worker_lines) >= 2, "the worker ran the booking's tasks"
    assert {line.get("request_id") for line in worker_lines} == {"booking-req-0001"}
    assert {line["status"] for line in worker_lines if "status" in line} == {"SUCCESSFUL"}
    text = "\n".join(json.dumps(line) for line in lines)
    for personal in ("Asha", patient_a.email, "Chest pain", "Ravi Treating"):
        assert personal not in text
