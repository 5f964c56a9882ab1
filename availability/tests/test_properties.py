"""Whatever happens to a schedule, through every service that changes one, the stored
free slots are the ones the engine computes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appointments import services
from appointments.errors import BookingError
from appointments.models import ACTIVE_STATUSES, Appointment, ModeOffer, TimeOff, VisitType
from appointments.slots import free_slots
from appointments.tests.test_slot_properties import ZONES
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory
from schedules import services as schedule

from .checks import assert_stored_equals_computed

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "book",
    "cancel",
    "decline",
    "reschedule",
    "time_off_add",
    "time_off_delete",
    "window_add",
    "window_delete",
    "visit_type_change",
    "visit_type_toggle",
    "zone_change",
]
REFUSED = (BookingError, PermissionDenied, ValidationError)


def _clinic(zone):
    doctor = DoctorFactory(time_zone=zone)
    for weekday in range(0, 7, 2):
        schedule.availability_rule_save(
            doctor=doctor,
            weekday=weekday,
            start_time=dt.time(9),
            end_time=dt.time(13),
            mode=ModeOffer.BOTH,
        )
    for name, minutes, after in (("Consultation", 30, 10), ("Follow-up", 15, 0)):
        schedule.visit_type_save(
            doctor=doctor,
            name=name,
            duration_minutes=minutes,
            mode=ModeOffer.BOTH,
            buffer_before_minutes=0,
            buffer_after_minutes=after,
            min_notice_minutes=60,
            max_advance_days=30,
            cancel_cutoff_hours=0,
            reschedule_cutoff_hours=0,
            requires_approval=minutes == 15,
            is_active=True,
        )
    return doctor


def _pick(items, n):
    items = list(items)
    return items[n % len(items)] if items else None


def _free(doctor, visit_type, now, exclude=None):
    today = now.astimezone(doctor.tz).date()
    return free_slots(
        doctor=doctor,
        visit_type=visit_type,
        start_date=today,
        end_date=today + dt.timedelta(days=20),
        now=now,
        exclude=exclude,
    )


def _apply(operation, n, doctor, patients, now):
    actor = doctor.user
    visit_types = VisitType.objects.filter(doctor=doctor).order_by("pk")
    active = Appointment.objects.filter(doctor=doctor, status__in=ACTIVE_STATUSES).order_by("pk")
    if operation == "book":
        visit_type = _pick(visit_types.filter(is_active=True), n)
        slot = visit_type and _pick(_free(doctor, visit_type, now), n * 7)
        if slot:
            services.appointment_book(
                patient=_pick(patients, n),
                doctor=doctor,
                visit_type=visit_type,
                start=slot.start,
                mode=slot.modes[0],
                now=now,
            )
    elif operation in ("cancel", "decline") and active.exists():
        appointment = _pick(active, n)
        change = getattr(services, f"appointment_{operation}")
        change(appointment=appointment, actor=actor, reason="Clinic closed")
    elif operation == "reschedule" and active.exists():
        appointment = _pick(active, n)
        slot = _pick(_free(doctor, appointment.visit_type, now, exclude=appointment), n * 3)
        if slot:
            services.appointment_reschedule(
                appointment=appointment, actor=actor, new_start=slot.start, reason="Moved", now=now
            )
    elif operation == "time_off_add":
        start = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=3 + n % 200)
        schedule.time_off_add(doctor=doctor, start=start, end=start + dt.timedelta(hours=1 + n % 9))
    elif operation == "time_off_delete" and doctor.time_off.exists():
        schedule.time_off_delete(
            doctor=doctor, time_off=_pick(TimeOff.objects.filter(doctor=doctor), n)
        )
    elif operation == "window_add":
        schedule.availability_rule_save(
            doctor=doctor,
            weekday=n % 7,
            start_time=dt.time(14 + n % 3),
            end_time=dt.time(17 + n % 3),
            mode=_pick(ModeOffer.values, n),
        )
    elif operation == "window_delete" and doctor.availability_rules.exists():
        schedule.availability_rule_delete(
            doctor=doctor, rule=_pick(doctor.availability_rules.all(), n)
        )
    elif operation == "visit_type_change":
        visit_type = _pick(visit_types, n)
        schedule.visit_type_save(
            doctor=doctor,
            visit_type=visit_type,
            buffer_before_minutes=5 * (n % 3),
            buffer_after_minutes=5 * (n % 4),
            duration_minutes=15 + 15 * (n % 3),
        )
    elif operation == "visit_type_toggle":
        visit_type = _pick(visit_types, n)
        schedule.visit_type_save(
            doctor=doctor, visit_type=visit_type, is_active=not visit_type.is_active
        )
    elif operation == "zone_change":
        doctor.time_zone = _pick(ZONES, n)
        doctor.save(update_fields=["time_zone"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zone=st.sampled_from(ZONES),
    steps=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 10_000)), min_size=1, max_size=12
    ),
)
def test_stored_slots_equal_computed_after_any_sequence(zone, steps):
    now = timezone.now()
    with transaction.atomic():
        doctor = _clinic(zone)
        patients = [PatientFactory().user for _ in range(4)]
        for operation, n in steps:
            try:
                with transaction.atomic():
                    _apply(operation, n, doctor, patients, now)
            except REFUSED:
                pass  # refused changes change nothing, stored slots included
            doctor.refresh_from_db()
        assert_stored_equals_computed(doctor, now)
        transaction.set_rollback(True)
