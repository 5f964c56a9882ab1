"""The right people get the right appointment emails, with calendar files that
calendar apps import: one UID per appointment, SEQUENCE raised on a move, CANCEL
on a cancellation, times in UTC."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from appointments.models import Mode
from appointments.services import (
    appointment_cancel,
    appointment_confirm,
    appointment_decline,
    appointment_reschedule,
)
from appointments.tests.factories import free_starts_ahead

from .conftest import emails_to, ics_of

SITE = "https://clinic.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.MEDCONNECT_SITE_URL = SITE
    settings.MEDCONNECT_VIDEO_BASE_URL = "https://meet.example.org"


def _local(appointment):
    return appointment.start.astimezone(appointment.doctor.tz)


@pytest.mark.django_db
def test_booking_request_emails_the_doctor_with_everything_about_the_visit(
    book_slot, treating_cardiologist, patient_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_slot()

    [message] = emails_to(treating_cardiologist.user.email)
    local = _local(appointment)
    assert message.subject == "[MedConnect] Booking request: Asha Patient"
    body = message.body
    for expected in (
        "Hello Ravi Treating",
        "confirm or decline",
        "Dr. Ravi Treating (Cardiology)",
        "City Care Clinic",
        "12 MG Road, Bengaluru",
        f"{local:%A %d %B %Y}, {local:%H:%M}",
        "(Asia/Kolkata, IST)",
        "How: In person",
        f"{SITE}{reverse('appointments:detail', args=[appointment.pk])}",
        f"{SITE}{reverse('appointments:ics', args=[appointment.pk])}",
    ):
        assert expected in body, expected
    assert "Video link" not in body
    html = message.alternatives[0][0]
    assert f'href="{SITE}/appointments/{appointment.pk}/"' in html
    assert "Asia/Kolkata, IST" in html

    calendar, part = ics_of(message)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.events
    assert str(event["UID"]) == f"appointment-{appointment.pk}@clinic.example.com"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == appointment.start
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert event.to_ical().decode().count("Z\r\n") >= 2  # DTSTART / DTEND written in UTC
    assert event.decoded("DTEND") == appointment.end
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "City Care Clinic" in str(event["LOCATION"])
    assert "mailto:no-reply@medconnect.local" in str(event["ORGANIZER"])
    attendees = {str(a) for a in event["ATTENDEE"]}
    assert attendees == {"mailto:ravi@example.com", "mailto:asha@example.com"}


@pytest.mark.django_db
def test_confirmation_emails_the_patient_with_the_video_link_of_an_online_visit(
    book_slot, treating_cardiologist, patient_a, django_capture_on_commit_callbacks
):
    appointment = book_slot(mode=Mode.ONLINE)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_confirm(appointment=appointment, actor=treating_cardiologist.user)

    assert emails_to(treating_cardiologist.user.email) == []
    [message] = emails_to(patient_a.email)
    assert message.subject == "[MedConnect] Confirmed: Consultation with Dr. Ravi Treating"
    assert "Your appointment is confirmed." in message.body
    assert "How: Online (video)" in message.body
    assert f"Video link: {appointment.video_url}" in message.body
    assert appointment.video_url.startswith("https://meet.example.org/medconnect-")
    assert f'href="{appointment.video_url}"' in message.alternatives[0][0]
    [event] = ics_of(message)[0].events
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == appointment.video_url


@pytest.mark.django_db
def test_reschedule_sends_the_same_uid_with_a_raised_sequence_and_the_new_time(
    book_slot,
    treating_cardiologist,
    visit_type,
    patient_a,
    django_capture_on_commit_callbacks,
):
    appointment = book_slot()
    appointment_confirm(appointment=appointment, actor=treating_cardiologist.user)
    new_start = free_starts_ahead(treating_cardiologist, visit_type, days_ahead=4)[2]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(
            appointment=appointment, actor=treating_cardiologist.user, new_start=new_start
        )

    [message] = emails_to(patient_a.email)
    assert message.subject.startswith("[MedConnect] Rescheduled: Consultation")
    local = new_start.astimezone(treating_cardiologist.tz)
    assert f"{local:%A %d %B %Y}, {local:%H:%M}" in message.body
    calendar, _part = ics_of(message)
    [event] = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"appointment-{appointment.pk}@clinic.example.com"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new_start


@pytest.mark.django_db
def test_cancellation_by_the_patient_sends_the_doctor_a_cancel(
    book_slot, treating_cardiologist, patient_a, django_capture_on_commit_callbacks
):
    appointment = book_slot()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=patient_a, reason="Feeling better")

    assert emails_to(patient_a.email) == []
    [message] = emails_to(treating_cardiologist.user.email)
    assert "cancelled by the patient" in message.body
    assert "Feeling better" in message.body
    calendar, part = ics_of(message)
    assert calendar["METHOD"] == "CANCEL"
    assert part.get_param("method") == "CANCEL"
    [event] = calendar.events
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"appointment-{appointment.pk}@clinic.example.com"
    assert event.decoded("DTSTART") == appointment.start


@pytest.mark.django_db
def test_decline_tells_the_patient_why(
    book_slot, treating_cardiologist, patient_a, django_capture_on_commit_callbacks
):
    appointment = book_slot()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_decline(
            appointment=appointment, actor=treating_cardiologist.user, reason="On leave"
        )

    [message] = emails_to(patient_a.email)
    assert "Reason: On leave" in message.body
    assert ics_of(message)[0]["METHOD"] == "CANCEL"


@pytest.mark.django_db
def test_text_email_is_not_html_escaped(
    book_slot, treating_cardiologist, django_capture_on_commit_callbacks
):
    treating_cardiologist.practice_name = "Rao & Sons' Clinic"
    treating_cardiologist.save()

    with django_capture_on_commit_callbacks(execute=True):
        book_slot()

    [message] = emails_to(treating_cardiologist.user.email)
    assert "Rao & Sons' Clinic" in message.body
    assert "Rao &amp; Sons&#x27; Clinic" in message.alternatives[0][0]
