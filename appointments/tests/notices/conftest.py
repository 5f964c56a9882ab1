"""A doctor with a weekly schedule and helpers to book real free slots, at the real
time: reminders and the worker run on the clock."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from appointments import slots
from appointments.models import Mode
from appointments.services import appointment_book
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from doctors.tests.factories import SpecializationFactory


@pytest.fixture
def clinic(doctor):
    """The treating doctor: Cardiology at City Care Clinic, 12 MG Road, Bengaluru (IST)."""
    doctor.specializations.set([SpecializationFactory(name="Cardiology")])
    weekly_schedule(doctor)
    return doctor


@pytest.fixture
def visit_type(clinic):
    return VisitTypeFactory(doctor=clinic, name="Consultation", duration_minutes=30)


def free_starts(doctor, visit_type, days_ahead=3):
    day = (timezone.now() + dt.timedelta(days=days_ahead)).astimezone(doctor.tz).date()
    return [
        slot.start
        for slot in slots.free_slots(
            doctor=doctor, visit_type=visit_type, start_date=day, end_date=day
        )
    ]


@pytest.fixture
def book(clinic, visit_type, patient_a):
    def _book(*, days_ahead=3, index=0, mode=Mode.IN_PERSON, patient=None, **kwargs):
        start = free_starts(clinic, visit_type, days_ahead)[index]
        return appointment_book(
            patient=patient or patient_a,
            doctor=clinic,
            visit_type=visit_type,
            start=start,
            mode=mode,
            **kwargs,
        )

    return _book


def emails_to(address, subject_part=""):
    return [m for m in mail.outbox if address in m.to and subject_part in m.subject]


def ics_of(message):
    """The parsed calendar attached to an email, and the part's Content-Type."""
    parts = [a for a in message.attachments if not isinstance(a, tuple)]
    assert len(parts) == 1, "exactly one calendar file is attached"
    part = parts[0]
    return Calendar.from_ical(part.get_payload(decode=True)), part
