import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction

from appointments import services, slots
from appointments.errors import BookingError, IllegalTransition, SlotTaken
from appointments.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    Mode,
    ModeOffer,
)
from appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
    appointment_reschedule,
)
from appointments.tests.factories import (
    NOW,
    AppointmentFactory,
    TimeOffFactory,
    VisitTypeFactory,
    at,
    weekly_schedule,
)
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


def refusal(exc_info):
    return " ".join(exc_info.value.messages)


# Booking ----------------------------------------------------------------------


def test_booking_that_needs_approval_is_pending_and_asks_the_doctor(book, doctor, patient_a):
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
    assert not Notification.objects.filter(recipient=patient_a).exists()
    event = appointment.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", S.PENDING, patient_a)
    audit = AuditEvent.objects.get(object_type="appointments.appointment")
    assert audit.patient == patient_a and audit.actor == patient_a


def test_booking_without_approval_is_confirmed_at_once(book, doctor):
    visit_type = VisitTypeFactory(doctor=doctor, name="Follow-up", requires_approval=False)

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


def test_staff_booking_for_a_patient_tells_the_patient(book, staff, patient_a, doctor):
    appointment = book(actor=staff)
    assert appointment.created_by == staff
    assert Notification.objects.filter(recipient=patient_a, kind="appointment_booked").exists()
    assert Notification.objects.filter(recipient=doctor.user).exists()


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


# Status machine ---------------------------------------------------------------

AFTER_START = at(1, 10, 5)


def _act(target, appointment, actor):
    if target == S.CONFIRMED:
        return appointment_confirm(appointment=appointment, actor=actor, now=NOW)
    if target == S.DECLINED:
        return appointment_decline(appointment=appointment, actor=actor, reason="Fully booked")
    if target == S.CANCELLED:
        return appointment_cancel(appointment=appointment, actor=actor, reason="Away", now=NOW)
    if target == S.COMPLETED:
        return appointment_complete(appointment=appointment, actor=actor, now=AFTER_START)
    return appointment_mark_no_show(appointment=appointment, actor=actor, now=AFTER_START)


LEGAL = [
    (S.PENDING, S.CONFIRMED),
    (S.PENDING, S.DECLINED),
    (S.PENDING, S.CANCELLED),
    (S.CONFIRMED, S.COMPLETED),
    (S.CONFIRMED, S.NO_SHOW),
    (S.CONFIRMED, S.CANCELLED),
]
ILLEGAL = [
    (source, target)
    for source in S.values
    for target in (S.CONFIRMED, S.DECLINED, S.CANCELLED, S.COMPLETED, S.NO_SHOW)
    if (source, target) not in LEGAL
]


@pytest.fixture
def appointment_in(doctor, patient_a, visit_type):
    def _make(status):
        return AppointmentFactory(
            doctor=doctor,
            patient=patient_a,
            visit_type=visit_type,
            start=at(1, 10),
            status=status,
        )

    return _make


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_legal_transitions(appointment_in, doctor, source, target):
    appointment = appointment_in(source)

    changed = _act(target, appointment, doctor.user)

    assert changed.status == target
    appointment.refresh_from_db()
    assert appointment.status == target
    event = appointment.events.get()
    assert (event.from_status, event.to_status, event.actor) == (source, target, doctor.user)
    assert AuditEvent.objects.filter(
        object_id=str(appointment.pk), patient=appointment.patient, actor=doctor.user
    ).exists()


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_transitions_change_nothing(appointment_in, doctor, source, target):
    appointment = appointment_in(source)

    with pytest.raises(IllegalTransition):
        _act(target, appointment, doctor.user)

    appointment.refresh_from_db()
    assert appointment.status == source
    assert not appointment.events.exists()


@pytest.mark.parametrize("target", [S.CONFIRMED, S.DECLINED, S.COMPLETED, S.NO_SHOW])
def test_only_the_doctor_or_staff_run_the_visit(appointment_in, patient_a, target):
    source = S.PENDING if target in (S.CONFIRMED, S.DECLINED) else S.CONFIRMED
    with pytest.raises(PermissionDenied):
        _act(target, appointment_in(source), patient_a)


