"""Calendar files (RFC 5545) for appointments: the email attachment, the
"Add to calendar" download and the private feed.

One appointment is always one event with the same UID, so a calendar app
updates it in place: SEQUENCE is the appointment's sequence (raised on every
reschedule), and a cancellation is the same UID with STATUS:CANCELLED.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from accounts.languages import in_language_of
from notifications.calendar import (
    CANCEL,
    PUBLISH,
    REQUEST,
    calendar_address,
    calendar_ics,
    clinic_organizer,
    site_host,
)

from .models import AppointmentKind, AppointmentStatus, Mode

# Statuses whose event is shown as cancelled in calendars.
ENDED_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED)
# Calendar apps that honour it fetch the feed again after this long.
FEED_REFRESH_INTERVAL = dt.timedelta(hours=1)


def appointment_uid(appointment):
    return f"appointment-{appointment.pk}@{site_host()}"


def appointment_path(appointment):
    """The page of the visit: a case discussion has its page in the doctor network
    (named by URL only, so this app imports nothing above it)."""
    if appointment.kind == AppointmentKind.COLLEAGUE:
        return reverse("network:discussion", kwargs={"pk": appointment.pk})
    return reverse("appointments:detail", kwargs={"pk": appointment.pk})


def appointment_absolute_url(appointment):
    return f"{settings.MEDCONNECT_SITE_URL}{appointment_path(appointment)}"


def _location(appointment):
    doctor = appointment.doctor
    if appointment.mode == Mode.ONLINE:
        return appointment.video_url or _("Online (video)")
    place = appointment.location or doctor.practice_address
    return ", ".join(part for part in (doctor.practice_name, place, doctor.city) if part)


def appointment_event(appointment, *, viewer=None, cancelled=None, now=None):
    """One VEVENT; `viewer` (the patient or the doctor's user) picks the summary. Its
    words are in the active language (the recipient's, for a notice's file)."""
    doctor = appointment.doctor
    if cancelled is None:
        cancelled = appointment.status in ENDED_STATUSES
    doctor_name = _("Dr. %(name)s") % {"name": doctor.user.full_name}
    visit = appointment.visit_type.name
    if viewer is not None and viewer.pk == doctor.user_id:
        summary = f"{visit}: {appointment.patient.full_name}"
    else:
        summary = _("%(visit)s with %(doctor)s") % {"visit": visit, "doctor": doctor_name}

    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("dtstamp", (now or timezone.now()).astimezone(dt.UTC))
    event.add("dtstart", appointment.start.astimezone(dt.UTC))
    event.add("dtend", appointment.end.astimezone(dt.UTC))
    event.add("sequence", appointment.sequence)
    event.add("summary", summary)
    event.add("location", _location(appointment))
    url = appointment_absolute_url(appointment)
    event.add("url", url)
    lines = [
        _("%(visit)s with %(doctor)s, %(practice)s.")
        % {"visit": visit, "doctor": doctor_name, "practice": doctor.practice_name},
        _("Manage it: %(url)s") % {"url": url},
    ]
    if appointment.mode == Mode.ONLINE and appointment.video_url and not cancelled:
        lines.insert(1, _("Video link: %(url)s") % {"url": appointment.video_url})
    event.add("description", "\n".join(lines))
    if cancelled:
        status = "CANCELLED"
    elif appointment.status == AppointmentStatus.PENDING:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    event.add("status", status)
    if cancelled:
        event.add("transp", "TRANSPARENT")
    # The clinic organises the visit; the doctor and the patient attend it.
    event.add("organizer", clinic_organizer())
    event.add(
        "attendee",
        calendar_address(
            doctor.user.email, doctor_name, role="CHAIR", partstat="ACCEPTED", rsvp="FALSE"
        ),
    )
    event.add(
        "attendee",
        calendar_address(
            appointment.patient.email,
            appointment.patient.full_name,
            role="REQ-PARTICIPANT",
            partstat="ACCEPTED",
            rsvp="FALSE",
        ),
    )
    return event


def appointment_ics(appointment, *, method=REQUEST, viewer=None, now=None):
    """A calendar file with this appointment: METHOD REQUEST, or CANCEL when it ended."""
    event = appointment_event(
        appointment, viewer=viewer, cancelled=True if method == CANCEL else None, now=now
    )
    return calendar_ics([event], method=method)


def feed_ics(appointments, *, viewer, name="MedConnect appointments", now=None):
    """The viewer's feed, in their language (calendar apps send no language of theirs)."""
    with in_language_of(viewer):
        return calendar_ics(
            [
                appointment_event(appointment, viewer=viewer, now=now)
                for appointment in appointments
            ],
            method=PUBLISH,
            name=name,
            refresh_interval=FEED_REFRESH_INTERVAL,
        )
