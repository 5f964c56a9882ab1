import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from appointments.models import AppointmentStatus, Mode, ModeOffer
from appointments.slot_grid import Slot
from appointments.slots import free_slots, free_slots_by_day, is_slot_free, next_free_slots
from appointments.tests.factories import (
    IST,
    MONDAY,
    NOW,
    AppointmentFactory,
    AvailabilityRuleFactory,
    TimeOffFactory,
    VisitTypeFactory,
    at,
    weekly_schedule,
)
from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local_times(found, tz=IST):
    return [slot.start.astimezone(tz).strftime("%a %H:%M") for slot in found]


def slots_on(doctor, visit_type, day, now=NOW):
    date = MONDAY + dt.timedelta(days=day)
    return free_slots(doctor=doctor, visit_type=visit_type, start_date=date, end_date=date, now=now)


@pytest.fixture
def slot_visit_type(doctor):
    """A 30-minute visit type without weekly windows: each test sets its own."""
    return VisitTypeFactory(doctor=doctor, duration_minutes=30)


# The grid ---------------------------------------------------------------------


def test_slots_step_through_each_window_by_the_visit_length(doctor, slot_visit_type):
    AvailabilityRuleFactory(doctor=doctor, weekday=1, start_time=dt.time(9), end_time=dt.time(11))
    AvailabilityRuleFactory(
        doctor=doctor, weekday=1, start_time=dt.time(14), end_time=dt.time(15, 15)
    )

    found = slots_on(doctor, slot_visit_type, 1)

    assert local_times(found) == [
        "Tue 09:00",
        "Tue 09:30",
        "Tue 10:00",
        "Tue 10:30",
        "Tue 14:00",
        "Tue 14:30",
    ]
    assert all(
        slot.start.tzinfo == UTC and slot.end - slot.start == dt.timedelta(minutes=30)
        for slot in found
    )
    assert found[0].value == "2026-12-08T03:30:00+00:00"


def test_buffers_widen_the_step(doctor):
    visit_type = VisitTypeFactory(
        doctor=doctor, duration_minutes=30, buffer_before_minutes=5, buffer_after_minutes=10
    )
    AvailabilityRuleFactory(doctor=doctor, weekday=1, start_time=dt.time(9), end_time=dt.time(11))
    assert local_times(slots_on(doctor, visit_type, 1)) == ["Tue 09:00", "Tue 09:45", "Tue 10:30"]


def test_slot_modes_are_what_both_window_and_visit_type_offer(doctor):
    both = VisitTypeFactory(doctor=doctor, mode=ModeOffer.BOTH)
    online = VisitTypeFactory(doctor=doctor, mode=ModeOffer.ONLINE)
    AvailabilityRuleFactory(
        doctor=doctor, weekday=1, start_time=dt.time(9), end_time=dt.time(10), mode=ModeOffer.BOTH
    )
    AvailabilityRuleFactory(
        doctor=doctor,
        weekday=1,
        start_time=dt.time(10),
        end_time=dt.time(11),
        mode=ModeOffer.IN_PERSON,
        location="Annex",
    )

    by_time = {s.start.astimezone(IST).strftime("%H:%M"): s for s in slots_on(doctor, both, 1)}
    assert by_time["09:00"].modes == (Mode.IN_PERSON, Mode.ONLINE)
    assert by_time["09:00"].location == doctor.practice_address
    assert by_time["10:00"].modes == (Mode.IN_PERSON,)
    assert by_time["10:00"].location == "Annex"
    # An online-only visit type has no slot in an in-person-only window.
    assert local_times(slots_on(doctor, online, 1)) == ["Tue 09:00", "Tue 09:30"]


