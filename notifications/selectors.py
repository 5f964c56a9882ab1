import datetime as dt

from django.db.models import Q

from accounts.models import Role
from appointments.access import appointments_visible_to

from .models import CalendarFeed

# How far back the feed still shows visits, so last week's stays in the calendar.
FEED_HISTORY_DAYS = 30


def calendar_feed_get(token):
    """The active feed for this token, or None."""
    if not token:
        return None
    return (
        CalendarFeed.objects.for_token(token)
        .select_related("user")
        .filter(user__is_active=True)
        .first()
    )


def calendar_feed_appointments(*, user, now):
    """The person's own appointments for their feed: upcoming and the recent past."""
    visible = appointments_visible_to(user)
    if user.role == Role.PATIENT:
        own = visible.filter(patient=user)
    elif user.role == Role.DOCTOR:
        own = visible.filter(doctor__user=user)
    else:
        return visible.none()
    since = now - dt.timedelta(days=FEED_HISTORY_DAYS)
    return (
        own.filter(Q(end__gte=since))
        .select_related("doctor__user", "patient", "visit_type")
        .order_by("start")
    )
