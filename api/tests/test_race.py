"""Thirty patients booking the same slot over the API at once: one 201, the rest 409,
one row. Needs real concurrent transactions, so PostgreSQL only."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import session_token
from appointments.models import Appointment
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]

CLIENTS = 30


def test_thirty_clients_booking_one_slot_get_one_201_and_409s(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    doctor = DoctorFactory()
    weekly_schedule(doctor, start=(8, 0), end=(18, 0))
    visit_type = VisitTypeFactory(doctor=doctor, requires_approval=False)
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(10), tzinfo=doctor.tz)
    tokens = [session_token(PatientFactory().user) for _ in range(CLIENTS)]
    payload = {
        "doctor": doctor.pk,
        "visit_type": visit_type.pk,
        "start": start.isoformat(),
        "mode": "in_person",
    }
    barrier = threading.Barrier(CLIENTS)
    codes = [None] * CLIENTS

    def book(index):
        client = APIClient()
        client.credentials(HTTP_X_SESSION_TOKEN=tokens[index])
        try:
            barrier.wait(timeout=30)
            codes[index] = client.post(
                reverse("api:appointments"), payload, format="json"
            ).status_code
        except Exception as exc:  # kept for the assertion message
            codes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(codes, key=str) == [201] + [409] * (CLIENTS - 1), codes
    assert Appointment.objects.filter(doctor=doctor, start=start).count() == 1
