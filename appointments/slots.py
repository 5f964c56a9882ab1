"""Free slots: the single source the pages, the API and booking all ask.

How a slot is made, for one visit type of one doctor (the grid itself, and the free
starts of one day, are computed in appointments/slot_grid.py):

- Every weekly window (AvailabilityRule) of the local weekday is laid out in the
  doctor's own time zone. Starts are on a grid from the window's start, one
  *pitch* apart, where pitch = buffer before + duration + buffer after: back-to-back
  bookings of one visit type then fill a window exactly, and no offered start is
  made unbookable by its neighbour's buffers alone.
- The grid is in local wall-clock time, so 09:00 stays 09:00 across a daylight
  saving change. Local times that do not exist (spring forward) are skipped; a
  repeated local hour (fall back) is taken once, at its first occurrence, so no UTC
  instant is offered twice.
- The visit [start, end) lies inside the window; its buffers may reach outside it.
- The window's mode and the visit type's mode share at least one mode.
- The visit does not overlap the doctor's time off.
- [start - buffer before, end + buffer after) does not overlap the blocked time
  of an active (pending or confirmed) appointment: the same rule the database
  enforces, so a slot offered here is a slot the database accepts.
- now + minimum notice <= start <= now + maximum advance window.
- Only verified doctors and active visit types have slots.

Caching (when MEDCONNECT_SLOT_CACHE_SECONDS > 0, i.e. with a cache every server
process shares): the free slots of one (doctor, visit type, local day) are cached
under the doctor's schedule version, before the booking horizon is applied, so they
stay right as time passes. Every service that can change them (bookings, status
changes, reschedules, visit types, windows, time off) calls schedule_changed(),
which replaces the version once the transaction commits. Booking itself
(check_slot) always reads the database.
"""

import datetime as dt
import time
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doctors.models import DoctorProfile, VerificationStatus

from . import signals
from .models import (
    ACTIVE_STATUSES,
    Appointment,
    AvailabilityRule,
    Mode,
    ModeOffer,
    TimeOff,
    VisitType,
)
from .slot_grid import (
    UTC,
    Schedule,
    booking_horizon,
    date_range,
    day_slots,
    grid,
    in_order,
    load_schedule,
    overlaps,
    slot_modes,
    window_bounds,
)


def _now(now):
    return (now or timezone.now()).astimezone(UTC)


def version_key(doctor_id):
    return f"appointments:schedule-version:{doctor_id}"


def _cache_seconds():
    return getattr(settings, "MEDCONNECT_SLOT_CACHE_SECONDS", 0)


def schedule_version(doctor_id):
    """The current version of a doctor's schedule (a fresh one if the cache lost it)."""
    return cache.get_or_set(version_key(doctor_id), time.time_ns, None)


# Replaced together with any doctor's schedule version: "has any schedule changed
# since?" in one read, for pages that depend on many doctors (page_cache).
GENERATION_KEY = "appointments:schedule-generation"


def schedule_changed(doctor_id, *, taken=None, freed=None):
    """Tell the rest of the system that a doctor's free slots changed.

    `taken` / `freed`: the blocked range (start, end) of an active appointment that
    appeared / went away, when that is all that changed; neither means anything may
    have changed. The materialized availability is updated now, inside the caller's
    transaction (signals.schedule_changed); the cached free slots are forgotten once
    the transaction commits: a reader between a bump and the commit would cache the
    old state under the new version.
    """
    signals.schedule_changed.send(sender=Appointment, doctor_id=doctor_id, taken=taken, freed=freed)
    if _cache_seconds():
        transaction.on_commit(
            lambda: cache.set_many(
                {version_key(doctor_id): time.time_ns(), GENERATION_KEY: time.time_ns()}, None
            )
        )


_ALL_TIME = (dt.datetime.min.replace(tzinfo=UTC), dt.datetime.max.replace(tzinfo=UTC))


