"""The appointment page links the visit to its clinical notes and prescriptions."""

from django.urls import reverse

from appointments.models import AppointmentStatus
from prescriptions.tests.factories import PrescriptionFactory, PrescriptionItemFactory


def detail_page(client, appointment):
    return client.get(reverse("appointments:detail", args=[appointment.pk])).content.decode()


def test_the_doctor_can_start_notes_and_a_prescription(login, doctor, upcoming):
    page = detail_page(login(doctor.user), upcoming)
    assert reverse("records:consultation_start", args=[upcoming.pk]) in page
    assert reverse("prescriptions:issue", args=[upcoming.pk]) in page


def test_a_pending_request_offers_no_clinical_writing(login, doctor, upcoming):
    upcoming.status = AppointmentStatus.PENDING
    upcoming.save(update_fields=["status"])
    page = detail_page(login(doctor.user), upcoming)
    assert reverse("prescriptions:issue", args=[upcoming.pk]) not in page


def test_the_patient_sees_the_prescription_but_cannot_write(login, patient_a, upcoming):
    prescription = PrescriptionFactory(appointment=upcoming)
    PrescriptionItemFactory(prescription=prescription)
    page = detail_page(login(patient_a), upcoming)
    assert reverse("prescriptions:detail", args=[prescription.pk]) in page
    assert reverse("prescriptions:pdf", args=[prescription.pk]) in page
    assert reverse("prescriptions:issue", args=[upcoming.pk]) not in page


def test_staff_see_the_visit_without_its_prescriptions(login, staff, upcoming):
    prescription = PrescriptionFactory(appointment=upcoming)
    page = detail_page(login(staff), upcoming)
    assert reverse("prescriptions:detail", args=[prescription.pk]) not in page


def test_a_completed_visit_offers_billing(login, doctor, patient_a, upcoming):
    upcoming.status = AppointmentStatus.COMPLETED
    upcoming.save(update_fields=["status"])
    doctor_page = detail_page(login(doctor.user), upcoming)
    assert reverse("billing:bill_visit", args=[upcoming.pk]) in doctor_page
    assert "Nothing to do for this appointment." not in doctor_page
    patient_page = detail_page(login(patient_a), upcoming)
    assert reverse("billing:my_bills") in patient_page
    assert reverse("billing:bill_visit", args=[upcoming.pk]) not in patient_page
