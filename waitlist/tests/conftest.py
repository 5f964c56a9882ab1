import datetime as dt

import pytest
from django.utils import timezone

from appointments.models import Mode
from appointments.services import appointment_book
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from patients.tests.factories import PatientFactory


@pytest.fixture
def full_day(doctor):
    """A doctor with one 30-minute slot a day (10:00 in IST), booked out three days
    ahead by another patient: the day the waitlist is about."""
    weekly_schedule(doctor, start=(10, 0), end=(10, 30))
    visit_type = VisitTypeFactory(
        doctor=doctor, name="Consultation", duration_minutes=30, requires_approval=False
    )
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(10), tzinfo=doctor.tz)
    holder = PatientFactory(user__full_name="Hari Holder").user
    appointment = appointment_book(
        patient=holder, doctor=doctor, visit_type=visit_type, start=start, mode=Mode.IN_PERSON
    )
    return {
        "doctor": doctor,
        "visit_type": visit_type,
        "day": day,
        "start": start,
        "appointment": appointment,
        "holder": holder,
    }
