"""Seeded schedules: visit types and weekly windows for every verified doctor, time
off for some. The calendars are sampled from these windows."""

import datetime as dt
from zoneinfo import ZoneInfo

from appointments.models import AvailabilityRule, ModeOffer, TimeOff, VisitType

from .writer import next_id

# Weekly windows: (weekdays, start, end, mode). The grid of every template fits
# Consultations (30 min + 10 min buffer) back to back.
TEMPLATES = [
    [
        (range(5), dt.time(9, 0), dt.time(13, 0), ModeOffer.BOTH),
        (range(5), dt.time(16, 0), dt.time(19, 0), ModeOffer.IN_PERSON),
        ((5,), dt.time(10, 0), dt.time(13, 0), ModeOffer.ONLINE),
    ],
    [
        (range(6), dt.time(10, 0), dt.time(14, 0), ModeOffer.IN_PERSON),
        ((1, 3), dt.time(18, 0), dt.time(20, 0), ModeOffer.ONLINE),
    ],
    [
        ((0, 2, 4), dt.time(8, 0), dt.time(12, 0), ModeOffer.BOTH),
        ((0, 2, 4), dt.time(14, 0), dt.time(18, 0), ModeOffer.BOTH),
        ((1, 3), dt.time(17, 0), dt.time(20, 0), ModeOffer.ONLINE),
    ],
]
# name, duration, buffer after, mode, minimum notice (min), max advance (days)
VISIT_TYPES = [
    ("Consultation", 30, 10, ModeOffer.BOTH, 120, 60),
    ("Follow-up", 15, 5, ModeOffer.BOTH, 60, 30),
    ("Extended consultation", 60, 0, ModeOffer.IN_PERSON, 24 * 60, 60),
]
CONSULTATION, FOLLOW_UP = 0, 1

VISIT_TYPE_COLUMNS = [
    "id",
    "doctor_id",
    "name",
    "duration_minutes",
    "mode",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "max_advance_days",
    "cancel_cutoff_hours",
    "reschedule_cutoff_hours",
    "requires_approval",
]
RULE_COLUMNS = ["id", "doctor_id", "weekday", "start_time", "end_time", "mode", "location"]


def seed_schedules(run):
    """Visit types and weekly windows for every verified doctor; time off for some.

    Fills `run.visit_types` (doctor id -> [(id, duration, buffer after, requires
    approval)]) and `run.time_off` (doctor id -> (start, end)).
    """
    rng = run.rng
    vt_id, rule_id, off_id = next_id(VisitType), next_id(AvailabilityRule), next_id(TimeOff)
    visit_types, rules, time_off = [], [], []
    for did, _uid, tz, _fee, template, _addr in run.doctors:
        own = []
        for name, minutes, after, mode, notice, advance in VISIT_TYPES:
            approval = rng.random() < 0.6
            visit_types.append(
                (vt_id, did, name, minutes, mode, 0, after, notice, advance, 24, 24, approval)
            )
            own.append((vt_id, minutes, after, approval))
            vt_id += 1
        run.visit_types[did] = own
        for weekdays, start, end, mode in TEMPLATES[template]:
            for day in weekdays:
                rules.append((rule_id, did, day, start, end, mode, ""))
                rule_id += 1
        if rng.random() < 0.1:
            # A few days away within the next month.
            first = run.now.astimezone(ZoneInfo(tz)).date() + dt.timedelta(days=rng.randint(10, 30))
            start = dt.datetime.combine(first, dt.time.min, tzinfo=ZoneInfo(tz))
            end = start + dt.timedelta(days=rng.randint(1, 4))
            time_off.append((off_id, did, start, end, "Conference"))
            run.time_off[did] = (start, end)
            off_id += 1
    run.writer.write(VisitType, VISIT_TYPE_COLUMNS, visit_types)
    run.writer.write(AvailabilityRule, RULE_COLUMNS, rules)
    run.writer.write(TimeOff, ["id", "doctor_id", "start", "end", "reason"], time_off)
