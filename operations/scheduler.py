"""The scheduler: on every tick, claim the current period of each periodic job and
queue its run.

Exactly once per period, however many schedulers run on however many nodes: the
claim is the insert of the (job, period) row under a unique constraint, so of two
schedulers ticking at the same moment one inserts and the other gets an
IntegrityError. The run is queued once the claim commits; the worker that runs it
moves the row from queued to running with one conditional UPDATE, so a run queued
twice (the re-queue of a claim whose scheduler died before queueing) still runs once.
"""

import datetime as dt
import logging
import os
import socket

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import outbox, tasks
from .models import Heartbeat, PeriodicRun, RunStatus
from .schedule import periodic_jobs

logger = logging.getLogger("medconnect.scheduler")

# A claim still queued this long after its scheduler committed it is queued again
# (that scheduler may have died between the commit and the queue).
REQUEUE_AFTER = dt.timedelta(minutes=10)
KEEP_RUNS = dt.timedelta(days=60)


def process_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def run_claim(*, job, period, name):
    """Insert the (job, period) row; None when another scheduler already has it."""
    if PeriodicRun.objects.filter(job=job.name, period=period).exists():
        return None
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(job=job.name, period=period, claimed_by=name)
            transaction.on_commit(lambda: tasks.run_periodic_job.enqueue(run.pk))
    except IntegrityError:
        return None
    logger.info("periodic_run_claimed", extra={"job": job.name, "period": period.isoformat()})
    return run


def runs_requeue(*, now):
    """Queue again the runs that stayed queued too long; the worker's claim dedupes."""
    stale = list(
        PeriodicRun.objects.filter(
            status=RunStatus.QUEUED, claimed_at__lt=now - REQUEUE_AFTER
        ).values_list("pk", flat=True)[:100]
    )
    for run_id in stale:
        tasks.run_periodic_job.enqueue(run_id)
    return len(stale)


def scheduler_tick(*, now=None, name=None):
    """One pass: heartbeat, claim and queue what is due, relay kept tasks."""
    now = now or timezone.now()
    name = name or process_name()
    Heartbeat.objects.update_or_create(
        kind=Heartbeat.Kind.SCHEDULER, name=name, defaults={"seen_at": now}
    )
    claimed = [
        run
        for job in periodic_jobs()
        if (run := run_claim(job=job, period=job.due_moment(now), name=name)) is not None
    ]
    if claimed:
        PeriodicRun.objects.filter(period__lt=now - KEEP_RUNS).delete()
        Heartbeat.objects.filter(seen_at__lt=now - KEEP_RUNS).delete()
    runs_requeue(now=now)
    outbox.outbox_relay()
    return claimed
