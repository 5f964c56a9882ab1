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


def test_the_doctor_reaches_the_patients_record_from_the_appointment(
    login, doctor, patient_a, upcoming
):
    page = detail_page(login(doctor.user), upcoming)
    assert reverse("records:patient", args=[patient_a.pk]) in page
    assert reverse("records:history", args=[patient_a.pk]) in page
    # The patient reads their own appointment without a link to "the patient's record".
    assert reverse("records:patient", args=[patient_a.pk]) not in detail_page(
        login(patient_a), upcoming
    )


def test_a_billed_visit_shows_its_invoice_state_instead_of_bill_this_visit(
    login, doctor, staff, patient_a
):
    from appointments.tests.factories import PastVisitFactory
    from billing.services import invoice_mark_paid
    from billing.tests.factories import issued_invoice

    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    client = login(doctor.user)
    assert "Bill this visit" in detail_page(client, visit)

    invoice = issued_invoice(appointment=visit)
    page = detail_page(client, visit)
    assert "Bill this visit" not in page
    assert f"Invoice {invoice.number}" in page and "Unpaid" in page
    invoice_mark_paid(invoice=invoice, actor=doctor.user, method="cash")
    page = detail_page(client, visit)
    assert "Paid" in page and reverse("billing:invoice_detail", args=[invoice.pk]) in page
    assert "Bill this visit" not in detail_page(login(staff), visit)
