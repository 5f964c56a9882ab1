import datetime as dt

import pytest
from django.utils import timezone

from analytics.rollups import rollup_rebuild
from appointments.models import AppointmentStatus
from doctors.models import Specialization

from .factories import visit, window


@pytest.fixture
def clinic(doctor, other_doctor, patient_a, patient_b):
    """Two doctors with a week of visits around today, rolled up."""
    cardio = Specialization.objects.create(name="Cardiology", slug="cardiology")
    derm = Specialization.objects.create(name="=Dermatology", slug="derm")
    doctor.specializations.add(cardio)
    other_doctor.specializations.add(derm)
    today = timezone.now().astimezone(doctor.tz).date()
    for weekday in range(7):
        window(doctor, weekday)
        window(other_doctor, weekday)
    for n in range(1, 6):
        day = dt.datetime.combine(today - dt.timedelta(days=n), dt.time(9, 0))
        visit(doctor, day, patient=patient_a)
        visit(doctor, day.replace(hour=10), patient=patient_b, status=AppointmentStatus.NO_SHOW)
        visit(other_doctor, day.replace(hour=11), patient=patient_b)
    for profile in (doctor, other_doctor):
        rollup_rebuild(doctor=profile, first=today - dt.timedelta(days=70), last=today)
    return today
