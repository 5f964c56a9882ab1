"""What each person may do with an appointment, and when: one rule for every way in.

The services refuse with `appointment_refusal` (reasons included); the appointment page shows its
buttons and the API accepts its actions from `appointment_actions`, restricted to
what each role does there (`OFFERED`: staff run the visit itself from Django
Admin). Who may *see* an appointment is decided where it is fetched
(appointments/access.py; docs/security.md).
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from .access import DOCTOR, PATIENT, STAFF
from .errors import BookingError, IllegalTransition
from .models import TRANSITIONS, AppointmentKind, AppointmentStatus

CONFIRM, DECLINE, CANCEL = "confirm", "decline", "cancel"
RESCHEDULE, COMPLETE, NO_SHOW = "reschedule", "complete", "no_show"
ACTIONS = (CONFIRM, DECLINE, CANCEL, RESCHEDULE, COMPLETE, NO_SHOW)

S = AppointmentStatus
# The status each action leads to (a reschedule keeps or resets it; see the service).
TARGET = {CONFIRM: S.CONFIRMED, DECLINE: S.DECLINED, CANCEL: S.CANCELLED}
TARGET.update({COMPLETE: S.COMPLETED, NO_SHOW: S.NO_SHOW})

# Who may take each action at all.
ROLES = {
    CONFIRM: (DOCTOR, STAFF),
    DECLINE: (DOCTOR, STAFF),
    COMPLETE: (DOCTOR, STAFF),
    NO_SHOW: (DOCTOR, STAFF),
    CANCEL: (PATIENT, DOCTOR, STAFF),
    RESCHEDULE: (PATIENT, DOCTOR, STAFF),
}

# Consultation records and prescriptions are written for these visits only.
CLINICAL_STATUSES = (S.CONFIRMED, S.COMPLETED)

# What each role does on the appointment page and through the API.
OFFERED = {
    PATIENT: frozenset({CANCEL, RESCHEDULE}),
    DOCTOR: frozenset({CONFIRM, DECLINE, COMPLETE, NO_SHOW, CANCEL}),
    STAFF: frozenset({CANCEL}),
}


def appointment_role(user, appointment):
    """The person's part in this appointment (patient, doctor, staff), or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.STAFF:
        return STAFF
    if user.role == Role.DOCTOR and appointment.doctor.user_id == user.pk:
        return DOCTOR
    if user.role == Role.PATIENT and appointment.patient_id == user.pk:
        return PATIENT
    # The doctor who booked a case discussion takes the booker's part in it.
    if (
        user.role == Role.DOCTOR
        and appointment.kind == AppointmentKind.COLLEAGUE
        and appointment.patient_id == user.pk
    ):
        return PATIENT
    return None


def reason_required(role, action, appointment, now):
    """Whether this action needs a reason for the other side to read."""
    if action == DECLINE:
        return True
    if action == CANCEL:
        return role in (DOCTOR, STAFF)  # the patient is told why; a patient may say why
    if action == RESCHEDULE:
        return role in (DOCTOR, STAFF) and now > appointment.reschedule_cutoff_at
    return False


def _state_refusal(role, action, appointment, now):
    """Why the appointment's status or time forbids the action now, or None."""
    if action == RESCHEDULE:
        if not appointment.is_active:
            label = appointment.get_status_display().lower()
            return IllegalTransition(
                _("A %(status)s appointment cannot be rescheduled.") % {"status": label}
            )
        if role == PATIENT and now > appointment.reschedule_cutoff_at:
            hours = appointment.visit_type.reschedule_cutoff_hours
            return BookingError(
                _(
                    "Appointments can be moved online up to %(hours)s hours before they "
                    "start. Please call the clinic."
                )
                % {"hours": hours},
                code="cutoff",
            )
        return None
    target = TARGET[action]
    if target not in TRANSITIONS.get(appointment.status, set()):
        current, wanted = appointment.get_status_display().lower(), target.label.lower()
        return IllegalTransition(
            _("A %(current)s appointment cannot be marked %(wanted)s.")
            % {"current": current, "wanted": wanted}
        )
    if action == CONFIRM and appointment.has_started(now):
        return BookingError(_("The time of this visit has passed."), code="past")
    if action in (COMPLETE, NO_SHOW) and not appointment.has_started(now):
        return BookingError(_("This visit has not started yet."), code="not_started")
    if action == CANCEL and role == PATIENT and now > appointment.cancel_cutoff_at:
        hours = appointment.visit_type.cancel_cutoff_hours
        return BookingError(
            _(
                "Appointments can be cancelled online up to %(hours)s hours before they "
                "start. Please call the clinic."
            )
            % {"hours": hours},
            code="cutoff",
        )
    return None


def _reason_refusal(role, action, appointment, now, reason):
    """Why the reason given is not enough, or None."""
    if reason or not reason_required(role, action, appointment, now):
        return None
    if action == DECLINE:
        message = _("Say why you decline; the patient will see it.")
    elif action == CANCEL and now > appointment.cancel_cutoff_at:
        message = _("This is past the cancellation cut-off: give a reason for the patient.")
    elif action == CANCEL:
        message = _("Say why you cancel; the patient will see it.")
    else:
        message = _("This is past the rescheduling cut-off: give a reason for the patient.")
    return BookingError(message, code="reason")


def appointment_refusal(user, appointment, action, now=None, *, reason=None):
    """Why `user` may not take `action` on `appointment` now, or None if they may.

    PermissionDenied for someone with no part in it (or the wrong part); otherwise
    a BookingError naming what stands in the way. With `reason` (the text the
    person gave, stripped), a missing reason the action needs is refused too."""
    role = appointment_role(user, appointment)
    if role is None:
        return PermissionDenied(_("You cannot change this appointment."))
    if role not in ROLES[action]:
        return PermissionDenied(_("Only the doctor can do that."))
    now = now or timezone.now()
    refusal = _state_refusal(role, action, appointment, now)
    if refusal is None and reason is not None:
        refusal = _reason_refusal(role, action, appointment, now, reason)
    return refusal


def appointment_actions(user, appointment, now=None):
    """The actions `user` may take on `appointment` now on its page and through the API."""
    role = appointment_role(user, appointment)
    if role is None:
        return frozenset()
    now = now or timezone.now()
    return frozenset(
        action
        for action in OFFERED[role]
        if role in ROLES[action] and _state_refusal(role, action, appointment, now) is None
    )


def can_write_clinical(user, appointment):
    """The visit's own doctor writes its notes and prescriptions once it is confirmed."""
    role = appointment_role(user, appointment)
    return (
        role == DOCTOR
        and appointment.status in CLINICAL_STATUSES
        and appointment.kind != AppointmentKind.COLLEAGUE  # no patient: nothing clinical
    )


def visit_reason_visible(user, appointment):
    """The reason a patient gives for a visit is for them and that visit's doctor only:
    not staff, not other doctors who treat the patient."""
    return user.pk in (appointment.patient_id, appointment.doctor.user_id)


def video_link_visible(user, appointment):
    """Only the two people in an online visit get its room link, while the visit is on."""
    in_visit = user.pk in (appointment.patient_id, appointment.doctor.user_id)
    return in_visit and appointment.is_online and appointment.is_active
