"""Properties of the slot engine over drawn schedules, zones, bookings and time off:
what it offers is free, and the wall-clock grid holds on any day."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from appointments.models import ModeOffer
from appointments.slots import free_slots, is_slot_free
from appointments.tests.factories import (
    AppointmentFactory,
    AvailabilityRuleFactory,
    TimeOffFactory,
    VisitTypeFactory,
)
from doctors.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC

ZONES = ["Asia/Kolkata", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]


@st.composite
def schedules(draw):
    windows = []
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)):
        start = draw(st.integers(0, 40)) * 15  # minutes after midnight, up to 10:00
        for _ in range(draw(st.integers(1, 2))):
            length = draw(st.integers(2, 32)) * 15
            end = min(start + length, 24 * 60 - 15)
            if end <= start:
                break
            windows.append((weekday, start, end, draw(st.sampled_from(ModeOffer.values))))
            start = end + draw(st.integers(0, 8)) * 15
    return windows


def _clock(minutes):
    return dt.time(minutes // 60, minutes % 60)


def _drawn_clinic(patient_a, *, zone, windows, visit_type_fields, now, busy, away):
    """A doctor in `zone` with the drawn weekly windows, the visit type under test, busy
    time of another visit type (what the database refuses is left out) and time off."""
    quarter = dt.timedelta(minutes=15)
    profile = DoctorFactory(time_zone=zone)
    for weekday, start, end, mode in windows:
        AvailabilityRuleFactory(
            doctor=profile,
            weekday=weekday,
            start_time=_clock(start),
            end_time=_clock(end),
            mode=mode,
        )
    visit_type = VisitTypeFactory(doctor=profile, **visit_type_fields)
    other_type = VisitTypeFactory(doctor=profile, duration_minutes=15, buffer_after_minutes=5)
    origin = now.replace(minute=0, second=0, microsecond=0)
    for offset, quarters in busy:
        start = origin + offset * quarter
        try:
            with transaction.atomic():
                AppointmentFactory(
                    doctor=profile,
                    patient=patient_a,
                    visit_type=other_type,
                    start=start,
                    end=start + quarters * quarter,
                    blocked_end=start + quarters * quarter + dt.timedelta(minutes=5),
                )
        except IntegrityError:
            pass  # overlapping another drawn appointment: the database said no
    for offset, quarters in away:
        start = origin + offset * quarter
        TimeOffFactory(doctor=profile, start=start, end=start + quarters * quarter)
    return profile, visit_type


def _assert_offered_slots_are_free(found, profile, visit_type, *, now, notice, advance, visit_mode):
    """Each slot: sorted and distinct, its length, inside the horizon, a mode both offer,
    clear of busy time with buffers and of time off, inside a window of its weekday; the
    first three pass the booking check too."""
    tz = profile.tz
    blocks = list(profile.appointments.active().values_list("blocked_start", "blocked_end"))
    time_off = list(profile.time_off.values_list("start", "end"))
    rules = list(profile.availability_rules.all())
    event("slots offered" if found else "no slot offered")
    starts = [slot.start for slot in found]
    assert starts == sorted(set(starts))
    for slot in found:
        assert slot.end - slot.start == visit_type.duration
        assert now + dt.timedelta(minutes=notice) <= slot.start
        assert slot.start <= now + dt.timedelta(days=advance)
        assert slot.modes and all(ModeOffer.allows(visit_mode, m) for m in slot.modes)
        held = (slot.start - visit_type.buffer_before, slot.end + visit_type.buffer_after)
        assert not any(s < held[1] and held[0] < e for s, e in blocks)
        assert not any(s < slot.end and slot.start < e for s, e in time_off)
        local_start, local_end = slot.local_start(tz), slot.local_end(tz)
        day = local_start.date()
        assert any(
            rule.weekday == day.weekday()
            and dt.datetime.combine(day, rule.start_time, tzinfo=tz) <= local_start
            and local_end <= dt.datetime.combine(day, rule.end_time, tzinfo=tz)
            and all(ModeOffer.allows(rule.mode, m) for m in slot.modes)
            for rule in rules
        )
    for slot in found[:3]:
        assert is_slot_free(
            doctor=profile,
            visit_type=visit_type,
            start=slot.start,
            mode=slot.modes[0],
            now=now,
        ) == (True, "")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zone=st.sampled_from(ZONES),
    windows=schedules(),
    duration=st.integers(1, 24).map(lambda n: n * 5),
    buffer_before=st.sampled_from([0, 5, 10, 15]),
    buffer_after=st.sampled_from([0, 5, 10, 30]),
    notice=st.integers(0, 48 * 60),
    advance=st.integers(1, 10),
    visit_mode=st.sampled_from(ModeOffer.values),
    now=st.datetimes(
        min_value=dt.datetime(2026, 1, 1),
        max_value=dt.datetime(2026, 12, 20),
        timezones=st.just(UTC),
    ),
    busy=st.lists(st.tuples(st.integers(0, 10 * 24 * 4), st.integers(1, 12)), max_size=12),
    away=st.lists(st.tuples(st.integers(0, 10 * 24 * 4), st.integers(1, 48)), max_size=3),
)
def test_every_offered_slot_is_really_free(
    patient_a,
    zone,
    windows,
    duration,
    buffer_before,
    buffer_after,
    notice,
    advance,
    visit_mode,
    now,
    busy,
    away,
):
    with transaction.atomic():
        profile, visit_type = _drawn_clinic(
            patient_a,
            zone=zone,
            windows=windows,
            visit_type_fields={
                "duration_minutes": duration,
                "buffer_before_minutes": buffer_before,
                "buffer_after_minutes": buffer_after,
                "min_notice_minutes": notice,
                "max_advance_days": advance,
                "mode": visit_mode,
            },
            now=now,
            busy=busy,
            away=away,
        )
        tz = profile.tz
        first_day = now.astimezone(tz).date()
        found = free_slots(
            doctor=profile,
            visit_type=visit_type,
            start_date=first_day,
            end_date=first_day + dt.timedelta(days=advance + 1),
            now=now,
        )

        _assert_offered_slots_are_free(
            found,
            profile,
            visit_type,
            now=now,
            notice=notice,
            advance=advance,
            visit_mode=visit_mode,
        )
        transaction.set_rollback(True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
    hour=st.integers(0, 20),
)
def test_the_wall_clock_grid_holds_on_any_day(db, zone, day, hour):
    with transaction.atomic():
        profile = DoctorFactory(time_zone=zone)
        AvailabilityRuleFactory(
            doctor=profile,
            weekday=day.weekday(),
            start_time=dt.time(hour),
            end_time=dt.time(hour + 3),
        )
        visit_type = VisitTypeFactory(doctor=profile, duration_minutes=60, min_notice_minutes=0)
        found = free_slots(
            doctor=profile,
            visit_type=visit_type,
            start_date=day,
            end_date=day,
            now=dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=UTC),
        )
        tz = profile.tz
        starts = [s.start for s in found]
        assert len(starts) == len(set(starts))
        for slot in found:
            local = slot.local_start(tz)
            assert local.date() == day
            assert hour <= local.hour < hour + 3
            # Starts step by the hour in real time from the window's start, so across a
            # half-hour clock change (Lord Howe) a start may read :30 on the wall clock.
            assert (slot.start - found[0].start) % dt.timedelta(hours=1) == dt.timedelta(0)
        if found:
            assert found[0].local_start(tz).minute in (0, 30)
        # On a day without a change every hour of the window is offered.
        if all(
            dt.datetime.combine(day, dt.time(h), tzinfo=tz).utcoffset()
            == dt.datetime.combine(day, dt.time(hour), tzinfo=tz).utcoffset()
            for h in range(hour, min(hour + 4, 24))
        ):
            assert [s.local_start(tz).hour for s in found] == [hour, hour + 1, hour + 2]
        transaction.set_rollback(True)
