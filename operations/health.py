"""What /health/ reports: database, cache, worker heartbeat, queue lag and backup
age. Each part is "ok" or says what is wrong; the parts named in
MEDCONNECT_HEALTH_REQUIRED (default: the database) make the answer 503 when not ok.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone
from django_tasks import task_backends

from .models import Backup, BackupStatus, Heartbeat


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"status": "down"}
    return {"status": "ok"}


def _cache():
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None:
        return {"status": "ok", "backend": "local"}
    try:
        client_of(write=True).ping()
    except Exception:  # any Redis failure: the pages serve from the database meanwhile
        return {"status": "down", "backend": "redis"}
    return {"status": "ok", "backend": "redis"}


def _database_queue_stats():
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    never_deferred = ready.filter(run_after=get_date_max()).aggregate(oldest=Min("enqueued_at"))
    deferred = ready.exclude(run_after=get_date_max()).aggregate(oldest=Min("run_after"))
    moments = [m for m in (never_deferred["oldest"], deferred["oldest"]) if m is not None]
    return ready.count(), min(moments, default=None)


def queue_stats():
    """(tasks due and waiting, the moment the oldest of them became due)."""
    backend = task_backends["default"]
    if hasattr(backend, "queue_stats"):
        waiting, oldest = backend.queue_stats()
        return waiting, oldest
    from django_tasks_db import DatabaseBackend

    if isinstance(backend, DatabaseBackend):
        return _database_queue_stats()
    return 0, None


def _age(moment, now):
    return round((now - moment).total_seconds(), 1) if moment else None


def _worker(now):
    last = (
        Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER)
        .order_by("-seen_at")
        .values_list("seen_at", flat=True)
        .first()
    )
    age = _age(last, now)
    fresh = age is not None and age <= settings.MEDCONNECT_HEALTH_WORKER_MAX_AGE_SECONDS
    return {"status": "ok" if fresh else "stale", "heartbeat_age_seconds": age}


def _queue(now):
    try:
        waiting, oldest = queue_stats()
    except Exception:  # the queue's store is down: Redis (the cache part says so too)
        return {"status": "down"}
    lag = _age(oldest, now) or 0.0
    ok = lag <= settings.MEDCONNECT_HEALTH_QUEUE_LAG_SECONDS
    return {"status": "ok" if ok else "lagging", "waiting": waiting, "lag_seconds": lag}


def last_backup_finished_at():
    return (
        Backup.objects.filter(status=BackupStatus.SUCCEEDED)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def _backup(now):
    finished = last_backup_finished_at()
    if finished is None:
        return {"status": "none", "age_hours": None}
    hours = round((now - finished).total_seconds() / 3600, 2)
    fresh = hours <= settings.MEDCONNECT_HEALTH_BACKUP_MAX_AGE_HOURS
    return {"status": "ok" if fresh else "stale", "age_hours": hours}


def health_report():
    """(report, HTTP status)."""
    now = timezone.now()
    report = {"database": _database(), "cache": _cache()}
    for part, check in (("worker", _worker), ("queue", _queue), ("backup", _backup)):
        if report["database"]["status"] != "ok" and part != "queue":
            report[part] = {"status": "unknown"}
            continue
        try:
            report[part] = check(now)
        except DatabaseError:
            report[part] = {"status": "unknown"}
    failing = [part for part, state in report.items() if state["status"] != "ok"]
    required = set(settings.MEDCONNECT_HEALTH_REQUIRED)
    if required & set(failing):
        overall, code = "unavailable", 503
    else:
        overall, code = ("degraded" if failing else "ok"), 200
    return {"status": overall, **report}, code
