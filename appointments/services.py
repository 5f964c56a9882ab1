"""Every write of the appointments app.

Views, the API, Django Admin, management commands and tasks call these; none of
them holds a scheduling rule of its own. Each state change locks its row, checks
the status machine, writes the history row and the audit row in the same
transaction, and sends notices that are emailed once the transaction commits.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_record
from doctors.models import DoctorProfile

from . import notices, policy, slots
from .access import PATIENT
from .errors import BookingError, SlotTaken
from .models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentEvent,
    AppointmentKind,
    AppointmentStatus,
    Mode,
    VisitType,
    new_video_room,
)
from .reminders import reminders_sync
from .signals import slot_freed, visit_completed

S = AppointmentStatus
REASON_MAX_LENGTH = 1000


PATIENT_OVERLAP_MESSAGE = gettext_lazy("You already have an appointment at that time.")


# Who is acting ----------------------------------------------------------------


def _is_staff(user):
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.STAFF)


def _require_allowed(locked, actor, action, now, reason):
    """The actor's part in the locked appointment, if the policy lets them act now."""
    refusal = policy.appointment_refusal(actor, locked, action, now, reason=reason)
    if refusal is not None:
        raise refusal
    return policy.appointment_role(actor, locked)


def _clean_reason(reason):
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise BookingError(
            _("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}
        )
    return reason


# History ----------------------------------------------------------------------


def _slots_follow(appointment, from_status, from_start):
    """Tell the slot engine which blocked time this change took and freed."""
    visit_type = appointment.visit_type
    was_active = from_status in ACTIVE_STATUSES
    is_active = appointment.status in ACTIVE_STATUSES
    moved = from_start is not None and from_start != appointment.start
    taken = freed = None
    if is_active and (not was_active or moved):
        taken = (appointment.blocked_start, appointment.blocked_end)
    if was_active and (not is_active or moved):
        start = from_start or appointment.start
        freed = (
            start - visit_type.buffer_before,
            start + visit_type.duration + visit_type.buffer_after,
        )
    if taken or freed:
        slots.schedule_changed(appointment.doctor_id, taken=taken, freed=freed)


def _record(*, appointment, actor, from_status, to_status, from_start=None, reason="", request):
    # Every booking, status change and reschedule passes here: free slots follow.
    _slots_follow(appointment, from_status, from_start)
    event = AppointmentEvent.objects.create(
        appointment=appointment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to_status,
        from_start=from_start,
        to_start=appointment.start,
        reason=reason,
    )
    detail = f"{from_status or 'new'} -> {to_status}"
    if from_start and from_start != appointment.start:
        detail += f"; moved from {from_start.isoformat()} to {appointment.start.isoformat()}"
    if reason:
        detail += f"; reason: {reason}"
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if not from_status else AuditAction.CHANGE,
        obj=appointment,
        patient=appointment.patient,
        detail=detail,
        request=request,
    )
    return event


def _conflict_error(exc):
    """Turn a refusal by the database into the message for the person."""
    text = str(exc)
    if "patient_no_overlap" in text:
        return BookingError(PATIENT_OVERLAP_MESSAGE, code="patient_overlap")
    if "no_overlap" in text or "one_active_per_start" in text or "unique" in text.lower():
        return SlotTaken(code="slot_taken")
    return None


def _save_or_conflict(appointment, **save_kwargs):
    # A savepoint: a refused write leaves any outer transaction usable.
    try:
        with transaction.atomic():
            appointment.save(**save_kwargs)
    except IntegrityError as exc:
        error = _conflict_error(exc)
        if error is None:
            raise
        raise error from exc


def _slot_error(code, message):
    if code == slots.TAKEN:
        return SlotTaken(message, code="slot_taken")
    return BookingError(message, code=code)


def _patient_busy(patient, start, end, exclude_pk=None):
    overlapping = Appointment.objects.filter(
        patient=patient, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return overlapping.exists()


def _lock_doctor(doctor):
    # Bookings of one doctor queue on this row lock, so each sees the one before.
    return (
        DoctorProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=doctor.pk)
    )


# Booking ----------------------------------------------------------------------


def _check_patient_can_book(patient, actor, kind=AppointmentKind.PATIENT):
    if kind == AppointmentKind.COLLEAGUE:
        # A case discussion: the one who books is a verified doctor, not a patient.
        profile = getattr(patient, "doctor_profile", None)
        if patient is None or profile is None or not profile.is_verified:
            raise BookingError(_("Only verified doctors book case discussions."), code="not_doctor")
        return
    if patient is None or not patient.is_active or patient.role != Role.PATIENT:
        raise BookingError(_("Only patient accounts can book appointments."), code="not_patient")
    # The front desk books for patients it sees in person, walk-ins without an address too.
    if _is_staff(actor):
        return
    if not EmailAddress.objects.filter(user=patient, primary=True, verified=True).exists():
        raise BookingError(_("Confirm your email address before booking."), code="email_unverified")


