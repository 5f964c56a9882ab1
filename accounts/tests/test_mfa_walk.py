"""Nothing that names a patient reaches a doctor or staff member before two-factor:
every route (pages, API, FHIR), walked as a doctor and as staff who have not enrolled,
with a patient's booking and its notices present, answers without the patient's name."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import StaffFactory, session_token
from accounts.tests.test_url_access import all_routes
from appointments.models import AppointmentStatus
from appointments.notices import notify_booked
from appointments.tests.factories import AppointmentFactory
from doctors.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_before_two_factor(patient_a):
    doctor = DoctorFactory(user__email="new.doctor@example.com")
    appointment = AppointmentFactory(
        doctor=doctor, patient=patient_a, status=AppointmentStatus.PENDING
    )
    notify_booked(appointment, patient_a)
    return doctor.user


def _leaks(client, name_fragments):
    found = []
    for url, name in all_routes():
        if name.startswith("admin:") and name != "admin:index":
            continue  # Admin pages answer the same gate as admin:index
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode(errors="replace")
        if any(fragment in text for fragment in name_fragments):
            found.append(f"{url} ({name}): {response.status_code}")
    return found


@pytest.mark.parametrize("interface", ["pages", "api"])
def test_a_doctor_without_two_factor_sees_no_patient_name_anywhere(
    booked_before_two_factor, patient_a, interface
):
    user = booked_before_two_factor
    assert (
        user.notifications.filter(title__contains="Asha").exists()
        or user.notifications.filter(body__contains="Asha").exists()
    )
    if interface == "pages":
        client = Client()
        client.force_login(user)
    else:
        client = APIClient()
        client.credentials(HTTP_X_SESSION_TOKEN=session_token(user))
    assert _leaks(client, ["Asha Patient", patient_a.email]) == []


def test_staff_without_two_factor_see_no_patient_name_anywhere(booked_before_two_factor, patient_a):
    client = Client()
    client.force_login(StaffFactory(email="new.staff@example.com"))
    assert _leaks(client, ["Asha Patient", patient_a.email]) == []
