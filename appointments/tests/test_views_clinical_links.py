"""The appointment page links the visit to its clinical notes and prescriptions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory
from prescriptions.tests.factories import PrescriptionFactory, PrescriptionItemFactory


@pytest.fixture
def confirmed(doctor, patient_a):
    return AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        status=AppointmentStatus.CONFIRMED,
        start=timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=2),
    )


def detail(client, appointment):
    return client.get(reverse("appointments:detail", args=[appointment.pk])).content.decode()


def test_the_doctor_can_start_notes_and_a_prescription(login, doctor, confirmed):
    page = detail(login(doctor.user), confirmed)
    assert reverse("records:consultation_start", args=[confirmed.pk]) in page
    assert reverse("prescriptions:issue", args=[confirmed.pk]) in page


def test_a_pending_request_offers_no_clinical_writing(login, doctor, confirmed):
    confirmed.status = AppointmentStatus.PENDING
    confirmed.save(update_fields=["status"])
    page = detail(login(doctor.user), confirmed)
    assert reverse("prescriptions:issue", args=[confirmed.pk]) not in page


def test_the_patient_sees_the_prescription_but_cannot_write(login, patient_a, confirmed):
    prescription = PrescriptionFactory(appointment=confirmed)
    PrescriptionItemFactory(prescription=prescription)
    page = detail(login(patient_a), confirmed)
    assert reverse("prescriptions:detail", args=[prescription.pk]) in page
    assert reverse("prescriptions:pdf", args=[prescription.pk]) in page
    assert reverse("prescriptions:issue", args=[confirmed.pk]) not in page


def test_staff_see_the_visit_without_its_prescriptions(login, staff, confirmed):
    prescription = PrescriptionFactory(appointment=confirmed)
    page = detail(login(staff), confirmed)
    assert reverse("prescriptions:detail", args=[prescription.pk]) not in page


def test_a_completed_visit_offers_billing(login, doctor, patient_a, confirmed):
    confirmed.status = AppointmentStatus.COMPLETED
    confirmed.save(update_fields=["status"])
    doctor_page = detail(login(doctor.user), confirmed)
    assert reverse("billing:bill_visit", args=[confirmed.pk]) in doctor_page
    assert "Nothing to do for this appointment." not in doctor_page
    patient_page = detail(login(patient_a), confirmed)
    assert reverse("billing:my_bills") in patient_page
    assert reverse("billing:bill_visit", args=[confirmed.pk]) not in patient_page
