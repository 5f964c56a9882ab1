"""Keeping the rollups current: every save of an appointment, its history, an invoice,
a waitlist offer, a weekly window or time off marks the doctor's local days it touches,
and once the change commits those days are rebuilt (rollups.py). A rebuild that fails
is logged and left to the hourly catch-up (tasks.py), which never loses a change
because it recounts.

These receivers only refresh derived figures, like the rendered-page cache's; the
domain logic stays in the services."""

import datetime as dt
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from appointments.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    AvailabilityRule,
    TimeOff,
)
from billing.models import Invoice
from doctors.models import DoctorProfile
from waitlist.models import WaitlistOffer

logger = logging.getLogger(__name__)
_pending = threading.local()


def _marks():
    if not hasattr(_pending, "days"):
        _pending.days = set()
    return _pending.days


def flush():
    """Rebuild every marked (doctor, day); marks left by a rolled-back change are
    rebuilt too, which recounts the same figures."""
    from .rollups import rollup_rebuild

    marks = _marks()
    by_doctor = {}
    while marks:
        doctor_id, day = marks.pop()
        by_doctor.setdefault(doctor_id, set()).add(day)
    doctors = DoctorProfile.objects.in_bulk(list(by_doctor))
    for doctor_id, days in by_doctor.items():
        doctor = doctors.get(doctor_id)
        if doctor is None:
            continue
        for day in sorted(days):
            try:
                rollup_rebuild(doctor=doctor, first=day, last=day)
            except Exception:  # noqa: BLE001 - the hourly catch-up recounts it
                logger.exception("Rollup of doctor %s on %s failed", doctor_id, day)


def mark(doctor_id, tz, *moments):
    marks = _marks()
    for moment in moments:
        if moment is not None:
            marks.add((doctor_id, moment.astimezone(tz).date()))
    transaction.on_commit(flush, robust=True)


def _doctor_tz(doctor_id):
    from zoneinfo import ZoneInfo

    zone = DoctorProfile.objects.filter(pk=doctor_id).values_list("time_zone", flat=True).first()
    return ZoneInfo(zone or "UTC")


def appointment_saved(sender, instance, **kwargs):
    tz = (
        instance.doctor.tz
        if "doctor" in instance._state.fields_cache
        else _doctor_tz(instance.doctor_id)
    )
    mark(instance.doctor_id, tz, instance.start)
    if instance.status == AppointmentStatus.COMPLETED:
        # A later visit of this patient may no longer be their first one.
        later = Appointment.objects.filter(
            doctor_id=instance.doctor_id,
            patient_id=instance.patient_id,
            status=AppointmentStatus.COMPLETED,
            start__gt=instance.start,
        ).values_list("start", flat=True)[:50]
        mark(instance.doctor_id, tz, *later)


def appointment_event_saved(sender, instance, created, **kwargs):
    if created and instance.from_start is not None:
        appointment = instance.appointment
        mark(appointment.doctor_id, _doctor_tz(appointment.doctor_id), instance.from_start)


def invoice_saved(sender, instance, **kwargs):
    if instance.issued_at or instance.paid_at:
        mark(
            instance.doctor_id, _doctor_tz(instance.doctor_id), instance.issued_at, instance.paid_at
        )


def offer_saved(sender, instance, **kwargs):
    mark(instance.doctor_id, _doctor_tz(instance.doctor_id), instance.created_at)


def time_off_changed(sender, instance, **kwargs):
    tz = _doctor_tz(instance.doctor_id)
    start, end = instance.start, min(instance.end, instance.start + dt.timedelta(days=400))
    moments = []
    moment = start
    while moment < end:
        moments.append(moment)
        moment += dt.timedelta(days=1)
    mark(instance.doctor_id, tz, *moments, end)


def window_changed(sender, instance, **kwargs):
    # Past days keep the windows they had; today's offered minutes follow the change.
    from django.utils import timezone

    mark(instance.doctor_id, _doctor_tz(instance.doctor_id), timezone.now())


def connect():
    uid = "analytics"
    post_save.connect(appointment_saved, sender=Appointment, dispatch_uid=f"{uid}-appointment")
    post_save.connect(appointment_event_saved, sender=AppointmentEvent, dispatch_uid=f"{uid}-ev")
    post_save.connect(invoice_saved, sender=Invoice, dispatch_uid=f"{uid}-invoice")
    post_save.connect(offer_saved, sender=WaitlistOffer, dispatch_uid=f"{uid}-offer")
    for signal in (post_save, post_delete):
        signal.connect(time_off_changed, sender=TimeOff, dispatch_uid=f"{uid}-timeoff")
        signal.connect(window_changed, sender=AvailabilityRule, dispatch_uid=f"{uid}-window")
