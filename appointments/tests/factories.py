import datetime
import threading
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

import factory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    AvailabilityRule,
    Mode,
    ModeOffer,
    TimeOff,
    VisitType,
    new_video_room,
)
from appointments.services import appointment_book
from appointments.slots import free_slots, schedule_changed
from doctors.models import DoctorProfile, VerificationStatus
from doctors.tests.factories import DoctorFactory, SpecializationFactory
from patients.tests.factories import PatientFactory

# The clock of the scheduling tests: Monday 7 December 2026, 09:00 in the doctor's zone
# (the factories' doctors practise in Asia/Kolkata).
IST = ZoneInfo("Asia/Kolkata")
MONDAY = datetime.date(2026, 12, 7)
NOW = datetime.datetime.combine(MONDAY, datetime.time(9), tzinfo=IST)


def at(day, hour, minute=0, tz=IST):
    """A local time `day` days after Monday 7 December 2026."""
    return datetime.datetime.combine(
        MONDAY + datetime.timedelta(days=day), datetime.time(hour, minute), tzinfo=tz
    )


def local_time(doctor, day, hour, minute=0):
    """`hour`:`minute` on the date `day` in the doctor's zone."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=doctor.tz)


def _next_whole_hour(days_ahead=2):
    now = timezone.now() + datetime.timedelta(days=days_ahead)
    return now.replace(minute=0, second=0, microsecond=0)


class VisitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitType

    doctor = factory.SubFactory(DoctorFactory)
    name = factory.Sequence(lambda n: f"Consultation {n}")
    duration_minutes = 30
    mode = ModeOffer.BOTH
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    min_notice_minutes = 120
    max_advance_days = 60
    cancel_cutoff_hours = 24
    reschedule_cutoff_hours = 24
    requires_approval = True
    is_active = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Written past the services: tell the slot engine, as they would.
        if create:
            schedule_changed(instance.doctor_id)


class AvailabilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityRule

    doctor = factory.SubFactory(DoctorFactory)
    weekday = 0
    start_time = datetime.time(9, 0)
    end_time = datetime.time(17, 0)
    mode = ModeOffer.BOTH
    location = ""

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Written past the services: tell the slot engine, as they would.
        if create:
            schedule_changed(instance.doctor_id)


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    doctor = factory.SubFactory(DoctorFactory)
    start = factory.LazyFunction(lambda: _next_whole_hour(days_ahead=7))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=4))
    reason = "Conference"

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Written past the services: tell the slot engine, as they would.
        if create:
            schedule_changed(instance.doctor_id)


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment written straight to the table (no slot rules); each one an hour
    after the previous so that several of one doctor never overlap."""

    class Meta:
        model = Appointment

    doctor = factory.SubFactory(DoctorFactory)
    patient = factory.LazyFunction(lambda: PatientFactory().user)
    visit_type = factory.SubFactory(VisitTypeFactory, doctor=factory.SelfAttribute("..doctor"))
    start = factory.Sequence(lambda n: _next_whole_hour() + datetime.timedelta(hours=n))
    end = factory.LazyAttribute(lambda o: o.start + o.visit_type.duration)
    blocked_start = factory.LazyAttribute(lambda o: o.start - o.visit_type.buffer_before)
    blocked_end = factory.LazyAttribute(lambda o: o.end + o.visit_type.buffer_after)
    mode = Mode.IN_PERSON
    location = factory.LazyAttribute(
        lambda o: "" if o.mode == Mode.ONLINE else o.doctor.practice_address
    )
    reason = "Check-up"
    status = AppointmentStatus.CONFIRMED
    video_room = factory.LazyAttribute(
        lambda o: new_video_room() if o.mode == Mode.ONLINE else None
    )
    created_by = factory.SelfAttribute("patient")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Written past the services: tell the slot engine what it blocks, as they would.
        if create and instance.status in ACTIVE_STATUSES:
            schedule_changed(
                instance.doctor_id, taken=(instance.blocked_start, instance.blocked_end)
            )


def _consultation_of(doctor):
    visit_type, _ = VisitType.objects.get_or_create(
        doctor=doctor, name="Consultation", defaults={"duration_minutes": 30}
    )
    return visit_type


class PastVisitFactory(AppointmentFactory):
    """A completed visit in the past: what records, prescriptions and bills are about.

    Each doctor's visits share one "Consultation" visit type; starts step back
    two hours at a time so a doctor's visits never overlap.
    """

    visit_type = factory.LazyAttribute(lambda o: _consultation_of(o.doctor))
    start = factory.Sequence(
        lambda n: _next_whole_hour(days_ahead=-2) - datetime.timedelta(hours=2 * n)
    )
    status = AppointmentStatus.COMPLETED


def weekly_schedule(doctor, *, weekdays=range(7), start=(9, 0), end=(17, 0), mode=ModeOffer.BOTH):
    """Give a doctor the same window on each of these weekdays."""
    return [
        AvailabilityRuleFactory(
            doctor=doctor,
            weekday=weekday,
            start_time=datetime.time(*start),
            end_time=datetime.time(*end),
            mode=mode,
        )
        for weekday in weekdays
    ]