def test_time_off_and_active_appointments_remove_slots(doctor, slot_visit_type, patient_a):
    AvailabilityRuleFactory(doctor=doctor, weekday=1, start_time=dt.time(9), end_time=dt.time(12))
    TimeOffFactory(doctor=doctor, start=at(1, 9, 15), end=at(1, 10))
    AppointmentFactory(
        doctor=doctor, patient=patient_a, visit_type=slot_visit_type, start=at(1, 10)
    )
    AppointmentFactory(
        doctor=doctor,
        visit_type=slot_visit_type,
        start=at(1, 11),
        status=AppointmentStatus.CANCELLED,
    )
    long_with_buffer = VisitTypeFactory(doctor=doctor, duration_minutes=15, buffer_after_minutes=15)
    AppointmentFactory(doctor=doctor, visit_type=long_with_buffer, start=at(1, 11, 30))

    # 09:00 and 09:30 touch the time off, 10:00 is booked, 11:30-12:00 is blocked
    # by a visit and its buffer; the cancelled 11:00 visit holds nothing.
    assert local_times(slots_on(doctor, slot_visit_type, 1)) == ["Tue 10:30", "Tue 11:00"]


def test_notice_and_advance_window(doctor):
    visit_type = VisitTypeFactory(doctor=doctor, min_notice_minutes=90, max_advance_days=2)
    weekly_schedule(doctor, start=(9, 0), end=(12, 0))
    found = free_slots(
        doctor=doctor,
        visit_type=visit_type,
        start_date=MONDAY - dt.timedelta(days=1),
        end_date=MONDAY + dt.timedelta(days=5),
        now=NOW,
    )
    assert found[0].start == at(0, 10, 30)
    assert found[-1].start == at(2, 9)  # exactly two days ahead is still in the window


def test_unverified_doctors_and_inactive_visit_types_have_no_slots(unverified_doctor, doctor):
    weekly_schedule(unverified_doctor)
    weekly_schedule(doctor)
    assert not slots_on(unverified_doctor, VisitTypeFactory(doctor=unverified_doctor), 1)
    inactive = VisitTypeFactory(doctor=doctor, is_active=False)
    assert not slots_on(doctor, inactive, 1)
    assert not slots_on(doctor, VisitTypeFactory(doctor=unverified_doctor), 1)


def test_by_day_has_every_date_of_the_range(doctor, slot_visit_type):
    weekly_schedule(doctor, weekdays=[1])
    by_day = free_slots_by_day(
        doctor=doctor,
        visit_type=slot_visit_type,
        start_date=MONDAY,
        end_date=MONDAY + dt.timedelta(days=6),
        now=NOW,
    )
    assert list(by_day) == [MONDAY + dt.timedelta(days=n) for n in range(7)]
    assert [len(v) for v in by_day.values()] == [0, 16, 0, 0, 0, 0, 0]


def test_is_slot_free_explains_each_refusal(doctor, slot_visit_type, patient_a):
    weekly_schedule(doctor)
    TimeOffFactory(doctor=doctor, start=at(2, 0), end=at(3, 0))
    AppointmentFactory(
        doctor=doctor, patient=patient_a, visit_type=slot_visit_type, start=at(1, 12)
    )
    cases = {
        at(1, 10): "",
        at(0, 8): "already passed",
        at(0, 10): "at least 2 hours ahead",
        at(70, 10): "at most 60 days ahead",
        at(1, 20): "does not see patients",
        at(1, 10, 5): "offered start times",
        at(2, 10): "away",
        at(1, 12): "just taken",
    }
    for start, expected in cases.items():
        free, message = is_slot_free(
            doctor=doctor, visit_type=slot_visit_type, start=start, mode=Mode.IN_PERSON, now=NOW
        )
        assert free == (expected == ""), (start, message)
        assert expected in message