def _days_free(doctor, visit_type, days, exclude_id=None):
    """{local date: free slots of the whole day} for consecutive dates, before the horizon."""
    seconds = _cache_seconds()
    if not seconds or exclude_id is not None:
        schedule = load_schedule(doctor, days[0], days[-1], exclude_id)
        return {day: day_slots(schedule, visit_type, day, *_ALL_TIME) for day in days}
    # The profile's own fields (time zone, address) count too: their save moves updated_at.
    stamp = doctor.updated_at.timestamp() if getattr(doctor, "updated_at", None) else 0
    prefix = (
        f"appointments:free-slots:{doctor.pk}:{schedule_version(doctor.pk)}:{stamp}:"
        f"{visit_type.pk}:"
    )
    keys = {day: prefix + day.isoformat() for day in days}
    cached = cache.get_many(list(keys.values()))
    found = {day: cached[key] for day, key in keys.items() if key in cached}
    missing = [day for day in days if day not in found]
    if missing:
        schedule = load_schedule(doctor, missing[0], missing[-1])
        fresh = {day: day_slots(schedule, visit_type, day, *_ALL_TIME) for day in missing}
        cache.set_many({keys[day]: slots for day, slots in fresh.items()}, seconds)
        found.update(fresh)
    return found


def _bookable(doctor, visit_type, *, doctor_is_fresh=False):
    if not visit_type.is_active or visit_type.doctor_id != doctor.pk:
        return False
    if doctor_is_fresh:
        # Just read (and locked) with the account by the caller: no need to ask again.
        return doctor.verification_status == VerificationStatus.VERIFIED and doctor.user.is_active
    return DoctorProfile.objects.verified().filter(pk=doctor.pk).exists()


def free_slots_by_day(*, doctor, visit_type, start_date, end_date, now=None, exclude=None):
    """Free slots per local date (the doctor's zone); every date of the range is a key.

    `exclude` is an appointment whose own time counts as free (for rescheduling it).
    """
    dates = date_range(start_date, end_date)
    result = {day: [] for day in dates}
    if not dates or not _bookable(doctor, visit_type):
        return result
    earliest, latest = booking_horizon(visit_type, _now(now))
    tz = doctor.tz
    first = max(dates[0], earliest.astimezone(tz).date())
    last = min(dates[-1], latest.astimezone(tz).date())
    if first > last:
        return result
    wanted = [day for day in dates if first <= day <= last]
    days = _days_free(doctor, visit_type, wanted, getattr(exclude, "pk", None))
    for day in wanted:
        result[day] = [slot for slot in days[day] if earliest <= slot.start <= latest]
    return result


def free_slots(*, doctor, visit_type, start_date, end_date, now=None, exclude=None):
    """Free slots between two local dates (inclusive), earliest first."""
    by_day = free_slots_by_day(
        doctor=doctor,
        visit_type=visit_type,
        start_date=start_date,
        end_date=end_date,
        now=now,
        exclude=exclude,
    )
    return in_order(by_day)


# A cached "no free slot in the horizon" is rechecked this often: the horizon moves.
NO_SLOT_RECHECK = dt.timedelta(minutes=1)


