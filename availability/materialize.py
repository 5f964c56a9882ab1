"""Writes of the materialized availability: the engine's free slots of the coming
days, kept equal to what appointments/slots.py computes.

- A new active appointment removes exactly the slots whose blocked range (visit plus
  the visit type's buffers) overlaps its own: one DELETE (`slots_taken`).
- Freed time (a cancellation, a decline, a move, a completed visit) recomputes the
  local days whose slots could reach it (`slots_freed`).
- Anything else (weekly windows, visit types, time off, the doctor's zone) recomputes
  the doctor's whole materialized range (`doctor_rebuild`).
- Days pass: `roll_forward` drops past days, lays out new ones and renews next slots
  before they run out.

Everything that recomputes locks the doctor's row first, the lock bookings of that
doctor queue on, so a recomputation always reads the appointments committed before
it and a booking after it sees its rows.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from appointments.models import Mode, VisitType
from appointments.slot_grid import Schedule, day_slots, load_schedule
from doctors.models import DoctorProfile

from .models import DoctorAvailability, FreeSlot

UTC = dt.UTC
_ALL_TIME = (dt.datetime.min.replace(tzinfo=UTC), dt.datetime.max.replace(tzinfo=UTC))
# The engine's next free slot looks this far ahead (slots.next_free_slots).
NEXT_SLOT_DAYS = 14
# A next slot is renewed at least this often even if nothing says it changed.
NEXT_SLOT_MAX_AGE = dt.timedelta(hours=6)
INSERT_BATCH = 2000


def materialized_days():
    return getattr(settings, "MEDCONNECT_AVAILABILITY_DAYS", 31)


def _now(now):
    return (now or timezone.now()).astimezone(UTC)


def _lock_doctor(doctor_id):
    return (
        DoctorProfile.objects.select_for_update(of=("self",))
        .only("pk", "time_zone", "practice_address")
        .filter(pk=doctor_id)
        .first()
    )


def _day_schedule(schedule, day):
    """The schedule cut to the appointments and time off near one local day, so each
    candidate start is checked against a handful of intervals rather than a month's."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=schedule.tz) - dt.timedelta(days=1)
    end = start + dt.timedelta(days=3)

    def near(intervals):
        return [(a, b) for a, b in intervals if a < end and start < b]

    return Schedule(
        tz=schedule.tz,
        practice_address=schedule.practice_address,
        rules_by_weekday=schedule.rules_by_weekday,
        time_off=near(schedule.time_off),
        busy=near(schedule.busy),
    )


def _rows(doctor, visit_types, first, last):
    """FreeSlot rows (unsaved) of the local dates first..last, from the engine."""
    if first > last or not visit_types:
        return []
    schedule = load_schedule(doctor, first, last)
    if not schedule.rules_by_weekday:
        return []
    rows = []
    day = first
    while day <= last:
        if schedule.rules_by_weekday.get(day.weekday()):
            narrowed = _day_schedule(schedule, day)
            for visit_type in visit_types:
                notice = dt.timedelta(minutes=visit_type.min_notice_minutes)
                advance = dt.timedelta(days=visit_type.max_advance_days)
                for slot in day_slots(narrowed, visit_type, day, *_ALL_TIME):
                    rows.append(
                        FreeSlot(
                            doctor_id=doctor.pk,
                            visit_type_id=visit_type.pk,
                            local_date=day,
                            start=slot.start,
                            end=slot.end,
                            blocked_start=slot.start - visit_type.buffer_before,
                            blocked_end=slot.end + visit_type.buffer_after,
                            opens_at=slot.start - advance,
                            closes_at=slot.start - notice,
                            in_person=Mode.IN_PERSON in slot.modes,
                            online=Mode.ONLINE in slot.modes,
                            # The window's own place; blank means the practice address,
                            # read with the doctor so an address change needs no rebuild.
                            location=slot.location
                            if slot.location != doctor.practice_address
                            else "",
                        )
                    )
        day += dt.timedelta(days=1)
    return rows


def _active_visit_types(doctor_id):
    return list(VisitType.objects.filter(doctor_id=doctor_id, is_active=True).order_by("pk"))


def _replace_days(doctor, first, last):
    FreeSlot.objects.filter(doctor_id=doctor.pk, local_date__range=(first, last)).delete()
    rows = _rows(doctor, _active_visit_types(doctor.pk), first, last)
    FreeSlot.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    return len(rows)


def doctor_rebuild(*, doctor_id, now=None):
    """Lay out the doctor's free slots of the coming days from scratch."""
    now = _now(now)
    with transaction.atomic():
        doctor = _lock_doctor(doctor_id)
        if doctor is None:
            return 0
        first = now.astimezone(doctor.tz).date()
        last = first + dt.timedelta(days=materialized_days() - 1)
        FreeSlot.objects.filter(doctor_id=doctor_id).delete()
        count = len(rows := _rows(doctor, _active_visit_types(doctor_id), first, last))
        FreeSlot.objects.bulk_create(rows, batch_size=INSERT_BATCH)
        DoctorAvailability.objects.update_or_create(
            doctor_id=doctor_id,
            defaults={
                "time_zone": doctor.time_zone,
                "first_day": first,
                "last_day": last,
                **_next_slot_fields(doctor_id, now),
            },
        )
    return count


