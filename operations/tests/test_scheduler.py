"""Each period of each periodic job runs once, however many schedulers tick."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from operations import scheduler, tasks
from operations.models import Heartbeat, PeriodicRun, RunStatus

pytestmark = pytest.mark.django_db

CALLS = []


def count_call():
    CALLS.append(1)
    return len(CALLS)


def failing_job():
    raise RuntimeError("out of disk")


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """A scheduler tick whose queued runs go out as its transaction commits."""

    def _tick(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return scheduler.scheduler_tick(**kwargs)

    return _tick


@pytest.fixture
def counted_job(settings):
    """Only one job, counting its runs (the immediate backend runs it at once)."""
    CALLS.clear()
    settings.MEDCONNECT_PERIODIC_JOBS = {
        "count": ("operations.tests.test_scheduler.count_call", "5m")
    }
    return CALLS


def test_a_tick_runs_each_due_job_once_and_beats(counted_job, tick):
    now = timezone.now()
    claimed = tick(now=now, name="node-a:1")

    assert [run.job for run in claimed] == ["count"]
    run = PeriodicRun.objects.get()
    assert run.status == RunStatus.DONE
    assert run.claimed_by == "node-a:1"
    assert counted_job == [1]
    assert Heartbeat.objects.get(kind=Heartbeat.Kind.SCHEDULER).name == "node-a:1"


def test_a_second_scheduler_in_the_same_period_runs_nothing(counted_job, tick):
    now = timezone.now().replace(minute=0, second=1)
    tick(now=now, name="node-a:1")
    assert tick(now=now + dt.timedelta(seconds=30), name="node-b:1") == []

    assert counted_job == [1]
    later = tick(now=now + dt.timedelta(minutes=5), name="node-b:1")
    assert len(later) == 1
    assert counted_job == [1, 1]


def test_a_run_queued_twice_still_runs_once(counted_job, settings, tick):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    [run] = tick(name="node-a:1")

    assert tasks.periodic_run_execute(run_id=run.pk, worker="w1") == "done"
    assert tasks.periodic_run_execute(run_id=run.pk, worker="w2") == "skipped"
    run.refresh_from_db()
    assert (run.status, run.worker) == (RunStatus.DONE, "w1")
    assert counted_job == [1]


def test_a_claim_whose_queueing_was_lost_is_queued_again(counted_job, settings, tick):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    [run] = tick(name="node-a:1")
    PeriodicRun.objects.filter(pk=run.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    assert scheduler.runs_requeue(now=timezone.now()) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert counted_job == [1]


def test_a_failing_job_is_recorded_with_its_error(settings, tick):
    settings.MEDCONNECT_PERIODIC_JOBS = {
        "bad": ("operations.tests.test_scheduler.failing_job", "1h")
    }

    tick(name="node-a:1")  # the task fails; the queue records it, the tick goes on

    run = PeriodicRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: out of disk"


def test_the_registered_sweeps_run_from_the_scheduler(settings, upcoming, tick):
    settings.MEDCONNECT_PERIODIC_JOBS = {
        key: value
        for key, value in settings.MEDCONNECT_PERIODIC_JOBS.items()
        if key in {"reminder-sweep", "waitlist-offer-expiry", "worker-heartbeat"}
    }
    claimed = tick(name="node-a:1")

    assert sorted(run.job for run in claimed) == [
        "reminder-sweep",
        "waitlist-offer-expiry",
        "worker-heartbeat",
    ]
    assert set(PeriodicRun.objects.values_list("status", flat=True)) == {RunStatus.DONE}
    assert Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_on_two_connections_claim_each_period_once(counted_job, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two connections claiming at the same instant")
    settings.TASKS = {"default": {"BACKEND": "operations.task_backends.DatabaseBackend"}}
    settings.MEDCONNECT_PERIODIC_JOBS = {
        f"job-{n}": ("operations.tests.test_scheduler.count_call", "1m") for n in range(5)
    }
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    start = threading.Barrier(2)
    claimed = {}

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

    assert sum(len(runs) for runs in claimed.values()) == 5
    assert PeriodicRun.objects.count() == 5
    queued = DBTaskResult.objects.filter(task_path="operations.tasks.run_periodic_job")
    assert queued.count() == 5
    # Two workers each try every queued run: each period still runs once.
    outcomes = [
        tasks.periodic_run_execute(run_id=run_id, worker=worker)
        for run_id in PeriodicRun.objects.values_list("pk", flat=True)
        for worker in ("w1", "w2")
    ]
    assert outcomes.count("done") == 5
    assert len(CALLS) == 5
