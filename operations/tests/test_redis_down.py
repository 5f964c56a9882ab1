"""Redis stopped (a redis-server of the test's own, never the machine's): pages still
serve, sessions keep working, and tasks that cannot be queued are kept, then queued."""

import subprocess
import sys
import threading

import django_rq
import pytest
import structlog
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from operations.models import TaskOutbox
from operations.outbox import outbox_relay
from operations.tests.backup_helpers import BASE_DIR, manage_environment
from operations.tests.processes import OwnRedis, redis_available

pytestmark = [
    pytest.mark.skipif(not redis_available(), reason="needs redis-server to start its own"),
    pytest.mark.timeout(120),
]


@pytest.fixture
def own_redis():
    server = OwnRedis().start()
    yield server
    server.stop()


@pytest.fixture
def redis_settings(settings, own_redis):
    """Cache, cached_db sessions and the RQ task backend on the test's own Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "medconnect.cache.SharedClientRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.MEDCONNECT_SLOT_CACHE_SECONDS = 600
    settings.RQ_QUEUES = {"default": {"URL": own_redis.url}}
    settings.TASKS = {
        "default": {"BACKEND": "operations.rq_backend.RQBackend", "QUEUES": ["default"]}
    }
    return own_redis


def test_with_redis_a_node_keeps_sessions_in_the_database_too():
    """The settings a node starts with when REDIS_URL is set: the cache that treats an
    outage as a miss, and cached_db sessions, which the fixture below uses too."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])",
        ],
        cwd=BASE_DIR,
        env=manage_environment(
            {
                "REDIS_URL": "redis://127.0.0.1:1/0",
                "DJANGO_SETTINGS_MODULE": "medconnect.settings",
            }
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "medconnect.cache.SharedClientRedisCache",
    ]


@pytest.mark.django_db
def test_pages_and_sessions_keep_working_while_redis_is_down(
    redis_settings, login, patient_a, visit_type
):
    client = login(patient_a)
    assert client.get(reverse("patients:dashboard")).status_code == 200
    cache.set("probe", 1)
    assert cache.get("probe") == 1

    redis_settings.stop()

    assert cache.get("probe") is None
    assert cache.get_or_set("fresh", 5) == 5
    assert client.get(reverse("patients:dashboard")).status_code == 200
    assert client.get(reverse("directory:search")).status_code == 200
    doctor_page = client.get(reverse("directory:doctor", args=[visit_type.doctor.pk]))
    assert doctor_page.status_code == 200
    # A new sign-in writes its session to the database alone.
    assert login(patient_a).get(reverse("patients:dashboard")).status_code == 200

    redis_settings.start()
    cache.set("probe", 2)
    assert cache.get("probe") == 2


@pytest.mark.django_db
def test_a_task_that_cannot_reach_redis_is_kept_then_queued(redis_settings):
    from operations.tasks import backup

    redis_settings.stop()
    structlog.contextvars.bind_contextvars(request_id="req-kept-0001")
    try:
        result = backup.enqueue()
    finally:
        structlog.contextvars.clear_contextvars()

    kept = TaskOutbox.objects.get()
    assert result.id == f"outbox-{kept.pk}"
    assert (kept.task_path, kept.request_id) == ("operations.tasks.backup", "req-kept-0001")
    assert outbox_relay() == 0  # still down: kept
    assert TaskOutbox.objects.count() == 1

    redis_settings.start()
    assert outbox_relay() == 1

    assert not TaskOutbox.objects.exists()
    queue = django_rq.get_queue("default")
    [job_id] = queue.get_job_ids()
    job = queue.fetch_job(job_id)
    assert job.func_name == "operations.tasks.backup"
    assert job.meta["request_id"] == "req-kept-0001"


@pytest.mark.django_db
def test_health_reports_the_cache_down_without_failing_the_node(redis_settings, client):
    redis_settings.stop()
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["cache"] == {"status": "down", "backend": "redis"}
    assert body["queue"] == {"status": "down"}
    assert body["status"] == "degraded"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_relaying_at_once_queue_each_kept_task_once(redis_settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two connections relaying at the same instant")
    for n in range(20):
        TaskOutbox.objects.create(
            task_path="operations.tasks.backup",
            args_kwargs={"args": [], "kwargs": {}},
            request_id=f"req-kept-{n:04}",
        )
    start, relayed = threading.Barrier(2), []

    def scheduler_relays():
        start.wait()
        try:
            relayed.append(outbox_relay(limit=500))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler_relays) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(relayed) == 20
    assert not TaskOutbox.objects.exists()
    queue = django_rq.get_queue("default")
    request_ids = [queue.fetch_job(job_id).meta["request_id"] for job_id in queue.get_job_ids()]
    assert sorted(request_ids) == [f"req-kept-{n:04}" for n in range(20)]
