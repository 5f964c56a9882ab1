"""Reads of the doctor directory: search and a doctor's public page, each with a
fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, F, Min, OuterRef, prefetch_related_objects
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy

from appointments.models import AvailabilityRule, ModeOffer, VisitType
from appointments.selectors import BOOKING_WINDOW_DAYS
from appointments.slots import many_schedule_versions
from availability.selectors import (
    doctor_slots_by_day,
    free_slots_by_day,
    next_free_slots_until,
    with_next_start,
)
from doctors.models import DoctorProfile

from .page_cache import EVERY_SCHEDULE

SEARCH_PAGE_SIZE = 20


class SearchSort:
    NEXT_SLOT = "next_slot"
    FEE = "fee"
    EXPERIENCE = "experience"
    NAME = "name"

    choices = [
        (NEXT_SLOT, gettext_lazy("Next free slot")),
        (FEE, gettext_lazy("Fee (lowest first)")),
        (EXPERIENCE, gettext_lazy("Experience (most first)")),
        (NAME, gettext_lazy("Name")),
    ]


def _offers(mode):
    """Visit-type or window offers that allow this appointment mode."""
    return [mode, ModeOffer.BOTH]


def doctor_search_queryset(
    *,
    name="",
    specialization=None,
    qualification="",
    weekday=None,
    mode="",
    city="",
    max_fee=None,
):
    """Verified, active doctors matching every filter given (empty filters match all)."""
    doctors = DoctorProfile.objects.verified()
    if name:
        doctors = doctors.filter(user__full_name__icontains=name)
    if specialization is not None:
        doctors = doctors.filter(specializations=specialization)
    if qualification:
        doctors = doctors.filter(qualifications__icontains=qualification)
    if city:
        doctors = doctors.filter(city__iexact=city)
    if max_fee is not None:
        doctors = doctors.filter(consultation_fee__lte=max_fee)
    if weekday is not None or mode:
        # One weekly window must satisfy both the day and the mode asked for.
        rules = AvailabilityRule.objects.filter(doctor=OuterRef("pk"))
        if weekday is not None:
            rules = rules.filter(weekday=weekday)
        if mode:
            rules = rules.filter(mode__in=_offers(mode))
        doctors = doctors.filter(Exists(rules))
    if mode:
        visit_types = VisitType.objects.for_patients().filter(
            doctor=OuterRef("pk"), mode__in=_offers(mode)
        )
        doctors = doctors.filter(Exists(visit_types))
    return doctors


def _schedule_versions(doctors):
    """The schedule versions a cached page showing these doctors depends on."""
    if not settings.MEDCONNECT_SLOT_CACHE_SECONDS or not doctors:
        return {}
    return many_schedule_versions([doctor.pk for doctor in doctors])


def doctor_search(*, page=1, sort=SearchSort.NEXT_SLOT, now=None, **filters):
    """One page of matching doctors, each with `.next_slot` (a Slot or None).

    Every sort, the next free slot included, is done by the database with the
    materialized availability, so only the page's doctors are loaded. The page also
    says what it depends on, for page_cache: `.schedule_versions` of the doctors whose
    next slot it shows (EVERY_SCHEDULE when sorted by it), and `.valid_until`, when
    the first of the next slots it depends on stops being right.
    """
    now = now or timezone.now()
    doctors = doctor_search_queryset(**filters).select_related("user")
    if sort == SearchSort.NEXT_SLOT:
        ordered = with_next_start(doctors, now=now).order_by(
            F("next_free").asc(nulls_last=True), Lower("user__full_name"), "pk"
        )
    else:
        ordering = {
            SearchSort.FEE: ["consultation_fee", "user__full_name", "pk"],
            SearchSort.EXPERIENCE: ["-experience_years", "user__full_name", "pk"],
            SearchSort.NAME: ["user__full_name", "pk"],
        }.get(sort, ["user__full_name", "pk"])
        ordered = doctors.order_by(*ordering)
    result = Paginator(ordered, SEARCH_PAGE_SIZE).get_page(page)
    page_doctors = list(result.object_list)
    next_slots = next_free_slots_until(doctors=page_doctors, now=now)
    prefetch_related_objects(page_doctors, "specializations")
    for doctor in page_doctors:
        doctor.next_slot = next_slots[doctor.pk][0]
    result.object_list = page_doctors
    until = min((until for _slot, until in next_slots.values()), default=now + timedelta(days=1))
    if sort == SearchSort.NEXT_SLOT:
        result.schedule_versions = EVERY_SCHEDULE
        if settings.MEDCONNECT_SLOT_CACHE_SECONDS:
            # The order holds only while every match's next slot does.
            everyone = doctors.aggregate(until=Min("availability__valid_until"))["until"]
            until = min(until, everyone or until)
    else:
        result.schedule_versions = _schedule_versions(page_doctors)
    result.valid_until = until
    return result


def search_city_choices():
    """Cities where verified doctors practise, for the search form's suggestions."""
    return list(
        DoctorProfile.objects.verified().order_by("city").values_list("city", flat=True).distinct()
    )


@dataclass
class VisitTypeSlots:
    visit_type: VisitType
    days: dict  # local date -> list[Slot]

    @property
    def slot_count(self):
        return sum(len(slots) for slots in self.days.values())