def many_schedule_versions(ids):
    """schedule_version() of many doctors in two cache round trips."""
    keys = {pk: version_key(pk) for pk in ids}
    found = cache.get_many(list(keys.values()))
    missing = {keys[pk]: time.time_ns() for pk in ids if keys[pk] not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return {pk: found[keys[pk]] for pk in ids}


def next_free_slots(*, doctors, now=None, horizon_days=14):
    """The earliest free slot of each doctor over all their active visit types, or None.

    Five queries however many doctors: doctors, visit types, rules, time off and
    active appointments are each loaded in bulk. With the slot cache on, each
    doctor's answer is kept under their schedule version until the slot falls
    inside its minimum notice (a "none" for a minute), and only misses are computed.
    """
    found = next_free_slots_until(doctors=doctors, now=now, horizon_days=horizon_days)
    return {pk: slot for pk, (slot, _until) in found.items()}


def next_free_slots_until(*, doctors, now=None, horizon_days=14, versions=None):
    """As next_free_slots, each answer with the instant until which it holds.

    `versions`: the doctors' schedule versions if the caller has just read them."""
    now = _now(now)
    ids = [getattr(doctor, "pk", doctor) for doctor in doctors]
    seconds = _cache_seconds()
    if not seconds or not ids:
        return _next_free_slots(ids, now, horizon_days)
    if versions is None or not set(ids) <= versions.keys():
        versions = many_schedule_versions(ids)
    keys = {pk: f"appointments:next-slot:{pk}:{versions[pk]}:{horizon_days}" for pk in ids}
    cached = cache.get_many(list(keys.values()))
    result, missing = {}, []
    for pk in ids:
        entry = cached.get(keys[pk])
        if entry is not None and now <= entry[1]:
            result[pk] = entry
        else:
            missing.append(pk)
    if missing:
        fresh = _next_free_slots(missing, now, horizon_days)
        cache.set_many({keys[pk]: entry for pk, entry in fresh.items()}, seconds)
        result.update(fresh)
    return result


def _next_free_slots(ids, now, horizon_days):
    """{doctor id: (earliest free slot or None, until when that answer holds)}."""
    result = dict.fromkeys(ids, (None, now + NO_SLOT_RECHECK))
    if not ids:
        return result
    profiles = {
        row["pk"]: row
        for row in DoctorProfile.objects.verified()
        .filter(pk__in=ids)
        .values("pk", "time_zone", "practice_address")
    }
    if not profiles:
        return result
    horizon_end = now + dt.timedelta(days=horizon_days + 1)
    # Margins of a day cover buffers and every UTC offset.
    span_start, span_end = now - dt.timedelta(days=1), horizon_end + dt.timedelta(days=1)

    visit_types = defaultdict(list)
    # A patient's next free slot: visit types for colleagues never count.
    for visit_type in (
        VisitType.objects.for_patients()
        .filter(doctor_id__in=profiles)
        .order_by("duration_minutes", "pk")
    ):
        visit_types[visit_type.doctor_id].append(visit_type)
    rules = defaultdict(lambda: defaultdict(list))
    for rule in AvailabilityRule.objects.filter(doctor_id__in=profiles).order_by("start_time"):
        rules[rule.doctor_id][rule.weekday].append(rule)
    time_off = defaultdict(list)
    for doctor_id, start, end in TimeOff.objects.filter(
        doctor_id__in=profiles, start__lt=span_end, end__gt=span_start
    ).values_list("doctor_id", "start", "end"):
        time_off[doctor_id].append((start, end))
    busy = defaultdict(list)
    for doctor_id, start, end in Appointment.objects.filter(
        doctor_id__in=profiles,
        status__in=ACTIVE_STATUSES,
        blocked_start__lt=span_end,
        blocked_end__gt=span_start,
    ).values_list("doctor_id", "blocked_start", "blocked_end"):
        busy[doctor_id].append((start, end))

    for doctor_id, profile in profiles.items():
        if not visit_types[doctor_id] or not rules[doctor_id]:
            continue
        tz = ZoneInfo(profile["time_zone"])
        schedule = Schedule(
            tz=tz,
            practice_address=profile["practice_address"],
            rules_by_weekday=rules[doctor_id],
            time_off=time_off[doctor_id],
            busy=busy[doctor_id],
        )
        today = now.astimezone(tz).date()
        for offset in range(horizon_days + 1):
            day = today + dt.timedelta(days=offset)
            candidates = []
            for visit_type in visit_types[doctor_id]:
                earliest, latest = booking_horizon(visit_type, now)
                latest = min(latest, now + dt.timedelta(days=horizon_days))
                slots = day_slots(schedule, visit_type, day, earliest, latest)
                if slots:
                    # Good until the slot falls inside this visit type's notice.
                    until = slots[0].start - dt.timedelta(minutes=visit_type.min_notice_minutes)
                    candidates.append((slots[0], until))
            if candidates:
                result[doctor_id] = min(
                    candidates, key=lambda entry: (entry[0].start, entry[0].duration)
                )
                break
    return result


# Why a start is not bookable, most fundamental first; "taken" means another
# booking holds the time (booking turns that into SlotTaken).
NOT_BOOKABLE = "not_bookable"
PAST = "past"
NOTICE = "notice"
ADVANCE = "advance"
MODE = "mode"
OUTSIDE = "outside"
OFF_GRID = "off_grid"
TIME_OFF = "time_off"
TAKEN = "taken"


def _minutes_text(minutes):
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def check_slot(*, doctor, visit_type, start, mode, now=None, exclude=None):
    """(code, message) saying why `start` cannot be booked, or (None, "") if it can."""
    code, message, _location = check_slot_location(
        doctor=doctor, visit_type=visit_type, start=start, mode=mode, now=now, exclude=exclude
    )
    return code, message


def check_slot_location(
    *, doctor, visit_type, start, mode, now=None, exclude=None, doctor_is_fresh=False
):
    """As check_slot, with the location of a bookable start as a third value (the
    window's, else the practice address; "" when it cannot be booked).

    `doctor_is_fresh`: the caller has just read the doctor with their account inside
    its transaction (booking locks the row), so that read decides whether the doctor
    can be booked.
    """
    now = _now(now)
    if not _bookable(doctor, visit_type, doctor_is_fresh=doctor_is_fresh):
        if visit_type.doctor_id != doctor.pk:
            return NOT_BOOKABLE, _("This visit type is not offered by this doctor."), ""
        if not visit_type.is_active:
            return NOT_BOOKABLE, _("This visit type is no longer offered."), ""
        return NOT_BOOKABLE, _("This doctor cannot be booked at the moment."), ""
    if mode not in Mode.values or not ModeOffer.allows(visit_type.mode, mode):
        if visit_type.mode == ModeOffer.IN_PERSON:
            text = _("%(visit)s is offered in person only.")
        else:
            text = _("%(visit)s is offered online only.")
        return MODE, text % {"visit": visit_type.name}, ""
    if timezone.is_naive(start):
        return OUTSIDE, _("The start time needs a time zone."), ""
    start = start.astimezone(UTC)
    if start < now:
        return PAST, _("That time has already passed."), ""
    earliest, latest = booking_horizon(visit_type, now)
    if start < earliest:
        notice = _minutes_text(visit_type.min_notice_minutes)
        text = _("%(visit)s must be booked at least %(notice)s ahead.") % {
            "visit": visit_type.name,
            "notice": notice,
        }
        return NOTICE, text, ""
    if start > latest:
        return (
            ADVANCE,
            _("%(visit)s can be booked at most %(days)s days ahead.")
            % {"visit": visit_type.name, "days": visit_type.max_advance_days},
            "",
        )

    tz = doctor.tz
    day = start.astimezone(tz).date()
    schedule = load_schedule(doctor, day, day, getattr(exclude, "pk", None))
    end = start + visit_type.duration
    windows = schedule.rules_by_weekday.get(day.weekday(), ())
    inside = [
        rule
        for rule in windows
        if window_bounds(day, rule, tz)[0] <= start and end <= window_bounds(day, rule, tz)[1]
    ]
    if not inside:
        return OUTSIDE, _("The doctor does not see patients at that time."), ""
    if not any(mode in slot_modes(visit_type, rule) for rule in inside):
        label = Mode(mode).label.lower()
        text = _("The doctor does not offer %(mode)s visits at that time.") % {"mode": label}
        return MODE, text, ""
    location = next(
        (
            loc
            for rule in inside
            for grid_start, _end, modes, loc in grid(day, rule, visit_type, tz)
            if grid_start == start and mode in modes
        ),
        None,
    )
    if location is None:
        return OFF_GRID, _("Choose one of the offered start times."), ""
    if overlaps(start, end, schedule.time_off):
        return TIME_OFF, _("The doctor is away at that time."), ""
    blocked = (start - visit_type.buffer_before, end + visit_type.buffer_after)
    if overlaps(*blocked, schedule.busy):
        return TAKEN, _("This slot was just taken."), ""
    return None, "", location or doctor.practice_address


def is_slot_free(*, doctor, visit_type, start, mode, now=None, exclude=None):
    """(True, "") if a patient may book `start` in `mode`, else (False, the reason)."""
    code, message = check_slot(
        doctor=doctor, visit_type=visit_type, start=start, mode=mode, now=now, exclude=exclude
    )
    return code is None, message
