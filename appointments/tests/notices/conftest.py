"""The treating doctor as a cardiologist, bookable (the root visit_type), and a way to
book real free slots at the real time: reminders and the worker run on the clock."""

import pytest
from django.core import mail
from icalendar import Calendar

from appointments.tests.factories import book_free_slot
from doctors.tests.factories import SpecializationFactory


@pytest.fixture
def treating_cardiologist(doctor):
    """The treating doctor: Cardiology at City Care Clinic, 12 MG Road, Bengaluru (IST)."""
    doctor.specializations.set([SpecializationFactory(name="Cardiology")])
    return doctor


@pytest.fixture
def book_slot(treating_cardiologist, visit_type, patient_a):
    """book_slot(**kwargs): patient A (or `patient`) books a free slot with the
    treating cardiologist, three days ahead unless told (book_free_slot)."""

    def _book(*, patient=None, **kwargs):
        return book_free_slot(
            patient=patient or patient_a,
            doctor=treating_cardiologist,
            visit_type=visit_type,
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
