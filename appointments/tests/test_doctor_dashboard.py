"""The doctor's dashboard: today, the next days, requests to answer, notes to sign,
completed visits not billed yet and recent patients, at a fixed query cost."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory, PastVisitFactory, local_time
from billing.tests.factories import issued_invoice
from patients.tests.factories import PatientFactory
from records import services as record_services

S = AppointmentStatus
pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_doctors_working_week(login, doctor, patient_a, patient_b):
    today = timezone.now().astimezone(doctor.tz).date()
    AppointmentFactory(
        doctor=doctor, patient=patient_a, start=local_time(doctor, today + dt.timedelta(days=2), 10)
    )
    AppointmentFactory(
        doctor=doctor,
        patient=patient_b,
        status=S.CANCELLED,
        start=local_time(doctor, today + dt.timedelta(days=2), 11),
    )
    AppointmentFactory(
        doctor=doctor,
        patient=patient_b,
        status=S.PENDING,
        start=local_time(doctor, today + dt.timedelta(days=3), 9),
    )
    draft_visit = PastVisitFactory(doctor=doctor, patient=patient_a, status=S.CONFIRMED)
    record_services.consultation_record_create(
        appointment=draft_visit, author=doctor.user, presenting_complaint="Cough"
    )
    unbilled = PastVisitFactory(doctor=doctor, patient=patient_b)
    billed = PastVisitFactory(doctor=doctor, patient=patient_a)
    issued_invoice(appointment=billed)

    page = login(doctor.user).get(reverse("doctor_dashboard")).content.decode()

    next_days = page[page.index("Next days") : page.index("Requests waiting for you")]
    in_two_days = today + dt.timedelta(days=2)
    assert f"{in_two_days:%A} {in_two_days.day} {in_two_days:%B}" in next_days
    assert "10:00 Asha Patient" in next_days
    assert "11:00 Bela Patient" not in next_days  # cancelled
    assert "09:00 Bela Patient" in next_days and "Pending" in next_days
    requests = page[page.index("Requests waiting for you") : page.index("Notes to sign")]
    assert "Bela Patient" in requests
    drafts = page[page.index("Notes to sign") : page.index("Completed, not billed yet")]
    assert "Asha Patient, visit of" in drafts
    billing = page[page.index("Completed, not billed yet") : page.index("Recent patients")]
    assert reverse("billing:bill_visit", args=[unbilled.pk]) in billing
    assert reverse("billing:bill_visit", args=[billed.pk]) not in billing
    recent = page[page.index("Recent patients") :]
    assert recent.count("Asha Patient") == 1 and "Bela Patient" in recent


def _busy(doctor, count, offset=0):
    today = timezone.now().astimezone(doctor.tz).date()
    for n in range(offset, offset + count):
        patient = PatientFactory().user
        AppointmentFactory(
            doctor=doctor,
            patient=patient,
            start=local_time(doctor, today + dt.timedelta(days=1 + n % 6), 7 + n // 6),
        )
        AppointmentFactory(
            doctor=doctor,
            patient=patient,
            status=S.PENDING,
            start=local_time(doctor, today + dt.timedelta(days=30 + n // 10), 8 + n % 10),
        )
        PastVisitFactory(doctor=doctor, patient=patient)
        record_services.consultation_record_create(
            appointment=PastVisitFactory(doctor=doctor, patient=patient, status=S.CONFIRMED),
            author=doctor.user,
        )


def test_the_dashboard_costs_the_same_queries_with_many_visits(
    login, doctor, django_assert_num_queries
):
    client = login(doctor.user)
    _busy(doctor, 10)
    client.get(reverse("doctor_dashboard"))
    with django_assert_num_queries(11):
        client.get(reverse("doctor_dashboard"))
    _busy(doctor, 30, offset=10)
    with django_assert_num_queries(11):
        page = client.get(reverse("doctor_dashboard")).content.decode()
    assert "All 40 requests" in page
