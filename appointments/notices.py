"""Notices about appointments: the in-app notice plus an email that names the
doctor, specialization, practice and address, the time in the doctor's time
zone, the mode, the video link for online visits and links to manage the visit,
with a calendar file for bookings, moves and cancellations.

Called inside the appointment service's transaction; the email leaves after it
commits (notification_send)."""

from django.conf import settings
from django.urls import reverse

from notifications.calendar import CANCEL, REQUEST
from notifications.services import notification_send

from .calendar import appointment_absolute_url, appointment_ics
from .models import ACTIVE_STATUSES, Mode

# Which calendar file each kind of notice carries.
ICS_METHOD_BY_KIND = {
    "appointment_requested": REQUEST,
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


def appointment_email_context(appointment):
    """What an appointment email shows, as plain JSON fixed at the time of the event."""
    doctor = appointment.doctor
    tz = doctor.tz
    start = _local(appointment.start, tz)
    end = _local(appointment.end, tz)
    online = appointment.mode == Mode.ONLINE
    place = appointment.location or doctor.practice_address
    return {
        "appointment": {
            "id": appointment.pk,
            "doctor_name": f"Dr. {doctor.user.full_name}",
            "specializations": ", ".join(s.name for s in doctor.specializations.all()),
            "practice_name": doctor.practice_name,
            "address": ", ".join(part for part in (place, doctor.city) if part),
            "patient_name": appointment.patient.full_name,
            "visit_type": appointment.visit_type.name,
            "date": f"{start:%A %d %B %Y}",
            "time": f"{start:%H:%M}–{end:%H:%M}",
            "time_zone": doctor.time_zone,
            "time_zone_abbreviation": start.tzname() or "",
            "mode": appointment.get_mode_display(),
            "is_online": online,
            # The room is shared only while the visit is on.
            "video_url": appointment.video_url
            if online and appointment.status in ACTIVE_STATUSES
            else "",
            "status": appointment.get_status_display(),
            "status_reason": appointment.status_reason,
            "manage_url": appointment_absolute_url(appointment),
            "calendar_url": settings.MEDCONNECT_SITE_URL
            + reverse("appointments:ics", kwargs={"pk": appointment.pk}),
        }
    }


def appointment_notice_send(*, recipient, kind, title, body, appointment, url=""):
    method = ICS_METHOD_BY_KIND.get(kind)
    return notification_send(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=url,
        email_template=kind if kind in APPOINTMENT_EMAIL_KINDS else "",
        context=appointment_email_context(appointment),
        ics=appointment_ics(appointment, method=method, viewer=recipient) if method else "",
    )
