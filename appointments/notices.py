"""Notices about appointments: what each event says and to whom.

Each notice is an in-app notice plus an email that names the doctor,
specialization, practice and address, the time in the doctor's time zone, the
mode, the video link for online visits and links to manage the visit, with a
calendar file for bookings, moves and cancellations. Each notice, its email and its
calendar file are written in the recipient's language, whoever acted.

Called inside the appointment service's transaction, where the email leaves after it
commits (notification_send); the booking's notices are built after it commits, by
`send_booking_notices`, so the doctor's lock is not held while they are written.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from accounts.languages import in_language_of
from notifications.calendar import CANCEL, REQUEST
from notifications.services import notification_send

from . import policy
from .access import DOCTOR, PATIENT, STAFF
from .calendar import appointment_absolute_url, appointment_ics, appointment_path
from .clock import time_span
from .models import ACTIVE_STATUSES, AppointmentEvent, AppointmentKind, AppointmentStatus, Mode

# Which calendar file each kind of notice carries.
ICS_METHOD_BY_KIND = {
    "appointment_requested": REQUEST,
    "appointment_request_sent": REQUEST,
    "appointment_booked": REQUEST,
    "appointment_confirmed": REQUEST,
    "appointment_rescheduled": REQUEST,
    "appointment_cancelled": CANCEL,
    "appointment_declined": CANCEL,
}

# Kinds with their own email triplet in templates/emails/.
APPOINTMENT_EMAIL_KINDS = {*ICS_METHOD_BY_KIND, "appointment_reminder"}


def _local(moment, tz):
    return moment.astimezone(tz)


# What each action is called in an email's "what you can do" line, in this order.
ACTION_WORDS = (
    (policy.CONFIRM, gettext_lazy("confirm")),
    (policy.DECLINE, gettext_lazy("decline")),
    (policy.RESCHEDULE, gettext_lazy("reschedule")),
    (policy.CANCEL, gettext_lazy("cancel")),
)


def _still_possible(appointment, viewer, now):
    """What the recipient can still do with the appointment online, in words
    ("reschedule or cancel online until Mon 07 Dec, 10:00"), or "" when nothing."""
    if viewer is None:
        return ""
    actions = policy.appointment_actions(viewer, appointment, now)
    words = [str(word) for action, word in ACTION_WORDS if action in actions]
    if not words:
        return ""
    text = _(" or ").join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
    if policy.appointment_role(viewer, appointment) == PATIENT:
        cutoff = min(appointment.cancel_cutoff_at, appointment.reschedule_cutoff_at)
        local = cutoff.astimezone(_viewer_tz(appointment, viewer))
        text += _(" online until %(when)s") % {"when": f"{local:%a %d %b, %H:%M}"}
    return text


def _viewer_tz(appointment, viewer):
    return (viewer.tz if viewer is not None else None) or appointment.doctor.tz


def _viewer_time(appointment, viewer):
    """The time in the recipient's own zone, when it is not the doctor's."""
    zone = viewer.tz if viewer is not None else None
    if zone is None or zone.key == appointment.doctor.time_zone:
        return ""
    start, end = _local(appointment.start, zone), _local(appointment.end, zone)
    return _("%(day)s, %(start)s–%(end)s your time (%(zone)s)") % {
        "day": f"{start:%a %d %b %Y}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "zone": zone.key,
    }


def appointment_email_context(appointment, viewer=None, now=None):
    """What an appointment email shows, as plain JSON fixed at the time of the event;
    `viewer` (the recipient) decides the time zone shown beside the doctor's and what
    the email offers them to do."""
    doctor = appointment.doctor
    tz = doctor.tz
    start = _local(appointment.start, tz)
    end = _local(appointment.end, tz)
    online = appointment.mode == Mode.ONLINE
    place = appointment.location or doctor.practice_address
    return {
        "appointment": {
            "id": appointment.pk,
            "doctor_name": _("Dr. %(name)s") % {"name": doctor.user.full_name},
            "specializations": ", ".join(s.name for s in doctor.specializations.all()),
            "practice_name": doctor.practice_name,
            "address": ", ".join(part for part in (place, doctor.city) if part),
            "patient_name": appointment.patient.full_name,
            "visit_type": appointment.visit_type.name,
            "date": f"{start:%A %d %B %Y}",
            "time": time_span(start, end, tz)[0],
            "time_zone": doctor.time_zone,
            "time_zone_abbreviation": time_span(start, end, tz)[1],
            "mode": appointment.get_mode_display(),
            "is_online": online,
            # The room is shared only while the visit is on.
            "video_url": appointment.video_url
            if online and appointment.status in ACTIVE_STATUSES
            else "",
            "viewer_time": _viewer_time(appointment, viewer),
            "status": appointment.get_status_display(),
            "status_reason": appointment.status_reason,
            "is_active": appointment.status in ACTIVE_STATUSES,
            "still_possible": _still_possible(appointment, viewer, now or timezone.now()),
            "manage_url": appointment_absolute_url(appointment),
            "calendar_url": settings.MEDCONNECT_SITE_URL
            + reverse("appointments:ics", kwargs={"pk": appointment.pk}),
        }
    }


def appointment_notice_send(*, recipient, kind, title, body, appointment, url="", email=True):
    method = ICS_METHOD_BY_KIND.get(kind)
    with in_language_of(recipient):
        return _send(recipient, kind, title, body, appointment, url, email, method)


def _send(recipient, kind, title, body, appointment, url, email, method):
    return notification_send(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=url,
        email=email,
        email_template=kind if kind in APPOINTMENT_EMAIL_KINDS else "",
        context=appointment_email_context(appointment, viewer=recipient),
        ics=appointment_ics(appointment, method=method, viewer=recipient) if method else "",
    )


# What each event says -----------------------------------------------------------


def _detail_url(appointment):
    try:
        return appointment_path(appointment)
    except NoReverseMatch:
        return ""


def _when(appointment):
    local = appointment.local_start()
    return f"{local:%a %d %b %Y, %H:%M} ({appointment.doctor.time_zone})"


def _booker_name(appointment):
    """Who the visit is for, as the doctor's notices name them: a colleague of a case
    discussion is a doctor."""
    if appointment.kind == AppointmentKind.COLLEAGUE:
        return _("Dr. %(name)s") % {"name": appointment.patient.full_name}
    return appointment.patient.full_name


def _doctor_name(appointment):
    return _("Dr. %(name)s") % {"name": appointment.doctor.user.full_name}


def _names(appointment):
    """The words an appointment notice fills in."""
    return {
        "visit": appointment.visit_type.name,
        "doctor": _doctor_name(appointment),
        "patient": _booker_name(appointment),
        "when": _when(appointment),
    }


def _notify(recipient, kind, title, body, appointment, email=True):
    appointment_notice_send(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        appointment=appointment,
        url=_detail_url(appointment),
        email=email,
    )


def _notify_other_party(appointment, role, kind, words):
    """A change by one side is told to the other; one by the clinic, to both.
    `words()` gives (title for the patient, title for the doctor, body), and is called
    in each recipient's language."""
    if role in (DOCTOR, STAFF):
        with in_language_of(appointment.patient):
            title, _doctor_title, body = words()
            _notify(appointment.patient, kind, title, body, appointment)
    if role in (PATIENT, STAFF):
        with in_language_of(appointment.doctor.user):
            _patient_title, title, body = words()
            _notify(appointment.doctor.user, kind, title, body, appointment)


