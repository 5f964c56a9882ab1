"""Clock changes: offered slots never overlap in real time, the repeated hour of a
fall-back night can be booked under either offset and is labelled with it, and a
visit across a change shows each end with its own offset."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from appointments.clock import clock, time_span
from appointments.slots import free_slots, is_slot_free
from appointments.tests.factories import AvailabilityRuleFactory, VisitTypeFactory
from doctors.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC

# (zone, a day with a clock change there)
CHANGES = [
    ("Europe/London", dt.date(2027, 3, 28)),
    ("Europe/London", dt.date(2027, 10, 31)),
    ("America/New_York", dt.date(2026, 11, 1)),
    ("America/New_York", dt.date(2027, 3, 14)),
    ("Australia/Lord_Howe", dt.date(2026, 10, 4)),  # a 30-minute change
]


def _slots(zone, day, *, duration, before=0, after=0, start=dt.time(0), end=dt.time(6)):
    profile = DoctorFactory(time_zone=zone)
    AvailabilityRuleFactory(doctor=profile, weekday=day.weekday(), start_time=start, end_time=end)
    visit_type = VisitTypeFactory(
        doctor=profile,
        duration_minutes=duration,
        buffer_before_minutes=before,
        buffer_after_minutes=after,
        min_notice_minutes=0,
    )
    now = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(0), tzinfo=UTC)
    found = free_slots(doctor=profile, visit_type=visit_type, start_date=day, end_date=day, now=now)
    return profile, visit_type, found, now


@pytest.mark.parametrize(("zone", "day"), CHANGES)
@pytest.mark.parametrize(("duration", "before", "after"), [(45, 0, 0), (30, 5, 10), (50, 0, 0)])
def test_offered_slots_never_overlap_in_real_time(zone, day, duration, before, after):
    _, _, found, _ = _slots(zone, day, duration=duration, before=before, after=after)
    assert found
    blocks = [
        (s.start - dt.timedelta(minutes=before), s.end + dt.timedelta(minutes=after)) for s in found
    ]
    for (_, first_end), (second_start, _) in zip(blocks, blocks[1:], strict=False):
        assert first_end <= second_start
    assert all(s.end - s.start == dt.timedelta(minutes=duration) for s in found)


def test_london_spring_forward_with_a_45_minute_visit():
    _, _, found, _ = _slots("Europe/London", dt.date(2027, 3, 28), duration=45, end=dt.time(4))
    london = ZoneInfo("Europe/London")
    labels = [s.start.astimezone(london).strftime("%H:%M %Z") for s in found]
    # 00:30 GMT + 45 minutes is 02:15 BST: no slot starts before that.
    assert labels == ["00:00 GMT", "00:45 GMT", "02:30 BST", "03:15 BST"]


def test_the_repeated_hour_can_be_booked_under_either_offset():
    profile, visit_type, found, now = _slots(
        "America/New_York", dt.date(2026, 11, 1), duration=30, end=dt.time(3)
    )
    new_york = ZoneInfo("America/New_York")
    second_one = dt.datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=new_york)
    assert second_one.astimezone(UTC) in [s.start for s in found]
    for fold in (0, 1):
        start = dt.datetime(2026, 11, 1, 1, 0, fold=fold, tzinfo=new_york).astimezone(UTC)
        assert is_slot_free(
            doctor=profile, visit_type=visit_type, start=start, mode="in_person", now=now
        ) == (True, "")
    assert clock(second_one, new_york) == "01:00 EST"
    assert clock(dt.datetime(2026, 11, 1, 1, 0, tzinfo=new_york), new_york) == "01:00 EDT"
    assert clock(dt.datetime(2026, 11, 1, 9, 0, tzinfo=new_york), new_york) == "09:00"


def test_a_visit_across_the_change_shows_each_end_with_its_offset():
    new_york = ZoneInfo("America/New_York")
    start = dt.datetime(2026, 11, 1, 1, 30, tzinfo=new_york)  # EDT
    end = start.astimezone(UTC) + dt.timedelta(minutes=45)

    assert time_span(start, end, new_york) == ("01:30 EDT–01:15 EST", "")
    ordinary = dt.datetime(2026, 11, 2, 9, 0, tzinfo=new_york)
    assert time_span(ordinary, ordinary + dt.timedelta(minutes=30), new_york) == (
        "09:00–09:30",
        "EST",
    )


def test_the_appointment_email_shows_each_end_with_its_offset():
    from appointments.notices import appointment_email_context
    from appointments.tests.factories import AppointmentFactory

    new_york = ZoneInfo("America/New_York")
    profile = DoctorFactory(time_zone="America/New_York")
    visit_type = VisitTypeFactory(doctor=profile, duration_minutes=45)
    start = dt.datetime(2026, 11, 1, 1, 30, tzinfo=new_york).astimezone(UTC)
    appointment = AppointmentFactory(doctor=profile, visit_type=visit_type, start=start)

    shown = appointment_email_context(appointment)["appointment"]
    assert shown["time"] == "01:30 EDT–01:15 EST"
    assert shown["time_zone_abbreviation"] == ""
