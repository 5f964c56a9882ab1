"""Tasks of the operator's machinery: running a periodic job, the worker heartbeat,
and the daily backup."""

import contextvars
import logging
import os
import socket

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from .models import Heartbeat, PeriodicRun, RunStatus
from .schedule import job_named

logger = logging.getLogger("medconnect.scheduler")

# The worker running the current periodic job (for the heartbeat row's name).
current_worker = contextvars.ContextVar("current_worker", default="")


def _call(target):
    return target.call() if isinstance(target, Task) else target()


def periodic_run_execute(*, run_id, worker=""):
    """Run one claimed period of a job, unless a worker already took it."""
    taken = PeriodicRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), worker=worker[:200]
    )
    if not taken:
        return "skipped"
    run = PeriodicRun.objects.get(pk=run_id)
    job = job_named(run.job)
    try:
        if job is None:
            raise LookupError(f"{run.job!r} is no longer in MEDCONNECT_PERIODIC_JOBS")
        token = current_worker.set(worker)
        try:
            result = _call(import_string(job.task))
        finally:
            current_worker.reset(token)
    except Exception as exc:
        PeriodicRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.exception("periodic_run_failed", extra={"job": run.job})
        raise
    PeriodicRun.objects.filter(pk=run_id).update(status=RunStatus.DONE, finished_at=timezone.now())
    logger.info("periodic_run_done", extra={"job": run.job, "result": str(result)[:200]})
    return "done"


def _worker_name(context):
    worker_ids = context.task_result.worker_ids
    return worker_ids[-1] if worker_ids else f"{socket.gethostname()}:{os.getpid()}"


@task(takes_context=True)
def run_periodic_job(context, run_id):
    return periodic_run_execute(run_id=run_id, worker=_worker_name(context))


def worker_heartbeat():
    """A worker took a periodic run from the queue: the health endpoint reads this row."""
    name = current_worker.get() or f"{socket.gethostname()}:{os.getpid()}"
    Heartbeat.objects.update_or_create(
        kind=Heartbeat.Kind.WORKER, name=name[:200], defaults={"seen_at": timezone.now()}
    )


@task()
def backup():
    from .backup import backup_create

    return backup_create().name