def notify_booked(appointment, actor, email=True):
    """The doctor hears of a new booking (a request when it waits for them); the
    patient always gets its confirmation or the receipt of their request, with the
    calendar file, and is told who booked it when it was someone else."""
    pending = appointment.status == AppointmentStatus.PENDING
    with in_language_of(appointment.doctor.user):
        _notify_booked_doctor(appointment, pending, email)
    with in_language_of(appointment.patient):
        _notify_booked_patient(appointment, actor, pending, email)


def _notify_booked_doctor(appointment, pending, email):
    visit_type = appointment.visit_type
    _notify(
        appointment.doctor.user,
        "appointment_requested" if pending else "appointment_booked",
        (_("Booking request: %(patient)s") if pending else _("New appointment: %(patient)s"))
        % {"patient": _booker_name(appointment)},
        _("%(patient)s booked %(visit)s (%(mode)s) on %(when)s.")
        % {
            "patient": _booker_name(appointment),
            "visit": visit_type.name,
            "mode": appointment.get_mode_display(),
            "when": _when(appointment),
        }
        + (" " + _("Please confirm or decline it.") if pending else ""),
        appointment,
        email=email,
    )


def _notify_booked_patient(appointment, actor, pending, email):
    patient, visit_type = appointment.patient, appointment.visit_type
    doctor_name = _doctor_name(appointment)
    names = {
        "actor": actor.display_name,
        "visit": visit_type.name,
        "doctor": doctor_name,
        "when": _when(appointment),
    }
    if actor.pk != patient.pk:
        body = _("%(actor)s booked %(visit)s for you on %(when)s.") % names
    else:
        body = _("You booked %(visit)s with %(doctor)s on %(when)s.") % names
    if pending:
        body += " " + _("%(doctor)s will confirm it; we will let you know.") % names
    _notify(
        patient,
        "appointment_request_sent" if pending else "appointment_booked",
        (
            _("Request sent: %(visit)s with %(doctor)s")
            if pending
            else _("Booked: %(visit)s with %(doctor)s")
        )
        % names,
        body,
        appointment,
        email=email,
    )


