"""After booking: the status machine, the cancel and reschedule cut-offs, and
rescheduling, through the appointment services."""

import pytest
from django.core.exceptions import PermissionDenied

from appointments import slots
from appointments.errors import BookingError, IllegalTransition, SlotTaken
from appointments.models import Appointment, AppointmentEvent, AppointmentStatus, Mode
from appointments.services import (
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
    appointment_reschedule,
)
from appointments.tests.factories import NOW, AppointmentFactory, TimeOffFactory, at
from audit.models import AuditEvent
from notifications.models import Notification

S = AppointmentStatus

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