def slots_taken(*, doctor_id, start, end, now=None):
    """An active appointment now blocks [start, end): its overlapping slots go."""
    now = _now(now)
    state = (
        DoctorAvailability.objects.filter(doctor_id=doctor_id)
        .values("next_start", "next_end")
        .first()
    )
    if state is None:
        doctor_rebuild(doctor_id=doctor_id, now=now)
        return
    FreeSlot.objects.filter(
        doctor_id=doctor_id, blocked_start__lt=end, blocked_end__gt=start
    ).delete()
    # The next slot went only if the taken time reaches it (buffers are under a day).
    next_start = state["next_start"]
    day = dt.timedelta(days=1)
    if next_start is not None and start - day < next_start < end + day:
        next_slot_refresh(doctor_id=doctor_id, now=now)


def slots_freed(*, doctor_id, start, end, now=None):
    """[start, end) is no longer blocked by an appointment: recompute the local days
    whose slots could have been kept out by it."""
    now = _now(now)
    with transaction.atomic():
        doctor = _lock_doctor(doctor_id)
        state = DoctorAvailability.objects.filter(doctor_id=doctor_id).first()
        if doctor is None:
            return
        if state is None or state.time_zone != doctor.time_zone:
            doctor_rebuild(doctor_id=doctor_id, now=now)
            return
        # A slot is kept out by the range if its own blocked range overlaps it; no
        # visit with its buffers is as long as a day.
        tz = doctor.tz
        first = max((start - dt.timedelta(days=1)).astimezone(tz).date(), state.first_day)
        last = min((end + dt.timedelta(days=1)).astimezone(tz).date(), state.last_day)
        if first <= last:
            _replace_days(doctor, first, last)
        next_slot_refresh(doctor_id=doctor_id, now=now)


def _next_slot_fields(doctor_id, now):
    """The next-slot columns of DoctorAvailability, computed from the free slots."""
    horizon = now + dt.timedelta(days=NEXT_SLOT_DAYS)
    # The next free slot patients see: slots of visit types for colleagues never count.
    patients_slots = FreeSlot.objects.filter(doctor_id=doctor_id, visit_type__for_colleagues=False)
    bookable = patients_slots.filter(opens_at__lte=now, closes_at__gte=now, start__gte=now)
    first = bookable.filter(start__lte=horizon).order_by("start", "end", "visit_type_id").first()
    # Until when that answer holds: the slot falls inside its notice, an earlier one
    # enters its advance window, or (with none) a later one enters the horizon.
    limit = first.start if first else horizon
    later = patients_slots.aggregate(
        opening=Min("opens_at", filter=Q(opens_at__gt=now, start__lt=limit, start__gte=now)),
        entering=Min("start", filter=Q(start__gt=horizon, closes_at__gte=now)),
    )
    candidates = [now + NEXT_SLOT_MAX_AGE]
    if first is not None:
        candidates.append(first.closes_at)
    if later["opening"] is not None:
        candidates.append(later["opening"])
    if first is None and later["entering"] is not None:
        candidates.append(later["entering"] - dt.timedelta(days=NEXT_SLOT_DAYS))
    return {
        "next_start": first.start if first else None,
        "next_end": first.end if first else None,
        "next_visit_type_id": first.visit_type_id if first else None,
        "next_in_person": bool(first and first.in_person),
        "next_online": bool(first and first.online),
        "next_location": first.location if first else "",
        "valid_until": max(min(candidates), now),
        "refreshed_at": now,
    }


def next_slot_refresh(*, doctor_id, now=None):
    now = _now(now)
    DoctorAvailability.objects.filter(doctor_id=doctor_id).update(
        **_next_slot_fields(doctor_id, now)
    )


def _roll_doctor(doctor_id, now, margin):
    """Bring one doctor's materialized days and next slot up to `now`; False when
    another worker holds the doctor or has already brought it up to date."""
    with transaction.atomic():
        state = (
            DoctorAvailability.objects.select_for_update(skip_locked=True)
            .filter(doctor_id=doctor_id)
            .first()
        )
        if state is None:
            return False
        doctor = _lock_doctor(doctor_id)
        if doctor is None:
            return False
        if doctor.time_zone != state.time_zone:
            doctor_rebuild(doctor_id=doctor_id, now=now)
            return True
        today = now.astimezone(doctor.tz).date()
        if state.first_day >= today and (state.valid_until > now + margin):
            return False
        last = today + dt.timedelta(days=materialized_days() - 1)
        if state.first_day < today:
            FreeSlot.objects.filter(doctor_id=doctor_id, local_date__lt=today).delete()
            state.first_day = today
        if state.last_day < last:
            _replace_days(doctor, max(state.last_day + dt.timedelta(days=1), today), last)
            state.last_day = last
        for name, value in _next_slot_fields(doctor_id, now).items():
            setattr(state, name, value)
        state.save()
    return True


def roll_forward(*, now=None, margin=dt.timedelta(minutes=2)):
    """Every doctor whose local day turned or whose next slot runs out within `margin`,
    brought up to date; doctors with weekly windows and nothing materialized, built.
    Returns (rolled, built)."""
    now = _now(now)
    due = Q(valid_until__lte=now + margin)
    for zone in DoctorAvailability.objects.values_list("time_zone", flat=True).distinct():
        due |= Q(time_zone=zone, first_day__lt=now.astimezone(ZoneInfo(zone)).date())
    rolled = sum(
        _roll_doctor(doctor_id, now, margin)
        for doctor_id in DoctorAvailability.objects.filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    missing = (
        DoctorProfile.objects.filter(availability__isnull=True, availability_rules__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    built = 0
    for doctor_id in list(missing):
        doctor_rebuild(doctor_id=doctor_id, now=now)
        built += 1
    return rolled, built
