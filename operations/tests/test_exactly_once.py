"""Two schedulers and two worker processes on PostgreSQL, with the database task queue
and with Redis queues (RQ): each period of each periodic job runs once and each due
reminder is emailed once, although every run and every reminder task is queued twice.

The schedulers tick at the same instant on two connections (threads); the workers are
two `manage.py worker --burst` processes taking from the same queue at once."""

import datetime as dt
import subprocess
import sys
import threading

import django_rq
import pytest
from django.db import connection
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.reminders import send_reminder
from appointments.tests.factories import AppointmentFactory
from encryption.tests.keys import TEST_ENCRYPTION_KEY
from notifications.models import Notification, Reminder, ReminderStatus
from operations import scheduler, tasks
from operations.models import Heartbeat, PeriodicRun, RunStatus
from operations.tests.backup_helpers import BASE_DIR, manage_environment
from operations.tests.processes import OwnRedis, redis_available

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]
REMINDERS = 6
JOBS = {
    "reminder-sweep": ("appointments.reminders.send_due_reminders", "5m"),
    "worker-heartbeat": ("operations.tasks.worker_heartbeat", "1m"),
}


@pytest.fixture(params=["database", "rq"])
def backend(request, settings, tmp_path):
    """The task backend of this process and the workers' environment, per queue kind."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two schedulers and two workers at the same instant")
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{host}:{port}/{db['NAME']}",
        "MEDCONNECT_ENCRYPTION_KEYS": TEST_ENCRYPTION_KEY,
        "MEDCONNECT_VAR_DIR": str(tmp_path / "var"),
        "MEDCONNECT_TASKS_BACKEND": request.param,
    }
    settings.MEDCONNECT_PERIODIC_JOBS = JOBS
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "operations.task_backends.DatabaseBackend"}}
        yield env
        return
    if not redis_available():
        pytest.skip("needs redis-server to start its own")
    redis = OwnRedis().start()
    settings.RQ_QUEUES = {"default": {"URL": redis.url}}
    settings.TASKS = {
        "default": {"BACKEND": "operations.rq_backend.RQBackend", "QUEUES": ["default"]}
    }
    yield {**env, "REDIS_URL": redis.url}
    redis.stop()


def due_reminders(count):
    now = timezone.now()
    reminders = []
    for n in range(count):
        visit = AppointmentFactory(
            status=AppointmentStatus.CONFIRMED, start=now + dt.timedelta(days=2, hours=n)
        )
        reminders.append(
            Reminder.objects.create(
                appointment=visit,
                offset=dt.timedelta(hours=24),
                due_at=now - dt.timedelta(minutes=1),
                appointment_start=visit.start,
            )
        )
    return reminders


def two_schedulers_tick(now):
    start, claimed = threading.Barrier(2), {}

    def node(name):
        start.wait()
        try:
            claimed[name] = scheduler.scheduler_tick(now=now, name=name)
        finally:
            connection.close()

    threads = [threading.Thread(target=node, args=(f"node-{n}:1",)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [run for runs in claimed.values() for run in runs]


def two_workers_drain(env):
    environment = manage_environment(env)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--burst", "--name", f"w{n}"],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = [worker.communicate(timeout=240) for worker in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-3000:]
    return "".join(out for out, _err in outputs)


def test_each_period_runs_once_and_each_reminder_is_sent_once(backend, settings):
    reminders = due_reminders(REMINDERS)
    now = timezone.now()

    claimed = two_schedulers_tick(now)

    assert sorted(run.job for run in claimed) == sorted(JOBS)
    # Queued twice each: a run queued again after its scheduler died, a reminder task
    # queued by the booking and again by a retry.
    for run in claimed:
        tasks.run_periodic_job.enqueue(run.pk)
    for reminder in reminders:
        send_reminder.enqueue(reminder.pk)
        send_reminder.enqueue(reminder.pk)

    output = two_workers_drain(backend)

    runs = PeriodicRun.objects.order_by("job")
    assert [(run.job, run.status) for run in runs] == [
        ("reminder-sweep", RunStatus.DONE),
        ("worker-heartbeat", RunStatus.DONE),
    ]
    assert Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER).exists()
    assert set(Reminder.objects.values_list("status", "attempts")) == {(ReminderStatus.SENT, 1)}
    for reminder in reminders:
        patient = reminder.appointment.patient
        assert (
            Notification.objects.filter(recipient=patient, kind="appointment_reminder").count() == 1
        )
    # One email per reminder (the workers print one line per message they send).
    assert output.count("[MedConnect] Reminder") == REMINDERS
    if backend["MEDCONNECT_TASKS_BACKEND"] == "rq":
        queue = django_rq.get_queue("default")
        assert queue.count == 0
        assert queue.failed_job_registry.count == 0