def test_next_free_slots_for_many_doctors_in_fixed_queries(django_assert_num_queries):
    doctors = []
    for n in range(12):
        profile = DoctorFactory(time_zone="Europe/Berlin" if n % 2 else "Asia/Kolkata")
        weekly_schedule(profile, weekdays=[(n % 5) + 1])
        VisitTypeFactory(doctor=profile, duration_minutes=30 + 15 * (n % 3))
        doctors.append(profile)
    idle = DoctorFactory()  # no windows
    pending = DoctorFactory(verification_status=VerificationStatus.PENDING)
    weekly_schedule(pending)
    VisitTypeFactory(doctor=pending)

    with django_assert_num_queries(5):
        result = next_free_slots(doctors=[*doctors, idle, pending], now=NOW)

    assert result[idle.pk] is None and result[pending.pk] is None
    for profile in doctors:
        slot = result[profile.pk]
        assert isinstance(slot, Slot)
        expected = free_slots(
            doctor=profile,
            visit_type=profile.visit_types.get(),
            start_date=MONDAY,
            end_date=MONDAY + dt.timedelta(days=14),
            now=NOW,
        )[0]
        assert slot == expected

    with django_assert_num_queries(5):
        next_free_slots(doctors=doctors[:2], now=NOW)


# Daylight saving --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "first_day"),
    [("Europe/Berlin", dt.date(2026, 3, 26)), ("America/New_York", dt.date(2026, 10, 29))],
)
def test_local_times_hold_across_a_daylight_saving_change(zone, first_day):
    tz = ZoneInfo(zone)
    profile = DoctorFactory(time_zone=zone)
    weekly_schedule(profile, start=(9, 0), end=(10, 0))
    visit_type = VisitTypeFactory(doctor=profile, duration_minutes=30)
    now = dt.datetime.combine(first_day - dt.timedelta(days=1), dt.time(8), tzinfo=tz)

    by_day = free_slots_by_day(
        doctor=profile,
        visit_type=visit_type,
        start_date=first_day,
        end_date=first_day + dt.timedelta(days=6),
        now=now,
    )

    offsets = set()
    for day, found in by_day.items():
        assert [s.start.astimezone(tz).time() for s in found] == [dt.time(9), dt.time(9, 30)]
        assert all(s.start.astimezone(tz).date() == day for s in found)
        offsets.add(found[0].start.astimezone(tz).utcoffset())
    assert len(offsets) == 2  # the week really crossed a change


def test_spring_forward_skips_the_missing_hour():
    profile = DoctorFactory(time_zone="Europe/Berlin")
    AvailabilityRuleFactory(
        doctor=profile, weekday=6, start_time=dt.time(1), end_time=dt.time(4)
    )  # Sunday 29 March 2026: 02:00 jumps to 03:00
    visit_type = VisitTypeFactory(doctor=profile, duration_minutes=30, min_notice_minutes=0)
    day = dt.date(2026, 3, 29)
    found = free_slots(
        doctor=profile,
        visit_type=visit_type,
        start_date=day,
        end_date=day,
        now=dt.datetime(2026, 3, 28, tzinfo=UTC),
    )
    assert local_times(found, BERLIN) == ["Sun 01:00", "Sun 01:30", "Sun 03:00", "Sun 03:30"]
    # 01:30 + 30 minutes is 03:00 local: the visit really is 30 minutes long.
    assert all(s.end - s.start == dt.timedelta(minutes=30) for s in found)


def test_fall_back_offers_the_repeated_hour_under_each_offset_and_no_instant_twice():
    profile = DoctorFactory(time_zone="America/New_York")
    AvailabilityRuleFactory(
        doctor=profile, weekday=6, start_time=dt.time(0), end_time=dt.time(3)
    )  # Sunday 1 November 2026: 02:00 goes back to 01:00
    visit_type = VisitTypeFactory(doctor=profile, duration_minutes=30, min_notice_minutes=0)
    day = dt.date(2026, 11, 1)
    found = free_slots(
        doctor=profile,
        visit_type=visit_type,
        start_date=day,
        end_date=day,
        now=dt.datetime(2026, 10, 31, tzinfo=UTC),
    )
    starts = [s.start for s in found]
    assert len(starts) == len(set(starts))
    assert starts == sorted(starts)
    # 01:00 and 01:30 happen twice: both are real times the doctor works.
    assert [s.start.astimezone(NEW_YORK).strftime("%H:%M %Z") for s in found] == [
        "00:00 EDT",
        "00:30 EDT",
        "01:00 EDT",
        "01:30 EDT",
        "01:00 EST",
        "01:30 EST",
        "02:00 EST",
        "02:30 EST",
    ]
