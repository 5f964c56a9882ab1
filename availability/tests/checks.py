"""The one comparison every availability test makes: stored = computed."""

import datetime as dt

from appointments import slots as engine
from appointments.models import VisitType
from appointments.slot_grid import day_slots, load_schedule
from availability import selectors
from availability.models import DoctorAvailability, FreeSlot

ALL_TIME = (dt.datetime.min.replace(tzinfo=dt.UTC), dt.datetime.max.replace(tzinfo=dt.UTC))


def computed_rows(doctor, visit_type, first, last):
    schedule = load_schedule(doctor, first, last)
    rows, day = [], first
    while day <= last:
        rows += [
            (slot.start, slot.end, slot.modes, slot.location)
            for slot in day_slots(schedule, visit_type, day, *ALL_TIME)
        ]
        day += dt.timedelta(days=1)
    return rows


def stored_rows(doctor, visit_type):
    return [
        (row.start, row.end, row.modes, row.location or doctor.practice_address)
        for row in FreeSlot.objects.filter(visit_type=visit_type).order_by("start")
    ]


def assert_stored_equals_computed(doctor, now):
    """Every stored day of every visit type is exactly the engine's, the reads answer
    as the engine does at `now`, and the stored next slot is the engine's."""
    doctor.refresh_from_db()
    state = DoctorAvailability.objects.get(doctor=doctor)
    assert state.time_zone == doctor.time_zone
    for visit_type in VisitType.objects.filter(doctor=doctor):
        if not visit_type.is_active:
            assert not FreeSlot.objects.filter(visit_type=visit_type).exists()
            continue
        assert stored_rows(doctor, visit_type) == computed_rows(
            doctor, visit_type, state.first_day, state.last_day
        ), visit_type
        window = {"start_date": state.first_day, "end_date": state.last_day, "now": now}
        assert selectors.free_slots(
            doctor=doctor, visit_type=visit_type, **window
        ) == engine.free_slots(doctor=doctor, visit_type=visit_type, **window)
    expected = engine._next_free_slots([doctor.pk], now, 14)[doctor.pk][0]
    assert selectors.next_free_slots(doctors=[doctor], now=now)[doctor.pk] == expected
