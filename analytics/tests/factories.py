"""Hand-built clinic data with known answers for the figures' tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from appointments.models import AppointmentEvent, AppointmentStatus
from appointments.tests.factories import AppointmentFactory, AvailabilityRuleFactory

IST = ZoneInfo("Asia/Kolkata")


def visit(doctor, when, *, status=AppointmentStatus.COMPLETED, created=None, minutes=30, **kw):
    """An appointment of `doctor` at local time `when` (naive, the doctor's zone)."""
    start = when.replace(tzinfo=doctor.tz)
    appointment = AppointmentFactory(
        doctor=doctor,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        blocked_start=start,
        blocked_end=start + dt.timedelta(minutes=minutes),
        status=status,
        video_room=None,
        **kw,
    )
    if created is not None:
        type(appointment).objects.filter(pk=appointment.pk).update(
            created_at=created.replace(tzinfo=doctor.tz)
        )
    return appointment


def cancel_event(appointment, actor, when):
    event = AppointmentEvent.objects.create(
        appointment=appointment,
        actor=actor,
        from_status=AppointmentStatus.CONFIRMED,
        to_status=AppointmentStatus.CANCELLED,
    )
    AppointmentEvent.objects.filter(pk=event.pk).update(created_at=when.replace(tzinfo=IST))
    return event


def window(doctor, weekday, start=(9, 0), end=(13, 0), **kw):
    return AvailabilityRuleFactory(
        doctor=doctor, weekday=weekday, start_time=dt.time(*start), end_time=dt.time(*end), **kw
    )