def doctor_free_slots(*, doctor, now=None, days=BOOKING_WINDOW_DAYS, visit_types=None):
    """Free slots of the next `days` days per active visit type, grouped by local day."""
    now = now or timezone.now()
    today = now.astimezone(doctor.tz).date()
    if visit_types is None:
        visit_types = list(VisitType.objects.for_patients().filter(doctor=doctor))
    found = doctor_slots_by_day(
        doctor=doctor,
        visit_types=visit_types,
        start_date=today,
        end_date=today + timedelta(days=days - 1),
        now=now,
    )
    return [
        VisitTypeSlots(visit_type=visit_type, days=found[visit_type.pk])
        for visit_type in visit_types
    ]


# When a visit type's maximum advance ends inside the shown days, moving time adds
# slots at its far end: a page showing them is right for the rest of the minute only.
SLOT_LIST_MINUTE = 60


def slot_list_valid_until(*, doctor, visit_type_slots, now, days=BOOKING_WINDOW_DAYS):
    """Until when the free slots computed at `now` stay exactly right: the first slot
    shown falling inside its minimum notice, or the doctor's local day turning (booking
    checks the notice again anyway)."""
    today = now.astimezone(doctor.tz).date()
    until = datetime.combine(today + timedelta(days=1), time.min, tzinfo=doctor.tz)
    last_shown = datetime.combine(today + timedelta(days=days), time.min, tzinfo=doctor.tz)
    for entry in visit_type_slots:
        visit_type = entry.visit_type
        notice = timedelta(minutes=visit_type.min_notice_minutes)
        first = next((slots[0] for slots in entry.days.values() if slots), None)
        if first is not None:
            until = min(until, first.start - notice)
        if now + timedelta(days=visit_type.max_advance_days) < last_shown:
            minute_end = datetime.fromtimestamp((now.timestamp() // 60 + 1) * 60, tz=UTC)
            until = min(until, minute_end)
    return until


# The booking calendar of a doctor's page ------------------------------------------------

# Days in the calendar's strip: a week on a desktop, about three at a time on a phone.
CALENDAR_DAYS = 7


@dataclass
class CalendarDay:
    date: object
    slots: list
    selected: bool = False


@dataclass
class VisitTypeCalendar:
    """One visit type's strip of days with the free times of each, the first free day
    chosen; `previous` / `next` start the neighbouring strips (None past the ends),
    `next_free` is the first day with a free time after an empty strip."""

    visit_type: VisitType
    days: list
    previous: object = None
    next: object = None
    next_free: object = None

    @property
    def slot_count(self):
        return sum(len(day.slots) for day in self.days)


def calendar_free_days(*, doctor, visit_type, first, last, now):
    """The free slots of each local day from `first` to `last`: the one place the
    calendar reads free time (the stored availability)."""
    return free_slots_by_day(
        doctor=doctor, visit_type=visit_type, start_date=first, end_date=last, now=now
    )


def _last_bookable_day(doctor, visit_type, now):
    return (now + timedelta(days=visit_type.max_advance_days)).astimezone(doctor.tz).date()


def visit_type_calendar(*, doctor, visit_type, start, now, free_days=None):
    """The calendar strip of `visit_type` beginning at local date `start` (today at the
    earliest). `free_days` (date -> slots) is used when it covers the strip, as on the
    doctor's page, which computed them already; otherwise they are read here."""
    today = now.astimezone(doctor.tz).date()
    last_day = _last_bookable_day(doctor, visit_type, now)
    start = min(max(start, today), max(today, last_day))
    dates = [start + timedelta(days=n) for n in range(CALENDAR_DAYS)]
    if free_days is None or any(day not in free_days for day in dates if day <= last_day):
        free_days = calendar_free_days(
            doctor=doctor, visit_type=visit_type, first=dates[0], last=dates[-1], now=now
        )
    days = [CalendarDay(date=day, slots=list(free_days.get(day, []))) for day in dates]
    chosen = next((day for day in days if day.slots), None)
    if chosen is not None:
        chosen.selected = True
    calendar = VisitTypeCalendar(
        visit_type=visit_type,
        days=days,
        previous=max(today, start - timedelta(days=CALENDAR_DAYS)) if start > today else None,
        next=dates[-1] + timedelta(days=1) if dates[-1] < last_day else None,
    )
    if chosen is None and calendar.next is not None:
        later = calendar_free_days(
            doctor=doctor, visit_type=visit_type, first=calendar.next, last=last_day, now=now
        )
        calendar.next_free = next((day for day, slots in sorted(later.items()) if slots), None)
    return calendar


def doctor_calendars(*, doctor, visit_type_slots, now):
    """The first calendar strip of each visit type, from the free slots the doctor's
    page computed: the first free day's strip when it lies beyond this week."""
    today = now.astimezone(doctor.tz).date()
    calendars = []
    for entry in visit_type_slots:
        first_free = next((day for day, slots in sorted(entry.days.items()) if slots), None)
        start = today
        if first_free is not None and first_free >= today + timedelta(days=CALENDAR_DAYS):
            start = first_free
        calendars.append(
            visit_type_calendar(
                doctor=doctor,
                visit_type=entry.visit_type,
                start=start,
                now=now,
                free_days=entry.days,
            )
        )
    return calendars
