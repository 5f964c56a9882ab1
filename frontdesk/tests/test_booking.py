"""Staff book for a patient through the same booking service: walk-ins registered by
name and phone, the patient told, everything audited."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from appointments.forms import format_instant
from appointments.models import Appointment, AppointmentStatus
from appointments.tests.factories import free_starts_ahead
from audit.models import AuditEvent
from notifications.models import Notification

from .conftest import BOOK, WALK_IN

pytestmark = pytest.mark.django_db


def test_staff_register_a_walk_in_with_a_name_and_a_phone(staff_client, staff):
    response = staff_client.post(WALK_IN, {"full_name": "Kiran Walkin", "phone": "+91 98450 11111"})

    patient = User.objects.get(full_name="Kiran Walkin")
    assert response.status_code == 302
    assert response["Location"] == f"{BOOK}?patient={patient.pk}"
    assert patient.role == "patient"
    assert not patient.has_usable_password()
    assert not patient.has_deliverable_email
    assert patient.patient_profile.phone == "+91 98450 11111"
    assert patient.patient_profile.date_of_birth is None
    assert AuditEvent.objects.filter(actor=staff, patient=patient, action="create").exists()


def test_a_walk_in_needs_a_valid_name_and_phone(staff_client):
    response = staff_client.post(WALK_IN, {"full_name": "K", "phone": "call me"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a phone number of 8 to 20 digits" in page
    assert "at least 2 characters" in page


def test_staff_find_patients_by_name_phone_or_email(staff_client, patient_a, walk_in):
    page = staff_client.get(BOOK, {"q": "98450 11111"}).content.decode()
    assert "Kiran Walkin" in page and "Asha Patient" not in page
    page = staff_client.get(BOOK, {"q": "asha@"}).content.decode()
    assert "Asha Patient" in page and "Kiran Walkin" not in page


def test_the_visit_type_step_lists_verified_doctors_only(
    staff_client, walk_in, visit_type, unverified_doctor
):
    page = staff_client.get(BOOK, {"patient": walk_in.pk}).content.decode()
    assert "Dr. Ravi Treating: Consultation (30 min)" in page
    assert "Uma Pending" not in page


def _slot_url(patient, doctor, visit_type, start):
    day = start.astimezone(doctor.tz).date()
    return f"{BOOK}?patient={patient.pk}&visit_type={visit_type.pk}&day={day}"


def _book(staff_client, patient, doctor, visit_type, start, **extra):
    url = _slot_url(patient, doctor, visit_type, start)
    data = {"start": format_instant(start), "mode": "in_person", "reason": "Fever", **extra}
    return staff_client.post(url, data)


def test_staff_book_a_walk_in_through_the_booking_service(
    staff_client, staff, walk_in, doctor, visit_type, django_capture_on_commit_callbacks
):
    start = free_starts_ahead(doctor, visit_type, days_ahead=2)[0]
    url = _slot_url(walk_in, doctor, visit_type, start)
    page = staff_client.get(url).content.decode()
    assert start.isoformat() in page  # the slot engine's free time is offered

    with django_capture_on_commit_callbacks(execute=True):
        response = _book(staff_client, walk_in, doctor, visit_type, start)

    appointment = Appointment.objects.get(patient=walk_in)
    assert appointment.start == start
    assert appointment.created_by == staff
    assert appointment.status == AppointmentStatus.PENDING  # the visit type asks the doctor
    # Walk-ins are invited to claim their account next.
    assert response["Location"] == reverse("admin:frontdesk_invite", args=[walk_in.pk])
    notice = Notification.objects.get(recipient=walk_in)
    assert notice.body.startswith("Sam Staff booked Consultation for you")
    assert [m.to for m in mail.outbox] == [[doctor.user.email]]  # no email to a walk-in
    assert appointment.events.get().actor == staff
    assert AuditEvent.objects.filter(actor=staff, object_id=str(appointment.pk)).exists()


def test_a_registered_patient_is_emailed_when_the_desk_books(
    staff_client, patient_a, doctor, visit_type, django_capture_on_commit_callbacks
):
    start = free_starts_ahead(doctor, visit_type, days_ahead=2)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = _book(staff_client, patient_a, doctor, visit_type, start)

    assert response.status_code == 302
    assert "/admin/frontdesk/deskvisit/?day=" in response["Location"]
    [message] = [m for m in mail.outbox if patient_a.email in m.to]
    assert "Sam Staff booked Consultation for you" in message.body
    assert any(not isinstance(a, tuple) for a in message.attachments)  # the calendar file


def test_a_taken_slot_is_a_409_with_the_free_times_again(
    staff_client, walk_in, patient_a, doctor, visit_type
):
    start = free_starts_ahead(doctor, visit_type, days_ahead=2)[0]
    _book(staff_client, patient_a, doctor, visit_type, start)

    response = _book(staff_client, walk_in, doctor, visit_type, start)

    assert response.status_code == 409
    assert "This time was just taken" in response.content.decode()
    assert not Appointment.objects.filter(patient=walk_in).exists()


def test_bad_booking_input_is_a_400_not_a_500(staff_client, walk_in, doctor, visit_type):
    url = f"{BOOK}?patient={walk_in.pk}&visit_type={visit_type.pk}"
    assert staff_client.post(url, {"start": "yesterday", "mode": "in_person"}).status_code == 400
    assert staff_client.get(f"{BOOK}?patient=99999").status_code == 404
    assert staff_client.get(f"{BOOK}?patient={walk_in.pk}&visit_type=99999").status_code == 404
    assert staff_client.get(f"{BOOK}?patient={walk_in.pk}&day=2026-02-31").status_code == 200