@pytest.mark.parametrize("target", [S.CONFIRMED, S.DECLINED, S.CANCELLED])
def test_outsiders_cannot_touch_an_appointment(appointment_in, other_doctor, patient_b, target):
    appointment = appointment_in(S.PENDING)
    for outsider in (other_doctor.user, patient_b):
        with pytest.raises(PermissionDenied):
            _act(target, appointment, outsider)
    assert not appointment.events.exists()


def test_staff_may_confirm(appointment_in, staff, patient_a):
    appointment = appointment_confirm(appointment=appointment_in(S.PENDING), actor=staff, now=NOW)
    assert appointment.status == S.CONFIRMED
    assert Notification.objects.get(recipient=patient_a).kind == "appointment_confirmed"


def test_confirm_tells_the_patient(appointment_in, doctor, patient_a):
    appointment_confirm(appointment=appointment_in(S.PENDING), actor=doctor.user, now=NOW)
    notice = Notification.objects.get()
    assert notice.recipient == patient_a and notice.kind == "appointment_confirmed"


def test_decline_needs_a_reason_and_tells_the_patient(appointment_in, doctor, patient_a):
    appointment = appointment_in(S.PENDING)
    with pytest.raises(BookingError, match="Say why"):
        appointment_decline(appointment=appointment, actor=doctor.user, reason="  ")
    appointment_decline(appointment=appointment, actor=doctor.user, reason="On leave")
    appointment.refresh_from_db()
    assert appointment.status_reason == "On leave"
    notice = Notification.objects.get(recipient=patient_a)
    assert notice.kind == "appointment_declined" and "On leave" in notice.body


def test_patient_cancel_tells_the_doctor(appointment_in, doctor, patient_a):
    appointment_cancel(appointment=appointment_in(S.CONFIRMED), actor=patient_a, now=NOW)
    notice = Notification.objects.get()
    assert notice.recipient == doctor.user and notice.kind == "appointment_cancelled"


def test_doctor_cancel_tells_the_patient(appointment_in, doctor, patient_a):
    appointment_cancel(
        appointment=appointment_in(S.CONFIRMED), actor=doctor.user, reason="Ill", now=NOW
    )
    assert Notification.objects.get().recipient == patient_a


def test_a_visit_is_completed_or_missed_only_once_it_started(appointment_in, doctor):
    appointment = appointment_in(S.CONFIRMED)
    with pytest.raises(BookingError, match="not started yet"):
        appointment_complete(appointment=appointment, actor=doctor.user, now=at(1, 9, 59))
    with pytest.raises(BookingError, match="not started yet"):
        appointment_mark_no_show(appointment=appointment, actor=doctor.user, now=at(1, 9))
    assert appointment_complete(appointment=appointment, actor=doctor.user, now=at(1, 10)).status


def test_a_past_request_cannot_be_confirmed(appointment_in, doctor):
    with pytest.raises(BookingError, match="has passed"):
        appointment_confirm(appointment=appointment_in(S.PENDING), actor=doctor.user, now=at(2, 0))


# Cut-offs ---------------------------------------------------------------------

PAST_CUTOFF = at(0, 12)  # 22 hours before at(1, 10); the cut-offs are 24 hours


def test_patient_cancels_before_the_cutoff_but_not_after(appointment_in, patient_a):
    appointment = appointment_in(S.CONFIRMED)
    assert appointment.can_patient_cancel(NOW)
    assert not appointment.can_patient_cancel(PAST_CUTOFF)
    with pytest.raises(BookingError, match="up to 24 hours before"):
        appointment_cancel(appointment=appointment, actor=patient_a, now=PAST_CUTOFF)
    appointment.refresh_from_db()
    assert appointment.status == S.CONFIRMED


