"""Reads for the booking pages and the agenda, each with a fixed number of queries."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from doctors.models import DoctorProfile

from .access import appointments_visible_to
from .models import Appointment, AppointmentKind, AppointmentStatus

# Free slots shown on a doctor's public page and offered for a reschedule.
BOOKING_WINDOW_DAYS = 14
# How far back the calendar feed still shows visits, so last week's stays in the calendar.
FEED_HISTORY_DAYS = 30


def doctor_bookable_get(pk):
    """A doctor patients may book, or None; only what the booking form shows is loaded."""
    return DoctorProfile.objects.verified().select_related("user").filter(pk=pk).first()


def doctor_public_get(pk):
    """A doctor anyone may see, or None: verified, active, with specializations loaded."""
    return DoctorProfile.objects.verified().for_list().filter(pk=pk).first()


def local_day_bounds(day, tz):
    """The UTC instants where a local calendar day of this zone starts and ends."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def doctor_agenda(*, doctor, start_day, end_day):
    """A doctor's appointments from start_day to end_day inclusive (their local days), by time."""
    start, _ = local_day_bounds(start_day, doctor.tz)
    _, end = local_day_bounds(end_day, doctor.tz)
    # With the case discussions the doctor booked with colleagues.
    mine = Q(doctor=doctor) | Q(kind=AppointmentKind.COLLEAGUE, patient_id=doctor.user_id)
    return (
        Appointment.objects.filter(mine, start__gte=start, start__lt=end)
        .select_related("patient", "visit_type", "doctor__user")
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
        own = visible.filter(Q(doctor__user=user) | Q(kind=AppointmentKind.COLLEAGUE, patient=user))
    else:
        return visible.none()
    since = now - timedelta(days=FEED_HISTORY_DAYS)
    return (
        own.filter(Q(end__gte=since))
        .select_related("doctor__user", "patient", "visit_type")
        .order_by("start")
    )