def bookable_consultation(doctor, **rule):
    """Make a doctor bookable: weekly hours (weekly_schedule, or the one availability
    rule given) and a 30-minute "Consultation"; return the visit type."""
    if rule:
        AvailabilityRuleFactory(doctor=doctor, **rule)
    else:
        weekly_schedule(doctor)
    return VisitTypeFactory(doctor=doctor, name="Consultation", duration_minutes=30)


def free_slots_ahead(doctor, visit_type, *, days_ahead=0, days=0, now=None):
    """The free slots from the doctor's local date `days_ahead` days after `now` (the
    real clock by default) through `days` days later: days=0 is that one date."""
    first = ((now or timezone.now()) + datetime.timedelta(days=days_ahead)).astimezone(doctor.tz)
    return free_slots(
        doctor=doctor,
        visit_type=visit_type,
        start_date=first.date(),
        end_date=first.date() + datetime.timedelta(days=days),
        now=now,
    )


def free_starts_ahead(doctor, visit_type, *, days_ahead=3, now=None):
    """The start times of the free slots on the one date `days_ahead` days after `now`."""
    return [
        slot.start for slot in free_slots_ahead(doctor, visit_type, days_ahead=days_ahead, now=now)
    ]


def book_free_slot(
    *, patient, doctor, visit_type, start=None, days_ahead=3, index=0, mode=Mode.IN_PERSON, **kwargs
):
    """A real booking through appointment_book: at `start`, or by default at the
    `index`-th free start `days_ahead` days from today (free_starts_ahead)."""
    if start is None:
        start = free_starts_ahead(doctor, visit_type, days_ahead=days_ahead)[index]
    return appointment_book(
        patient=patient, doctor=doctor, visit_type=visit_type, start=start, mode=mode, **kwargs
    )


# Query budgets: many rows written in a few queries ----------------------------------


def bulk_doctors(count, *, prefix="bulk", specialization=None):
    """Verified, bookable doctors: a visit type and 09:00-17:00 every day."""
    specialization = specialization or SpecializationFactory(name="General Medicine")
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-doctor{n}@example.com",
                full_name=f"Doctor {prefix} {n:04d}",
                role=Role.DOCTOR,
                password="!",
            )
            for n in range(count)
        ]
    )
    doctors = DoctorProfile.objects.bulk_create(
        [
            DoctorProfile(
                user=user,
                license_id=f"{prefix.upper()}-{n:05d}",
                qualifications="MBBS, MD",
                experience_years=n % 40,
                practice_name="Clinic",
                practice_address="1 Main Road",
                city="Bengaluru",
                languages="English",
                consultation_fee=Decimal(200 + n),
                verification_status=VerificationStatus.VERIFIED,
            )
            for n, user in enumerate(users)
        ]
    )
    through = DoctorProfile.specializations.through
    through.objects.bulk_create(
        [through(doctorprofile_id=d.pk, specialization_id=specialization.pk) for d in doctors]
    )
    VisitType.objects.bulk_create(
        [
            VisitType(doctor=d, name="Consultation", duration_minutes=30, mode=ModeOffer.BOTH)
            for d in doctors
        ]
    )
    AvailabilityRule.objects.bulk_create(
        [
            AvailabilityRule(
                doctor=d, weekday=day, start_time=datetime.time(9), end_time=datetime.time(17)
            )
            for d in doctors
            for day in range(7)
        ]
    )
    for d in doctors:
        schedule_changed(d.pk)
    return doctors


def bulk_appointments(
    *, doctor, patients, count, first_start, step, status=AppointmentStatus.CONFIRMED
):
    """`count` appointments of one doctor, `step` apart, patients taking turns."""
    visit_type = VisitType.objects.filter(doctor=doctor).first()
    rows = []
    for n in range(count):
        start = first_start + n * step
        end = start + datetime.timedelta(minutes=30)
        rows.append(
            Appointment(
                doctor=doctor,
                patient=patients[n % len(patients)],
                visit_type=visit_type,
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end,
                mode=Mode.IN_PERSON,
                status=status,
            )
        )
    created = Appointment.objects.bulk_create(rows, batch_size=500)
    if status in ACTIVE_STATUSES:
        schedule_changed(doctor.pk)
    return created


def count_queries(client, url, params=None):
    """The queries of a second GET of `url` (the first after sign-in also stamps the
    session), and its response."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries), response


def soon(doctor, days=1, hour=9):
    """`hour` o'clock in the doctor's zone, `days` days from today."""
    day = timezone.now().astimezone(doctor.tz).date() + datetime.timedelta(days=days)
    return local_time(doctor, day, hour)


# Concurrency proofs (PostgreSQL only) --------------------------------------------------


def run_together(*works):
    """Call each work() in its own thread, all released at once; return what each
    returned or the exception it raised, in order."""
    barrier = threading.Barrier(len(works))
    results = [None] * len(works)

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results[index] = works[index]()
        except Exception as exc:  # kept for the test to inspect
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def run_at_once(count, work):
    """run_together for work(0) ... work(count - 1)."""
    return run_together(*(partial(work, index) for index in range(count)))