@pytest.mark.parametrize("who", ["doctor", "staff"])
def test_doctor_and_staff_cancel_after_the_cutoff_with_a_reason(appointment_in, request, who):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    appointment = appointment_in(S.CONFIRMED)
    with pytest.raises(BookingError, match="give a reason"):
        appointment_cancel(appointment=appointment, actor=actor, now=PAST_CUTOFF)
    cancelled = appointment_cancel(
        appointment=appointment, actor=actor, reason="Emergency surgery", now=PAST_CUTOFF
    )
    assert cancelled.status == S.CANCELLED
    assert cancelled.events.get().reason == "Emergency surgery"


@pytest.mark.parametrize("who", ["doctor", "staff"])
def test_doctor_and_staff_always_tell_the_patient_why_they_cancel(appointment_in, request, who):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    appointment = appointment_in(S.CONFIRMED)
    with pytest.raises(BookingError, match="Say why you cancel"):
        appointment_cancel(appointment=appointment, actor=actor, reason="  ", now=NOW)
    appointment.refresh_from_db()
    assert appointment.status == S.CONFIRMED and not appointment.events.exists()


def test_patient_reschedules_before_the_cutoff_but_not_after(appointment_in, patient_a):
    appointment = appointment_in(S.CONFIRMED)
    assert appointment.can_patient_reschedule(NOW)
    with pytest.raises(BookingError, match="up to 24 hours before"):
        appointment_reschedule(
            appointment=appointment, actor=patient_a, new_start=at(2, 10), now=PAST_CUTOFF
        )
    appointment.refresh_from_db()
    assert appointment.start == at(1, 10)


@pytest.mark.parametrize("who", ["doctor", "staff"])
def test_doctor_and_staff_reschedule_after_the_cutoff_with_a_reason(appointment_in, request, who):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    appointment = appointment_in(S.CONFIRMED)
    with pytest.raises(BookingError, match="give a reason"):
        appointment_reschedule(
            appointment=appointment, actor=actor, new_start=at(2, 10), now=PAST_CUTOFF
        )
    moved = appointment_reschedule(
        appointment=appointment,
        actor=actor,
        new_start=at(2, 10),
        reason="Theatre overran",
        now=PAST_CUTOFF,
    )
    assert moved.start == at(2, 10)


# Rescheduling -----------------------------------------------------------------


def test_patient_reschedule_moves_the_same_row_and_asks_again(appointment_in, patient_a, doctor):
    appointment = appointment_in(S.CONFIRMED)

    moved = appointment_reschedule(
        appointment=appointment, actor=patient_a, new_start=at(2, 11), now=NOW
    )

    assert moved.pk == appointment.pk
    assert (moved.start, moved.end) == (at(2, 11), at(2, 11, 30))
    assert (moved.blocked_start, moved.blocked_end) == (at(2, 11), at(2, 11, 30))
    assert moved.sequence == 1
    assert moved.status == S.PENDING
    assert appointment.start == at(2, 11)  # the caller's instance follows
    event = moved.events.get()
    assert (event.from_start, event.to_start) == (at(1, 10), at(2, 11))
    assert (event.from_status, event.to_status) == (S.CONFIRMED, S.PENDING)
    notice = Notification.objects.get()
    assert notice.recipient == doctor.user and notice.kind == "appointment_rescheduled"
    assert Appointment.objects.count() == 1


def test_reschedule_without_approval_stays_confirmed(appointment_in, patient_a, visit_type):
    visit_type.requires_approval = False
    visit_type.save()
    moved = appointment_reschedule(
        appointment=appointment_in(S.CONFIRMED), actor=patient_a, new_start=at(2, 11), now=NOW
    )
    assert moved.status == S.CONFIRMED


def test_doctor_reschedule_keeps_it_confirmed_and_tells_the_patient(
    appointment_in, doctor, patient_a
):
    moved = appointment_reschedule(
        appointment=appointment_in(S.CONFIRMED), actor=doctor.user, new_start=at(2, 11), now=NOW
    )
    assert moved.status == S.CONFIRMED
    assert Notification.objects.get().recipient == patient_a


