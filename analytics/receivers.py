"""Keeping the rollups current: every save of an appointment, its history, an invoice,
a waitlist offer, a weekly window or time off marks the doctor's local days it touches,
and once the change commits a task rebuilds those days (rollups.py). A rebuild that fails
is logged and left to the hourly catch-up (tasks.py), which never loses a change
because it recounts.

These receivers only refresh derived figures, like the rendered-page cache's; the
domain logic stays in the services."""

import datetime as dt
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone

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
    if not hasattr(_pending, "marks"):
        _pending.marks = set()
    return _pending.marks


def mark(*, moment, doctor_id=None, appointment_id=None, returning_patient_id=None):
    """Remember a moment of a doctor (or of an appointment's doctor) whose local day
    must be recounted once the change commits. No query here: saves stay as cheap as
    they were; the days are worked out in flush()."""
    if moment is None:
        return
    _marks().add((doctor_id, appointment_id, moment, returning_patient_id))
    transaction.on_commit(flush, robust=True)


def _days_to_rebuild(marks):
    appointment_ids = {m[1] for m in marks if m[1] is not None}
    doctor_of = dict(
        Appointment.objects.filter(pk__in=appointment_ids).values_list("pk", "doctor_id")
    )
    wanted = []
    for doctor_id, appointment_id, moment, patient_id in marks:
        doctor_id = doctor_id or doctor_of.get(appointment_id)
        if doctor_id is not None:
            wanted.append((doctor_id, moment, patient_id))
    doctors = DoctorProfile.objects.in_bulk({w[0] for w in wanted})
    days = {}
    for doctor_id, moment, patient_id in wanted:
        doctor = doctors.get(doctor_id)
        if doctor is None:
            continue
        days.setdefault(doctor, set()).add(moment.astimezone(doctor.tz).date())
        if patient_id is not None:
            # A later completed visit of this patient may no longer be their first one.
            for later in Appointment.objects.filter(
                doctor_id=doctor_id,
                patient_id=patient_id,
                status=AppointmentStatus.COMPLETED,
                start__gt=moment,
            ).values_list("start", flat=True)[:50]:
                days[doctor].add(later.astimezone(doctor.tz).date())
    return days


def flush():
    """Hand every marked (doctor, local day) to the worker to recount, so the request
    that made the change does not wait for it. Marks left by a change that rolled back
    are recounted too, which gives the same figures."""
    from .tasks import recount_marked

    marks = _marks()
    taken = set()
    while marks:
        taken.add(marks.pop())
    if not taken:
        return
    recount_marked.enqueue(
        [
            [doctor_id, appointment_id, moment.isoformat(), patient_id]
            for doctor_id, appointment_id, moment, patient_id in sorted(
                taken, key=lambda m: (m[2], m[0] or 0, m[1] or 0, m[3] or 0)
            )
        ]
    )


def recount(marks):
    """Recount the local days of the given marks (run by the worker)."""
    from .rollups import rollup_rebuild

    taken = {
        (doctor_id, appointment_id, dt.datetime.fromisoformat(moment), patient_id)
        for doctor_id, appointment_id, moment, patient_id in marks
    }
    for doctor, days in _days_to_rebuild(taken).items():
        for day in sorted(days):
            try:
                rollup_rebuild(doctor=doctor, first=day, last=day)
            except Exception:  # noqa: BLE001 - the hourly catch-up recounts it
                logger.exception("Rollup of doctor %s on %s failed", doctor.pk, day)


def appointment_saved(sender, instance, **kwargs):
    completed = instance.status == AppointmentStatus.COMPLETED
    mark(
        doctor_id=instance.doctor_id,
        moment=instance.start,
        returning_patient_id=instance.patient_id if completed else None,
    )


def appointment_event_saved(sender, instance, created, **kwargs):
    if created and instance.from_start is not None:
        mark(appointment_id=instance.appointment_id, moment=instance.from_start)


def invoice_saved(sender, instance, **kwargs):
    mark(doctor_id=instance.doctor_id, moment=instance.issued_at)
    mark(doctor_id=instance.doctor_id, moment=instance.paid_at)


def offer_saved(sender, instance, **kwargs):
    mark(doctor_id=instance.doctor_id, moment=instance.created_at)


def time_off_changed(sender, instance, **kwargs):
    end = min(instance.end, instance.start + dt.timedelta(days=400))
    moment = instance.start
    while moment < end:
        mark(doctor_id=instance.doctor_id, moment=moment)
        moment += dt.timedelta(days=1)
    mark(doctor_id=instance.doctor_id, moment=end)


def window_changed(sender, instance, **kwargs):
    # Past days keep the windows they had; today's offered minutes follow the change.
    mark(doctor_id=instance.doctor_id, moment=timezone.now())


def doctor_deleted(sender, instance, **kwargs):
    # The doctor's own rows go with the doctor (cascade); the whole clinic's rows are
    # sums, so the doctor's part is taken out of them in the same transaction.
    from .rollups import clinic_forget_doctor

    clinic_forget_doctor(instance)


def connect():
    uid = "analytics"
    pre_delete.connect(doctor_deleted, sender=DoctorProfile, dispatch_uid=f"{uid}-doctor")
    post_save.connect(appointment_saved, sender=Appointment, dispatch_uid=f"{uid}-appointment")
    post_save.connect(appointment_event_saved, sender=AppointmentEvent, dispatch_uid=f"{uid}-ev")
    post_save.connect(invoice_saved, sender=Invoice, dispatch_uid=f"{uid}-invoice")
    post_save.connect(offer_saved, sender=WaitlistOffer, dispatch_uid=f"{uid}-offer")
    for signal in (post_save, post_delete):
        signal.connect(time_off_changed, sender=TimeOff, dispatch_uid=f"{uid}-timeoff")
        signal.connect(window_changed, sender=AvailabilityRule, dispatch_uid=f"{uid}-window")