@task()
def send_booking_notices(event_id, email=True):
    """The notices of a committed booking, built from its history row so they state what
    was booked (its status and time then) even if the visit changed since."""
    event = AppointmentEvent.objects.select_related(
        "actor",
        "appointment__doctor__user",
        "appointment__patient",
        "appointment__visit_type",
    ).get(pk=event_id)
    appointment = event.appointment
    length = appointment.end - appointment.start
    appointment.status = event.to_status
    appointment.start, appointment.end = event.to_start, event.to_start + length
    appointment.sequence = 0
    notify_booked(appointment, event.actor or appointment.patient, email=email)


def notify_confirmed(appointment, role):
    def words():
        names = _names(appointment)
        return (
            _("Confirmed: %(visit)s with %(doctor)s") % names,
            _("Confirmed: %(patient)s") % names,
            _("%(visit)s on %(when)s is confirmed.") % names,
        )

    _notify_other_party(appointment, role, "appointment_confirmed", words)


def notify_declined(appointment, role, reason):
    def words():
        names = _names(appointment)
        return (
            _("Declined: %(visit)s with %(doctor)s") % names,
            _("Declined: %(patient)s") % names,
            _("%(visit)s on %(when)s was declined. Reason: %(reason)s")
            % {**names, "reason": reason},
        )

    _notify_other_party(appointment, role, "appointment_declined", words)


def notify_cancelled(appointment, role, reason=""):
    def words():
        if role == PATIENT and appointment.kind == AppointmentKind.COLLEAGUE:
            body = _("%(visit)s on %(when)s was cancelled by the colleague.")
        elif role == PATIENT:
            body = _("%(visit)s on %(when)s was cancelled by the patient.")
        elif role == DOCTOR:
            body = _("%(visit)s on %(when)s was cancelled by the doctor.")
        else:
            body = _("%(visit)s on %(when)s was cancelled by the clinic.")
        names = _names(appointment)
        body %= names
        if reason:
            body += " " + _("Reason: %(reason)s") % {"reason": reason}
        return (
            _("Cancelled: %(visit)s with %(doctor)s") % names,
            _("Cancelled: %(patient)s") % names,
            body,
        )

    _notify_other_party(appointment, role, "appointment_cancelled", words)


def notify_rescheduled(appointment, role, *, from_start, reason=""):
    """The other party hears of the move; a patient's move that now waits for the
    doctor asks them to confirm or decline."""
    old = from_start.astimezone(appointment.doctor.tz)

    def words():
        names = _names(appointment)
        body = _("%(visit)s moved from %(old)s to %(when)s.") % {
            **names,
            "old": f"{old:%a %d %b %Y, %H:%M}",
        }
        if appointment.status == AppointmentStatus.PENDING and role == PATIENT:
            body += " " + _("Please confirm or decline the new time.")
        if reason:
            body += " " + _("Reason: %(reason)s") % {"reason": reason}
        return (
            _("Rescheduled: %(visit)s with %(doctor)s") % names,
            _("Rescheduled: %(patient)s") % names,
            body,
        )

    _notify_other_party(appointment, role, "appointment_rescheduled", words)


def notify_reminder(appointment):
    """The reminder's notice, without its email: the reminder sends that itself, so
    that it sees a failure."""
    with in_language_of(appointment.patient):
        return _reminder(appointment)


def _reminder(appointment):
    doctor_name = _doctor_name(appointment)
    local = appointment.local_start()
    return notification_send(
        recipient=appointment.patient,
        kind="appointment_reminder",
        title=_("Reminder: %(visit)s with %(doctor)s")
        % {"visit": appointment.visit_type.name, "doctor": doctor_name},
        body=_("%(visit)s with %(doctor)s on %(when)s (%(zone)s).")
        % {
            "visit": appointment.visit_type.name,
            "doctor": doctor_name,
            "when": f"{local:%a %d %b %Y, %H:%M}",
            "zone": appointment.doctor.time_zone,
        },
        url=reverse("appointments:detail", kwargs={"pk": appointment.pk}),
        email=False,
        email_template="appointment_reminder",
        context=appointment_email_context(appointment, viewer=appointment.patient),
    )