def test_reschedule_may_overlap_its_own_old_time(appointment_in, patient_a):
    moved = appointment_reschedule(
        appointment=appointment_in(S.CONFIRMED), actor=patient_a, new_start=at(1, 10, 30), now=NOW
    )
    assert moved.start == at(1, 10, 30)


def test_failed_reschedule_leaves_the_old_time_booked(appointment_in, patient_a, patient_b):
    appointment = appointment_in(S.CONFIRMED)
    AppointmentFactory(
        doctor=appointment.doctor,
        patient=patient_b,
        visit_type=appointment.visit_type,
        start=at(2, 11),
    )

    with pytest.raises(SlotTaken):
        appointment_reschedule(
            appointment=appointment, actor=patient_a, new_start=at(2, 11), now=NOW
        )

    appointment.refresh_from_db()
    assert (appointment.start, appointment.status, appointment.sequence) == (
        at(1, 10),
        S.CONFIRMED,
        0,
    )
    assert not AppointmentEvent.objects.exists()
    free, _ = slots.is_slot_free(
        doctor=appointment.doctor,
        visit_type=appointment.visit_type,
        start=at(1, 10),
        mode=Mode.IN_PERSON,
        now=NOW,
    )
    assert not free


def test_failed_reschedule_in_the_database_leaves_the_old_time_booked(
    appointment_in, patient_a, patient_b, monkeypatch
):
    appointment = appointment_in(S.CONFIRMED)
    AppointmentFactory(
        doctor=appointment.doctor,
        patient=patient_b,
        visit_type=appointment.visit_type,
        start=at(2, 11),
    )
    monkeypatch.setattr(slots, "check_slot_location", lambda **kwargs: (None, "", "Clinic"))

    with pytest.raises(SlotTaken):
        appointment_reschedule(
            appointment=appointment, actor=patient_a, new_start=at(2, 11, 15), now=NOW
        )

    appointment.refresh_from_db()
    assert appointment.start == at(1, 10)
    assert appointment.sequence == 0


def test_reschedule_refuses_times_that_are_not_free(appointment_in, patient_a, doctor):
    appointment = appointment_in(S.CONFIRMED)
    TimeOffFactory(doctor=doctor, start=at(3, 0), end=at(4, 0))
    for new_start, message in [
        (at(1, 10), "different time"),
        (at(1, 7), "does not see patients"),
        (at(3, 10), "away"),
        (at(0, 8), "already passed"),
    ]:
        with pytest.raises(BookingError, match=message):
            appointment_reschedule(
                appointment=appointment, actor=patient_a, new_start=new_start, now=NOW
            )


def test_finished_appointments_cannot_be_rescheduled(appointment_in, doctor):
    with pytest.raises(IllegalTransition):
        appointment_reschedule(
            appointment=appointment_in(S.COMPLETED),
            actor=doctor.user,
            new_start=at(2, 10),
            now=NOW,
        )


def test_outsiders_cannot_reschedule(appointment_in, patient_b, other_doctor):
    appointment = appointment_in(S.CONFIRMED)
    for outsider in (patient_b, other_doctor.user):
        with pytest.raises(PermissionDenied):
            appointment_reschedule(
                appointment=appointment, actor=outsider, new_start=at(2, 10), now=NOW
            )


# Model helpers ----------------------------------------------------------------


def test_video_link_opens_shortly_before_a_confirmed_online_visit(doctor, settings):
    settings.MEDCONNECT_VIDEO_OPENS_MINUTES = 15
    appointment = AppointmentFactory(doctor=doctor, mode=Mode.ONLINE, start=at(1, 10))
    assert not appointment.is_video_open(at(1, 9, 44))
    assert appointment.is_video_open(at(1, 9, 45))
    assert appointment.is_video_open(at(1, 10, 29))
    assert not appointment.is_video_open(at(1, 10, 30))
    appointment.status = S.PENDING
    assert not appointment.is_video_open(at(1, 10))
    in_person = AppointmentFactory(doctor=doctor, start=at(1, 12))
    assert in_person.video_url == "" and not in_person.is_video_open(at(1, 12))
