"""Every booking tells the patient, with the calendar file; each email offers only
what its recipient can still do, and shows their own time zone beside the doctor's."""

import pytest
from django.urls import reverse

from appointments.services import appointment_cancel, appointment_decline
from notifications.models import Notification

from .conftest import emails_to, ics_of

SITE = "http://127.0.0.1:8103"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.MEDCONNECT_SITE_URL = SITE


def _book(book_slot, capture, **kwargs):
    with capture(execute=True):
        return book_slot(**kwargs)


@pytest.mark.django_db
def test_a_booking_confirmed_at_once_emails_the_patient_with_the_calendar_file(
    book_slot, visit_type, patient_a, django_capture_on_commit_callbacks
):
    visit_type.requires_approval = False
    visit_type.save()
    appointment = _book(book_slot, django_capture_on_commit_callbacks)

    notice = Notification.objects.get(recipient=patient_a)
    assert notice.kind == "appointment_booked"
    assert notice.title == "Booked: Consultation with Dr. Ravi Treating"
    [message] = emails_to(patient_a.email)
    assert message.subject == "[MedConnect] Booked: Consultation with Dr. Ravi Treating"
    assert "You booked Consultation with Dr. Ravi Treating" in message.body
    assert "You can reschedule or cancel online until" in message.body
    assert f"{SITE}{reverse('appointments:detail', args=[appointment.pk])}" in message.body
    assert f"{SITE}{reverse('appointments:ics', args=[appointment.pk])}" in message.body
    calendar, part = ics_of(message)
    assert part.get_param("method") == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["status"]) == "CONFIRMED"


@pytest.mark.django_db
def test_a_request_emails_the_patient_a_receipt_with_a_tentative_calendar_entry(
    book_slot, patient_a, django_capture_on_commit_callbacks
):
    _book(book_slot, django_capture_on_commit_callbacks)

    [message] = emails_to(patient_a.email)
    assert message.subject == "[MedConnect] Request sent: Consultation with Dr. Ravi Treating"
    assert "Your booking request was sent" in message.body
    assert "Dr. Ravi Treating will confirm it" in message.body
    calendar, _part = ics_of(message)
    [event] = calendar.walk("VEVENT")
    assert str(event["status"]) == "TENTATIVE"


@pytest.mark.django_db
def test_the_doctor_is_offered_to_confirm_or_decline_a_request(
    book_slot, doctor, django_capture_on_commit_callbacks
):
    _book(book_slot, django_capture_on_commit_callbacks)

    [message] = emails_to(doctor.user.email)
    assert "You can confirm, decline or cancel:" in message.body
    assert "reschedule" not in message.body


@pytest.mark.django_db
def test_a_declined_request_offers_nothing_to_manage(
    book_slot, doctor, patient_a, django_capture_on_commit_callbacks
):
    appointment = _book(book_slot, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_decline(appointment=appointment, actor=doctor.user, reason="Away that day")

    [message] = emails_to(patient_a.email, "Declined")
    assert "Manage" not in message.body
    assert "reschedule" not in message.body.lower()
    assert "You can" not in message.body
    assert "See this appointment: " in message.body
    assert "Add it to your calendar" not in message.body
    assert "Manage" not in message.alternatives[0][0]
    assert "Add to calendar" not in message.alternatives[0][0]


@pytest.mark.django_db
def test_a_cancellation_email_offers_nothing_to_manage(
    book_slot, doctor, patient_a, django_capture_on_commit_callbacks
):
    appointment = _book(book_slot, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=doctor.user, reason="Unwell")

    [message] = emails_to(patient_a.email, "Cancelled")
    assert "You can" not in message.body
    assert "See this appointment" in message.body


@pytest.mark.django_db
def test_the_patient_reads_their_own_time_beside_the_doctors(
    book_slot, doctor, patient_a, django_capture_on_commit_callbacks
):
    doctor.time_zone = "Europe/Berlin"
    doctor.save()
    patient_a.time_zone = "Asia/Kolkata"
    patient_a.save()
    appointment = _book(book_slot, django_capture_on_commit_callbacks)

    [message] = emails_to(patient_a.email)
    local = appointment.start.astimezone(patient_a.tz)
    berlin = appointment.start.astimezone(doctor.tz)
    assert f"{berlin:%H:%M}" in message.body and "(Europe/Berlin" in message.body
    assert f"{local:%H:%M}–" in message.body
    assert "your time (Asia/Kolkata)" in message.body
    # The doctor reads only their own zone.
    [doctor_message] = emails_to(doctor.user.email)
    assert "your time" not in doctor_message.body
