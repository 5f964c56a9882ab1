"""The grid of the slot engine (appointments/slots.py): one doctor's schedule loaded
once, its weekly windows laid out as starts in the doctor's own time zone, and the
starts of one local day that time off and active appointments leave free.

Nothing here decides who may be booked or caches anything; slots.py does both.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from .models import (
    ACTIVE_STATUSES,
    Appointment,
    AvailabilityRule,
    Mode,
    ModeOffer,
    TimeOff,
)

UTC = dt.UTC
# A date range longer than this is cut short: nobody books further than a year ahead.
MAX_RANGE_DAYS = 400


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # aware, UTC
    end: dt.datetime  # aware, UTC
    modes: tuple[str, ...]  # Mode values offered for this slot
    location: str
    visit_type_id: int | None = None

    def local_start(self, tz):
        return self.start.astimezone(tz)

    def local_end(self, tz):
        return self.end.astimezone(tz)

    @property
    def value(self):
        """The start as an ISO 8601 string in UTC, for a form field or a URL."""
        return self.start.isoformat()

    @property
    def duration(self):
        return self.end - self.start

    def allows(self, mode):
        return mode in self.modes


@dataclass
class Schedule:
    """What the engine needs about one doctor, loaded once."""

    tz: object
    practice_address: str
    rules_by_weekday: dict
    time_off: list  # [(start, end)] in UTC
    busy: list  # [(blocked_start, blocked_end)] of active appointments, in UTC


def window_bounds(day, rule, tz):
    """The window in UTC. A bound inside a spring-forward gap is read with the offset
    from before the change, so it moves later by the gap (02:30 becomes 03:30)."""
    start = dt.datetime.combine(day, rule.start_time).replace(tzinfo=tz).astimezone(UTC)
    end = dt.datetime.combine(day, rule.end_time).replace(tzinfo=tz).astimezone(UTC)
    return start, end


def overlaps(start, end, intervals):
    return any(other_start < end and start < other_end for other_start, other_end in intervals)


def _pitch(visit_type):
    return visit_type.buffer_before + visit_type.duration + visit_type.buffer_after


def slot_modes(visit_type, rule):
    return tuple(
        mode
        for mode in Mode.values
        if ModeOffer.allows(visit_type.mode, mode) and ModeOffer.allows(rule.mode, mode)
    )


def grid(day, rule, visit_type, tz):
    """Every candidate (start, end, modes, location) of one window on one local date,
    before time off, appointments and the booking horizon are taken into account.

    Starts step by the visit's pitch in real time from the window's start, so two
    offered slots never overlap, also across a clock change: in a spring-forward
    night the grid runs on past the skipped hour; in a fall-back night the repeated
    hour is offered twice, once under each offset (the pages show the offset)."""
    modes = slot_modes(visit_type, rule)
    if not modes:
        return
    window_start, window_end = window_bounds(day, rule, tz)
    pitch = _pitch(visit_type)
    start = window_start
    while start + visit_type.duration <= window_end:
        yield start, start + visit_type.duration, modes, rule.location
        start += pitch


def day_slots(schedule, visit_type, day, earliest, latest):
    found = {}
    for rule in schedule.rules_by_weekday.get(day.weekday(), ()):
        for start, end, modes, location in grid(day, rule, visit_type, schedule.tz):
            if start < earliest or start > latest or start in found:
                continue
            if overlaps(start, end, schedule.time_off):
                continue
            blocked = (start - visit_type.buffer_before, end + visit_type.buffer_after)
            if overlaps(*blocked, schedule.busy):
                continue
            found[start] = Slot(
                start=start,
                end=end,
                modes=modes,
                location=location or schedule.practice_address,
                visit_type_id=visit_type.pk,
            )
    return [found[start] for start in sorted(found)]


def in_order(by_day):
    """The slots of {local date: [Slot]}, earliest first."""
    return [slot for day in sorted(by_day) for slot in by_day[day]]


def booking_horizon(visit_type, now):
    earliest = now + dt.timedelta(minutes=visit_type.min_notice_minutes)
    latest = now + dt.timedelta(days=visit_type.max_advance_days)
    return earliest, latest


def date_range(start_date, end_date):
    days = min((end_date - start_date).days + 1, MAX_RANGE_DAYS)
    return [start_date + dt.timedelta(days=n) for n in range(max(days, 0))]


def _utc_span(start_date, end_date, tz):
    # A day of margin on both sides covers buffers and any UTC offset.
    start = dt.datetime.combine(start_date, dt.time.min).replace(tzinfo=tz) - dt.timedelta(days=1)
    end = dt.datetime.combine(end_date, dt.time.max).replace(tzinfo=tz) + dt.timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)


def load_schedule(doctor, start_date, end_date, exclude_appointment_id=None):
    tz = doctor.tz
    span_start, span_end = _utc_span(start_date, end_date, tz)
    rules_by_weekday = defaultdict(list)
    for rule in AvailabilityRule.objects.filter(doctor=doctor).order_by("start_time"):
        rules_by_weekday[rule.weekday].append(rule)
    time_off = list(
        TimeOff.objects.filter(doctor=doctor, start__lt=span_end, end__gt=span_start).values_list(
            "start", "end"
        )
    )
    busy = Appointment.objects.filter(
        doctor=doctor,
        status__in=ACTIVE_STATUSES,
        blocked_start__lt=span_end,
        blocked_end__gt=span_start,
    )
    if exclude_appointment_id is not None:
        busy = busy.exclude(pk=exclude_appointment_id)
    return Schedule(
        tz=tz,
        practice_address=doctor.practice_address,
        rules_by_weekday=rules_by_weekday,
        time_off=time_off,
        busy=list(busy.values_list("blocked_start", "blocked_end")),
    )