def _check_visit_type_audience(visit_type, kind):
    """Visit types for colleagues serve case discussions only, and only they do."""
    if kind == AppointmentKind.COLLEAGUE and not visit_type.for_colleagues:
        raise BookingError(
            "Choose one of the visit types your colleague offers to colleagues.",
            code="not_for_colleagues",
        )
    if kind != AppointmentKind.COLLEAGUE and visit_type.for_colleagues:
        raise BookingError("This visit type is not offered to patients.", code="not_bookable")


def appointment_book(
    *,
    patient,
    doctor,
    visit_type,
    start,
    mode,
    reason="",
    actor=None,
    now=None,
    request=None,
    kind=AppointmentKind.PATIENT,
    email=True,
):
    """Book a free slot for a patient: confirmed at once, or pending the doctor's
    approval when the visit type asks for it. `kind` says what the visit is: booked by
    or for the patient, booked by a specialist from a referral, or a case discussion
    (then `patient` is the colleague doctor who asked for it). `email=False` (the
    demo data) tells both in the app only."""
    now = now or timezone.now()
    actor = actor or patient
    _check_patient_can_book(patient, actor, kind)
    if actor.pk != patient.pk and not _is_staff(actor) and actor.pk != doctor.user_id:
        raise PermissionDenied(_("You cannot book for this patient."))
    reason = _clean_reason(reason)
    if mode not in Mode.values:
        raise BookingError(_("Choose in person or online."), code="mode")

    with transaction.atomic():
        doctor = _lock_doctor(doctor)
        visit_type = VisitType.objects.get(pk=visit_type.pk)
        _check_visit_type_audience(visit_type, kind)
        code, message, location = slots.check_slot_location(
            doctor=doctor,
            visit_type=visit_type,
            start=start,
            mode=mode,
            now=now,
            doctor_is_fresh=True,
        )
        if code is not None:
            raise _slot_error(code, message)
        start = start.astimezone(dt.UTC)
        end = start + visit_type.duration
        if _patient_busy(patient, start, end):
            raise BookingError(PATIENT_OVERLAP_MESSAGE, code="patient_overlap")
        online = mode == Mode.ONLINE
        appointment = Appointment(
            doctor=doctor,
            patient=patient,
            visit_type=visit_type,
            kind=kind,
            start=start,
            end=end,
            blocked_start=start - visit_type.buffer_before,
            blocked_end=end + visit_type.buffer_after,
            mode=mode,
            location="" if online else location,
            reason=reason,
            status=S.PENDING if visit_type.requires_approval else S.CONFIRMED,
            video_room=new_video_room() if online else None,
            created_by=actor,
        )
        # Overlaps and duplicate starts are the database's to refuse (below).
        # The related rows were just read (the doctor locked): no need to look them up.
        appointment.full_clean(
            exclude=["doctor", "patient", "visit_type", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        _save_or_conflict(appointment)
        event = _record(
            appointment=appointment,
            actor=actor,
            from_status="",
            to_status=appointment.status,
            reason=reason,
            request=request,
        )
        reminders_sync(appointment=appointment, now=now, new=True)
        # The notices, their emails and calendar files are built once the booking has
        # committed, from its history row: the doctor's lock is held only while booking.
        transaction.on_commit(lambda: notices.send_booking_notices.enqueue(event.pk, email))
    return appointment


# State changes ----------------------------------------------------------------


def _lock(appointment):
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("doctor__user", "patient", "visit_type")
        .get(pk=appointment.pk)
    )


def _sync(target, source, fields):
    # The caller's instance shows the change too.
    for name in fields:
        setattr(target, name, getattr(source, name))


def _change_status(*, appointment, actor, action, reason="", notify=None, request=None, now=None):
    now = now or timezone.now()
    reason = _clean_reason(reason)
    to_status = policy.TARGET[action]
    with transaction.atomic():
        if to_status not in ACTIVE_STATUSES:
            # Freed time is laid out again under the doctor's lock: take it before the
            # appointment's, in the order booking and rescheduling take them.
            DoctorProfile.objects.select_for_update(of=("self",)).only("pk").get(
                pk=appointment.doctor_id
            )
        locked = _lock(appointment)
        role = _require_allowed(locked, actor, action, now, reason)
        from_status = locked.status
        locked.status = to_status
        locked.status_reason = reason
        fields = ["status", "status_reason", "updated_at"]
        locked.save(update_fields=fields)
        _record(
            appointment=locked,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            from_start=locked.start,
            reason=reason,
            request=request,
        )
        reminders_sync(appointment=locked, now=now)
        if from_status in ACTIVE_STATUSES and to_status in (S.CANCELLED, S.DECLINED):
            slot_freed.send(
                sender=Appointment, doctor=locked.doctor, start=locked.start, end=locked.end
            )
        if notify:
            notify(locked, role, reason)
    _sync(appointment, locked, fields)
    return locked


def appointment_confirm(*, appointment, actor, now=None, request=None):
    return _change_status(
        appointment=appointment,
        actor=actor,
        action=policy.CONFIRM,
        notify=lambda locked, role, reason: notices.notify_confirmed(locked, role),
        request=request,
        now=now,
    )


def appointment_decline(*, appointment, actor, reason, request=None):
    return _change_status(
        appointment=appointment,
        actor=actor,
        action=policy.DECLINE,
        reason=reason,
        notify=notices.notify_declined,
        request=request,
    )


def appointment_cancel(*, appointment, actor, reason="", now=None, request=None):
    """The patient cancels before the visit type's cut-off; the doctor and staff may
    cancel later too, and always tell the patient why (appointments/policy.py)."""
    return _change_status(
        appointment=appointment,
        actor=actor,
        action=policy.CANCEL,
        reason=reason,
        notify=notices.notify_cancelled,
        request=request,
        now=now,
    )


def appointment_complete(*, appointment, actor, now=None, request=None):
    """Mark a started visit completed and draft its invoice from the fee schedule."""
    with transaction.atomic():
        completed = _change_status(
            appointment=appointment,
            actor=actor,
            action=policy.COMPLETE,
            request=request,
            now=now,
        )
        visit_completed.send(
            sender=Appointment, appointment=completed, actor=actor, request=request
        )
    return completed


def appointment_mark_no_show(*, appointment, actor, now=None, request=None):
    return _change_status(
        appointment=appointment,
        actor=actor,
        action=policy.NO_SHOW,
        request=request,
        now=now,
    )


def appointment_reschedule(*, appointment, actor, new_start, reason="", now=None, request=None):
    """Move an active appointment to another free slot of the same visit type.

    The same row moves, so the old time is released only if the new one is taken
    in the same transaction; on any refusal nothing changes. A patient's move waits
    for the doctor's approval again when the visit type asks for it; a move by the
    doctor or staff keeps the status.
    """
    now = now or timezone.now()
    reason = _clean_reason(reason)
    with transaction.atomic():
        _lock_doctor(appointment.doctor)
        locked = _lock(appointment)
        role = _require_allowed(locked, actor, policy.RESCHEDULE, now, reason)
        if timezone.is_naive(new_start):
            raise BookingError(_("The start time needs a time zone."), code="naive")
        new_start = new_start.astimezone(dt.UTC)
        if new_start == locked.start:
            raise BookingError(_("Choose a different time."), code="same_time")
        code, message, location = slots.check_slot_location(
            doctor=locked.doctor,
            visit_type=locked.visit_type,
            start=new_start,
            mode=locked.mode,
            now=now,
            exclude=locked,
        )
        if code is not None:
            raise _slot_error(code, message)
        visit_type = locked.visit_type
        new_end = new_start + visit_type.duration
        if _patient_busy(locked.patient, new_start, new_end, exclude_pk=locked.pk):
            raise BookingError(PATIENT_OVERLAP_MESSAGE, code="patient_overlap")

        from_status, from_start = locked.status, locked.start
        locked.start = new_start
        locked.end = new_end
        locked.blocked_start = new_start - visit_type.buffer_before
        locked.blocked_end = new_end + visit_type.buffer_after
        if not locked.is_online:
            locked.location = location
        if role == PATIENT and visit_type.requires_approval:
            locked.status = S.PENDING
        locked.sequence += 1
        locked.status_reason = reason
        fields = [
            "start",
            "end",
            "blocked_start",
            "blocked_end",
            "location",
            "status",
            "status_reason",
            "sequence",
            "updated_at",
        ]
        _save_or_conflict(locked, update_fields=fields)
        _record(
            appointment=locked,
            actor=actor,
            from_status=from_status,
            to_status=locked.status,
            from_start=from_start,
            reason=reason,
            request=request,
        )
        reminders_sync(appointment=locked, now=now)
        slot_freed.send(sender=Appointment, doctor=locked.doctor, start=from_start, end=from_start)
        notices.notify_rescheduled(locked, role, from_start=from_start, reason=reason)
    _sync(appointment, locked, fields)
    return locked
