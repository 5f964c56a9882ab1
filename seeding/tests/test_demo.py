import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from appointments.models import Appointment, AppointmentKind, AppointmentStatus, VisitType
from appointments.slots import next_free_slots
from doctors.models import DoctorProfile
from seeding.demo import seed_demo_schedules

pytestmark = pytest.mark.django_db


def test_demo_schedules_are_seeded_once_and_bookable():
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    verified = DoctorProfile.objects.verified().filter(user__email__endswith="@demo.medconnect")
    assert verified.count() == 4
    assert VisitType.objects.for_patients().filter(doctor__in=verified).count() == 8
    # And Dr. Iyer's case discussions for colleagues (seeding/network_demo.py).
    assert VisitType.objects.filter(doctor__in=verified, for_colleagues=True).count() == 1
    # The patients' own visits (the network's referral visits are counted in its test).
    appointments = Appointment.objects.filter(
        patient__email__endswith="@demo.medconnect", kind=AppointmentKind.PATIENT
    )
    now = timezone.now()
    past = appointments.filter(start__lt=now)
    future = appointments.filter(start__gt=now)
    assert past.count() == 4
    assert set(past.values_list("status", flat=True)) == {
        AppointmentStatus.COMPLETED,
        AppointmentStatus.NO_SHOW,
    }
    assert future.count() == 4
    assert {AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED} == set(
        future.values_list("status", flat=True)
    )
    assert all(a.events.exists() for a in appointments)
    slots = next_free_slots(doctors=verified)
    assert all(slot is not None for slot in slots.values())

    counts = seed_demo_schedules()
    assert set(counts.values()) == {0}
    assert appointments.count() == 8
