"""Booking: what appointment_book accepts, what it refuses and why, and who is told."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction

from appointments import services, slots
from appointments.errors import BookingError, SlotTaken
from appointments.models import Appointment, AppointmentStatus, Mode, ModeOffer
from appointments.services import appointment_book, appointment_cancel
from appointments.tests.factories import NOW, TimeOffFactory, VisitTypeFactory, at, weekly_schedule
from audit.models import AuditEvent
from notifications.models import Notification

S = AppointmentStatus


@pytest.fixture
def book(patient_a, doctor, visit_type):
    def _book(start=None, *, patient=patient_a, mode=Mode.IN_PERSON, vt=None, **kwargs):
        return appointment_book(
            patient=patient,
            doctor=doctor,
            visit_type=vt or visit_type,
            start=start or at(1, 10),
            mode=mode,
            now=NOW,
            **kwargs,
        )

    return _book


def test_booking_that_needs_approval_is_pending_and_asks_the_doctor(
    book, doctor, patient_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(reason="Cough for a week")

    assert appointment.status == S.PENDING
    assert appointment.start == at(1, 10)
    assert appointment.end == at(1, 10, 30)
    assert appointment.location == doctor.practice_address
    assert appointment.video_room is None
    assert appointment.created_by == patient_a
    notice = Notification.objects.get(recipient=doctor.user)
    assert notice.kind == "appointment_requested"
    assert "Asha Patient" in notice.title
    assert Notification.objects.get(recipient=patient_a).kind == "appointment_request_sent"
    event = appointment.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", S.PENDING, patient_a)
    audit = AuditEvent.objects.get(object_type="appointments.appointment")
    assert audit.patient == patient_a and audit.actor == patient_a


def test_booking_without_approval_is_confirmed_at_once(
    book, doctor, django_capture_on_commit_callbacks
):
    visit_type = VisitTypeFactory(doctor=doctor, name="Follow-up", requires_approval=False)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(vt=visit_type)

    assert appointment.status == S.CONFIRMED
    assert Notification.objects.get(recipient=doctor.user).kind == "appointment_booked"


def test_online_visit_gets_an_unguessable_room_and_no_address(book, settings):
    settings.MEDCONNECT_VIDEO_BASE_URL = "https://video.example"
    appointment = book(mode=Mode.ONLINE)

    assert len(appointment.video_room) >= 32
    assert appointment.location == ""
    assert appointment.video_url == f"https://video.example/medconnect-{appointment.video_room}"
    assert book(at(1, 11), mode=Mode.ONLINE).video_room != appointment.video_room


def test_location_comes_from_the_window(book, doctor, visit_type):
    doctor.availability_rules.filter(weekday=1).update(location="Clinic B, 2nd floor")
    assert book().location == "Clinic B, 2nd floor"


def test_staff_booking_for_a_patient_tells_the_patient(
    book, staff, patient_a, doctor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(actor=staff)
    assert appointment.created_by == staff
    notice = Notification.objects.get(recipient=patient_a)
    assert notice.kind == "appointment_request_sent"
    assert notice.body.startswith("Sam Staff booked Consultation for you")
    assert Notification.objects.filter(recipient=doctor.user).exists()


def test_booking_notices_are_written_after_the_booking_commits(
    book, doctor, patient_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        appointment = book()
        # Inside the booking's transaction: the booking and its history, no notice yet.
        assert appointment.events.count() == 1
        assert not Notification.objects.exists()
    for callback in after_commit:
        callback()
    assert Notification.objects.get(recipient=doctor.user).kind == "appointment_requested"
    assert Notification.objects.get(recipient=patient_a).kind == "appointment_request_sent"


def test_booking_notices_state_what_was_booked_even_if_it_changed_since(
    book, doctor, patient_a, django_capture_on_commit_callbacks
):
    from appointments.services import appointment_cancel

    with django_capture_on_commit_callbacks() as after_commit:
        appointment = book()
    booked_at = appointment.local_start()
    appointment_cancel(appointment=appointment, actor=patient_a, reason="Changed my mind")
    Notification.objects.all().delete()  # the cancellation's own notices
    for callback in after_commit:
        callback()

    notice = Notification.objects.get(recipient=patient_a)
    assert notice.kind == "appointment_request_sent"
    assert f"{booked_at:%a %d %b %Y, %H:%M}" in notice.body
    assert "METHOD:REQUEST" in notice.ics
    assert Notification.objects.get(recipient=doctor.user).kind == "appointment_requested"


def test_someone_else_cannot_book_for_a_patient(book, patient_b):
    with pytest.raises(PermissionDenied):
        book(actor=patient_b)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(0, 8), "already passed"),
        (at(0, 10), "at least 2 hours ahead"),
        (at(61, 10), "at most 60 days ahead"),
        (at(1, 7), "does not see patients at that time"),
        (at(1, 16, 45), "does not see patients at that time"),
        (at(1, 10, 10), "Choose one of the offered start times"),
    ],
)
def test_times_that_are_not_free_slots_are_refused_with_the_reason(book, start, message):
    with pytest.raises(BookingError, match=message):
        book(start)
    assert not Appointment.objects.exists()


def test_time_off_is_refused(book, doctor):
    TimeOffFactory(doctor=doctor, start=at(1, 9), end=at(1, 13))
    with pytest.raises(BookingError, match="away at that time"):
        book()


def test_mode_the_visit_type_does_not_offer_is_refused(book, doctor):
    online_only = VisitTypeFactory(doctor=doctor, name="Video", mode=ModeOffer.ONLINE)
    with pytest.raises(BookingError, match="online only"):
        book(vt=online_only, mode=Mode.IN_PERSON)


def test_mode_the_window_does_not_offer_is_refused(book, doctor):
    doctor.availability_rules.filter(weekday=1).update(mode=ModeOffer.ONLINE)
    with pytest.raises(BookingError, match="does not offer in person visits"):
        book(mode=Mode.IN_PERSON)
    assert book(mode=Mode.ONLINE).mode == Mode.ONLINE


def test_inactive_visit_type_is_refused(book, visit_type):
    visit_type.is_active = False
    visit_type.save()
    with pytest.raises(BookingError, match="no longer offered"):
        book()


def test_visit_type_of_another_doctor_is_refused(book, other_doctor):
    with pytest.raises(BookingError, match="not offered by this doctor"):
        book(vt=VisitTypeFactory(doctor=other_doctor))


def test_unverified_doctor_cannot_be_booked(patient_a, unverified_doctor):
    weekly_schedule(unverified_doctor)
    visit_type = VisitTypeFactory(doctor=unverified_doctor)
    with pytest.raises(BookingError, match="cannot be booked"):
        appointment_book(
            patient=patient_a,
            doctor=unverified_doctor,
            visit_type=visit_type,
            start=at(1, 10),
            mode=Mode.IN_PERSON,
            now=NOW,
        )


def test_unverified_email_cannot_book(book, patient_a):
    EmailAddress.objects.filter(user=patient_a).update(verified=False)
    with pytest.raises(BookingError, match="Confirm your email address before booking."):
        book()


def test_only_patients_book(book, other_doctor):
    with pytest.raises(BookingError, match="Only patient accounts"):
        book(patient=other_doctor.user)


def test_a_taken_slot_is_refused(book, patient_b):
    book()
    with pytest.raises(SlotTaken, match="This slot was just taken."):
        book(patient=patient_b)


def test_buffers_keep_neighbouring_slots_taken(book, doctor, patient_b):
    buffered = VisitTypeFactory(doctor=doctor, name="Long", buffer_after_minutes=10)
    book(at(1, 9), vt=buffered)  # holds 09:00-09:40
    short = VisitTypeFactory(doctor=doctor, name="Short", duration_minutes=15)
    with pytest.raises(SlotTaken):
        book(at(1, 9, 30), vt=short, patient=patient_b)
    assert book(at(1, 9, 45), vt=short, patient=patient_b).start == at(1, 9, 45)


def test_a_patient_cannot_be_in_two_places(book, other_doctor, patient_a):
    book()
    weekly_schedule(other_doctor)
    elsewhere = VisitTypeFactory(doctor=other_doctor)
    with pytest.raises(BookingError, match="You already have an appointment at that time."):
        appointment_book(
            patient=patient_a,
            doctor=other_doctor,
            visit_type=elsewhere,
            start=at(1, 10),
            mode=Mode.IN_PERSON,
            now=NOW,
        )


def test_database_refusals_become_slot_taken(book, doctor, patient_b, visit_type, monkeypatch):
    # The engine is bypassed: the database's own rule must still refuse.
    book()
    monkeypatch.setattr(slots, "check_slot_location", lambda **kwargs: (None, "", "Clinic"))
    with pytest.raises(SlotTaken):
        book(at(1, 10, 15), patient=patient_b)
    with transaction.atomic():  # the outer transaction is still usable
        assert Appointment.objects.count() == 1


def test_database_patient_overlap_becomes_a_clear_message(
    book, other_doctor, patient_a, monkeypatch
):
    book()
    weekly_schedule(other_doctor)
    elsewhere = VisitTypeFactory(doctor=other_doctor)
    monkeypatch.setattr(services, "_patient_busy", lambda *args, **kwargs: False)
    with pytest.raises(BookingError, match="You already have an appointment at that time."):
        appointment_book(
            patient=patient_a,
            doctor=other_doctor,
            visit_type=elsewhere,
            start=at(1, 10),
            mode=Mode.IN_PERSON,
            now=NOW,
        )
    assert Appointment.objects.count() == 1


def test_cancelled_time_can_be_booked_again(book, patient_a, patient_b):
    appointment = book()
    appointment_cancel(appointment=appointment, actor=patient_a, now=NOW)
    assert book(patient=patient_b).status == S.PENDING


def test_a_colleague_doctor_books_a_case_discussion_under_the_same_rules(
    doctor, other_doctor, visit_type
):
    """kind=colleague: the one who books is a verified doctor; the slot rules and the
    database's no-double-booking rules hold as for any visit; it treats nobody."""
    from appointments.models import AppointmentKind
    from appointments.tests.factories import free_starts_ahead
    from patients.access import is_treating_doctor

    visit_type.for_colleagues = True
    visit_type.save(update_fields=["for_colleagues"])
    start = free_starts_ahead(doctor, visit_type)[0]
    discussion = appointment_book(
        patient=other_doctor.user,
        doctor=doctor,
        visit_type=visit_type,
        start=start,
        mode=Mode.ONLINE,
        kind=AppointmentKind.COLLEAGUE,
    )
    assert discussion.kind == AppointmentKind.COLLEAGUE and discussion.video_room
    assert not is_treating_doctor(doctor.user, other_doctor.user.pk)
    with pytest.raises(BookingError):
        appointment_book(
            patient=other_doctor.user,
            doctor=doctor,
            visit_type=visit_type,
            start=start,
            mode=Mode.ONLINE,
        )  # a doctor is not a patient


def test_visit_types_for_colleagues_serve_case_discussions_only(
    doctor, other_doctor, patient_a, visit_type
):
    from appointments.models import AppointmentKind
    from appointments.tests.factories import free_starts_ahead

    start = free_starts_ahead(doctor, visit_type)[0]
    with pytest.raises(BookingError, match="offers to colleagues"):
        appointment_book(
            patient=other_doctor.user,
            doctor=doctor,
            visit_type=visit_type,
            start=start,
            mode=Mode.ONLINE,
            kind=AppointmentKind.COLLEAGUE,
        )
    visit_type.for_colleagues = True
    visit_type.save(update_fields=["for_colleagues"])
    with pytest.raises(BookingError, match="not offered to patients"):
        appointment_book(
            patient=patient_a, doctor=doctor, visit_type=visit_type, start=start, mode=Mode.ONLINE
        )
    assert not Appointment.objects.exists()
