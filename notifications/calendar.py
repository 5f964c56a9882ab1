"""Calendar files (RFC 5545) as notices carry them: the pieces every file shares.

An app builds its own VEVENTs with `calendar_address` and `clinic_organizer`;
`calendar_ics` wraps them in one VCALENDAR with the method that tells a
calendar app what to do with it (REQUEST adds or updates, CANCEL removes,
PUBLISH is a read-only feed).
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, vCalAddress, vText

# Unchanged since the first files went out: calendar apps may keep it.
PRODID = "-//MedConnect//Appointments//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def site_host():
    return urlsplit(settings.MEDCONNECT_SITE_URL).hostname or "medconnect.local"


def calendar_address(email, name, **params):
    """A mailto: address with its common name and parameters (role="CHAIR" -> ROLE=CHAIR)."""
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = vText(value)
    return address


def clinic_organizer():
    """The clinic, named as its emails are sent, organises every event."""
    clinic_name, clinic_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return calendar_address(
        clinic_email or "no-reply@medconnect.local", clinic_name or "MedConnect"
    )


def calendar_ics(events, *, method=None, name=None, refresh_interval=None):
    """One calendar file holding `events`, as text."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    if refresh_interval:
        calendar.add("refresh-interval", refresh_interval, parameters={"VALUE": "DURATION"})
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
