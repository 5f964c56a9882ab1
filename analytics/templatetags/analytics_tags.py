import datetime as dt

from django import template
from django.utils import timezone

from accounts.models import Role
from appointments.models import Appointment
from doctors.models import DoctorProfile, VerificationStatus
from inputs.dates import clinic_zone

from ..rollups import local_day_start

register = template.Library()


@register.filter
def change(current, previous):
    """The change from the previous period, as a signed percentage text."""
    try:
        if not previous:
            return "—"
        delta = 100 * (float(current) - float(previous)) / float(previous)
    except (TypeError, ValueError):
        return "—"
    return f"{delta:+.1f}%"


@register.filter
def get(mapping, key):
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.inclusion_tag("admin/analytics/_index_counts.html")
def clinic_counts():
    """The Admin index's counts: doctors by verification, patients, visits today and
    this week (in the clinic's zone). Four queries."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    tz = clinic_zone()
    today = timezone.now().astimezone(tz).date()
    monday = today - dt.timedelta(days=today.weekday())
    day_start, day_end = local_day_start(today, tz), local_day_start(today + dt.timedelta(1), tz)
    week_start = local_day_start(monday, tz)
    week_end = local_day_start(monday + dt.timedelta(days=7), tz)
    doctors = DoctorProfile.objects.aggregate(
        verified=Count("pk", filter=Q(verification_status=VerificationStatus.VERIFIED)),
        pending=Count("pk", filter=Q(verification_status=VerificationStatus.PENDING)),
    )
    visits = Appointment.objects.filter(start__gte=week_start, start__lt=week_end).aggregate(
        today=Count("pk", filter=Q(start__gte=day_start, start__lt=day_end)),
        week=Count("pk"),
    )
    return {
        "doctors": doctors,
        "patients": get_user_model().objects.filter(role=Role.PATIENT).count(),
        "visits": visits,
    }
