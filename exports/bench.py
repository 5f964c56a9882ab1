"""Measuring an export at scale (`manage.py export_bench`) and proving it runs in
constant memory: appointments written cheaply in bulk, then one export run in this
process while its resident memory is sampled."""

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, Mode

BATCH = 5000
# Where generated visits start; one every hour of one doctor, so none overlap.
FIRST_START = dt.datetime(2020, 1, 1, 3, 30, tzinfo=dt.UTC)


def appointments_bulk_make(*, count, doctor, patients, visit_type, first=FIRST_START):
    """Write `count` completed visits of `doctor` with `patients` in turn, hourly from
    `first` (completed: they hold no time, so the overlap rules do not slow them)."""
    made = 0
    step = dt.timedelta(hours=1)
    length = dt.timedelta(minutes=30)
    created = timezone.now()
    while made < count:
        size = min(BATCH, count - made)
        rows = []
        for n in range(made, made + size):
            start = first + step * n
            rows.append(
                Appointment(
                    doctor=doctor,
                    patient=patients[n % len(patients)],
                    visit_type=visit_type,
                    start=start,
                    end=start + length,
                    blocked_start=start,
                    blocked_end=start + length,
                    mode=Mode.IN_PERSON,
                    status=AppointmentStatus.COMPLETED,
                    created_at=created,
                )
            )
        with transaction.atomic():
            Appointment.objects.bulk_create(rows)
        made += size
    return made


def rss_bytes():
    """This process's resident memory now (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class Measure:
    seconds: float = 0.0
    rss_start: int = 0
    rss_peak: int = 0
    rss_end: int = 0


def measured(run, *, every=0.1):
    """Call run() while sampling RSS; returns (its result, Measure)."""
    measure = Measure(rss_start=rss_bytes())
    measure.rss_peak = measure.rss_start
    stop = threading.Event()

    def sample():
        while not stop.wait(every):
            measure.rss_peak = max(measure.rss_peak, rss_bytes())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.monotonic()
    try:
        result = run()
    finally:
        measure.seconds = time.monotonic() - began
        stop.set()
        sampler.join()
    measure.rss_end = rss_bytes()
    measure.rss_peak = max(measure.rss_peak, measure.rss_end)
    return result, measure
