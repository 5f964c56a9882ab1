"""Reads for the scheduling and booking pages, each with a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from accounts.models import Role
from doctors.models import DoctorProfile

from .access import appointments_visible_to
from .models import AppointmentStatus, AvailabilityRule, ModeOffer, VisitType
from .slots import (
    free_slots_by_day,
    many_schedule_versions,
    next_free_slots_until,
)

SEARCH_PAGE_SIZE = 20
# Free slots shown on a doctor's public page and offered for a reschedule.
BOOKING_WINDOW_DAYS = 14
# How far back the calendar feed still shows visits, so last week's stays in the calendar.
FEED_HISTORY_DAYS = 30


class SearchSort:
    NEXT_SLOT = "next_slot"
    FEE = "fee"
    EXPERIENCE = "experience"
    NAME = "name"

    choices = [
        (NEXT_SLOT, "Next free slot"),
        (FEE, "Fee (lowest first)"),
        (EXPERIENCE, "Experience (most first)"),
        (NAME, "Name"),
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
        visit_types = VisitType.objects.filter(
            doctor=OuterRef("pk"), is_active=True, mode__in=_offers(mode)
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

    Sorting by next free slot needs every match's next slot before the page can
    be cut; next_free_slots computes them in bulk, so the query count stays fixed.
    The page also says what it depends on, for page_cache: `.schedule_versions` of
    the doctors whose next slot it shows or sorts by, read before their slots, and
    `.valid_until`, when the first of those next slots stops being right.
    """
    now = now or timezone.now()
    doctors = doctor_search_queryset(**filters).select_related("user")
    if sort == SearchSort.NEXT_SLOT:
        matches = list(doctors)
        versions = _schedule_versions(matches)
        next_slots = next_free_slots_until(doctors=matches, now=now, versions=versions)
        far_future = datetime.max.replace(tzinfo=UTC)

        def key(doctor):
            slot = next_slots[doctor.pk][0]
            return (slot.start if slot else far_future, doctor.user.full_name.lower(), doctor.pk)

        matches.sort(key=key)
        result = Paginator(matches, SEARCH_PAGE_SIZE).get_page(page)
        page_doctors = list(result.object_list)
    else:
        ordering = {
            SearchSort.FEE: ["consultation_fee", "user__full_name", "pk"],
            SearchSort.EXPERIENCE: ["-experience_years", "user__full_name", "pk"],
            SearchSort.NAME: ["user__full_name", "pk"],
        }.get(sort, ["user__full_name", "pk"])
        result = Paginator(doctors.order_by(*ordering), SEARCH_PAGE_SIZE).get_page(page)
        page_doctors = list(result.object_list)
        versions = _schedule_versions(page_doctors)
        next_slots = next_free_slots_until(doctors=page_doctors, now=now, versions=versions)
    prefetch_related_objects(page_doctors, "specializations")
    for doctor in page_doctors:
        doctor.next_slot = next_slots[doctor.pk][0]
    result.object_list = page_doctors
    result.schedule_versions = versions
    result.valid_until = min(
        (until for _slot, until in next_slots.values()), default=now + timedelta(days=1)
    )
    return result


def search_city_choices():
    """Cities where verified doctors practise, for the search form's suggestions."""
    return list(
        DoctorProfile.objects.verified().order_by("city").values_list("city", flat=True).distinct()
    )


def doctor_bookable_get(pk):
    """A doctor patients may book, or None; only what the booking form shows is loaded."""
    return DoctorProfile.objects.verified().select_related("user").filter(pk=pk).first()


def doctor_public_get(pk):
    """A doctor anyone may see, or None: verified, active, with specializations loaded."""
    return DoctorProfile.objects.verified().for_list().filter(pk=pk).first()


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
        visit_types = list(VisitType.objects.filter(doctor=doctor, is_active=True))
    return [
        VisitTypeSlots(
            visit_type=visit_type,
            days=free_slots_by_day(
                doctor=doctor,
                visit_type=visit_type,
                start_date=today,
                end_date=today + timedelta(days=days - 1),
                now=now,
            ),
        )
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


def local_day_bounds(day, tz):
    """The UTC instants where a local calendar day of this zone starts and ends."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def doctor_agenda(*, doctor, start_day, end_day):
    """A doctor's appointments from start_day to end_day inclusive (their local days), by time."""
    start, _ = local_day_bounds(start_day, doctor.tz)
    _, end = local_day_bounds(end_day, doctor.tz)
    return (
        doctor.appointments.filter(start__gte=start, start__lt=end)
        .select_related("patient", "visit_type")
        .order_by("start")
    )


def doctor_pending_requests(*, doctor, now=None):
    """Requests still waiting for the doctor's answer, soonest first."""
    now = now or timezone.now()
    return (
        doctor.appointments.upcoming(now)
        .filter(status=AppointmentStatus.PENDING)
        .select_related("patient", "visit_type")
    )


def doctor_pending_count(*, doctor, now=None):
    return doctor_pending_requests(doctor=doctor, now=now).count()


def patient_upcoming(*, patient, now=None):
    """A patient's appointments that still hold a time, soonest first."""
    now = now or timezone.now()
    return patient.appointments.upcoming(now).for_list()


def patient_history(*, patient):
    """Every appointment of a patient, newest first."""
    return patient.appointments.for_list().order_by("-start", "-pk")


def calendar_feed_appointments(*, user, now):
    """The person's own appointments for their feed: upcoming and the recent past."""
    visible = appointments_visible_to(user)
    if user.role == Role.PATIENT:
        own = visible.filter(patient=user)
    elif user.role == Role.DOCTOR:
        own = visible.filter(doctor__user=user)
    else:
        return visible.none()
    since = now - timedelta(days=FEED_HISTORY_DAYS)
    return (
        own.filter(Q(end__gte=since))
        .select_related("doctor__user", "patient", "visit_type")
        .order_by("start")
    )
