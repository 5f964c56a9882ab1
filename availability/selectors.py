"""Reads of the materialized availability: free slots and next free slots with
indexed queries. Wherever the materialized days do not cover what is asked (a range
beyond them, a doctor never laid out, a zone just changed), the engine answers, so
every answer is the engine's.
"""

import datetime as dt

from django.db.models import Case, F, OuterRef, Q, Subquery, When

from appointments import slots as engine
from appointments.slot_grid import Slot, date_range, in_order
from doctors.models import VerificationStatus

from .materialize import NEXT_SLOT_DAYS, _next_slot_fields, _now
from .models import DoctorAvailability, FreeSlot, offered_modes


def _covers(state, doctor, first, last):
    return (
        state is not None
        and state.time_zone == doctor.time_zone
        and state.first_day <= first
        and last <= state.last_day
    )


def _bookable_now(now):
    """Free slots that may be booked at `now`: inside notice and advance window, of
    an active visit type of a verified doctor with an active account."""
    return Q(
        opens_at__lte=now,
        closes_at__gte=now,
        visit_type__is_active=True,
        doctor__verification_status=VerificationStatus.VERIFIED,
        doctor__user__is_active=True,
    )


def _slot(row, practice_address):
    return Slot(
        start=row.start,
        end=row.end,
        modes=row.modes,
        location=row.location or practice_address,
        visit_type_id=row.visit_type_id,
    )


def doctor_slots_by_day(*, doctor, visit_types, start_date, end_date, now=None):
    """{visit type id: {local date: [Slot]}} for a doctor's visit types over local dates
    (inclusive), each date a key: two queries when the days are materialized."""
    now = _now(now)
    dates = date_range(start_date, end_date)
    result = {vt.pk: {day: [] for day in dates} for vt in visit_types}
    if not dates or not visit_types:
        return result
    state = DoctorAvailability.objects.filter(doctor_id=doctor.pk).first()
    if not _covers(state, doctor, dates[0], dates[-1]):
        for visit_type in visit_types:
            result[visit_type.pk] = engine.free_slots_by_day(
                doctor=doctor,
                visit_type=visit_type,
                start_date=dates[0],
                end_date=dates[-1],
                now=now,
            )
        return result
    rows = FreeSlot.objects.filter(
        _bookable_now(now),
        doctor_id=doctor.pk,
        visit_type__in=[vt.pk for vt in visit_types],
        local_date__range=(dates[0], dates[-1]),
    ).order_by("start", "visit_type_id")
    for row in rows:
        result[row.visit_type_id][row.local_date].append(_slot(row, doctor.practice_address))
    return result


def free_slots_by_day(*, doctor, visit_type, start_date, end_date, now=None, exclude=None):
    """As appointments.slots.free_slots_by_day, from the materialized days."""
    if exclude is not None or visit_type.doctor_id != doctor.pk:
        return engine.free_slots_by_day(
            doctor=doctor,
            visit_type=visit_type,
            start_date=start_date,
            end_date=end_date,
            now=now,
            exclude=exclude,
        )
    found = doctor_slots_by_day(
        doctor=doctor,
        visit_types=[visit_type],
        start_date=start_date,
        end_date=end_date,
        now=now,
    )
    return found[visit_type.pk]


def free_slots(*, doctor, visit_type, start_date, end_date, now=None, exclude=None):
    """As appointments.slots.free_slots (earliest first), from the materialized days."""
    by_day = free_slots_by_day(
        doctor=doctor,
        visit_type=visit_type,
        start_date=start_date,
        end_date=end_date,
        now=now,
        exclude=exclude,
    )
    return in_order(by_day)


def _from_fields(fields, practice_address):
    if fields["next_start"] is None:
        return None
    return Slot(
        start=fields["next_start"],
        end=fields["next_end"],
        modes=offered_modes(fields["next_in_person"], fields["next_online"]),
        location=fields["next_location"] or practice_address,
        visit_type_id=fields["next_visit_type_id"],
    )


_NEXT_FIELDS = (
    "next_start",
    "next_end",
    "next_visit_type_id",
    "next_in_person",
    "next_online",
    "next_location",
    "valid_until",
    "refreshed_at",
)


def next_free_slots_until(*, doctors, now=None):
    """{doctor id: (earliest bookable free slot within 14 days or None, until when that
    answer holds)} for verified doctors, as the engine's next_free_slots_until: one
    query, plus two per doctor whose stored next slot ran out."""
    now = _now(now)
    ids = [getattr(doctor, "pk", doctor) for doctor in doctors]
    states = {
        row["doctor_id"]: row
        for row in DoctorAvailability.objects.filter(
            doctor_id__in=ids,
            doctor__verification_status=VerificationStatus.VERIFIED,
            doctor__user__is_active=True,
        ).values("doctor_id", "doctor__practice_address", *_NEXT_FIELDS)
    }
    result, unknown = {}, []
    for pk in ids:
        state = states.get(pk)
        if state is None:
            unknown.append(pk)
            continue
        if not state["refreshed_at"] <= now < state["valid_until"]:
            state.update(_next_slot_fields(pk, now))  # read here; the roll-forward writes
        result[pk] = (_from_fields(state, state["doctor__practice_address"]), state["valid_until"])
    if unknown:
        result.update(engine.next_free_slots_until(doctors=unknown, now=now))
    return result


def next_free_slots(*, doctors, now=None):
    found = next_free_slots_until(doctors=doctors, now=now)
    return {pk: slot for pk, (slot, _until) in found.items()}


def with_next_start(doctors, *, now=None):
    """Doctors annotated with `next_free`, the start of their next free slot (None if
    none within 14 days), for ordering in the database: the stored value while it
    holds, else the first bookable free slot."""
    now = _now(now)
    first_free = (
        FreeSlot.objects.filter(
            doctor=OuterRef("pk"),
            opens_at__lte=now,
            closes_at__gte=now,
            start__gte=now,
            start__lte=now + dt.timedelta(days=NEXT_SLOT_DAYS),
            visit_type__is_active=True,
            visit_type__for_colleagues=False,
        )
        .order_by("start", "end", "visit_type_id")
        .values("start")[:1]
    )
    return doctors.annotate(
        next_free=Case(
            When(
                availability__refreshed_at__lte=now,
                availability__valid_until__gt=now,
                then=F("availability__next_start"),
            ),
            default=Subquery(first_free),
        )
    )
