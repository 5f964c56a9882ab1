"""/health/ reports database, cache, worker heartbeat, queue lag and backup age, and
answers 503 when a required part is down."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from operations.models import Backup, BackupStatus, Heartbeat
from operations.tests.factories import succeeded_backup

pytestmark = pytest.mark.django_db


def test_all_parts_ok_is_200(client):
    Heartbeat.objects.create(kind=Heartbeat.Kind.WORKER, name="w1", seen_at=timezone.now())
    succeeded_backup(hours_ago=3)

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert body["cache"] == {"status": "ok", "backend": "local"}
    assert body["worker"]["status"] == "ok"
    assert body["queue"] == {"status": "ok", "waiting": 0, "lag_seconds": 0.0}
    assert body["backup"] == {"status": "ok", "age_hours": 3.0}
    assert "no-cache" in response["Cache-Control"]


def test_a_fresh_install_is_degraded_but_serving(client):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"] == {"status": "stale", "heartbeat_age_seconds": None}
    assert body["backup"] == {"status": "none", "age_hours": None}


def test_an_old_backup_and_a_silent_worker_are_reported(client):
    Heartbeat.objects.create(
        kind=Heartbeat.Kind.WORKER, name="w1", seen_at=timezone.now() - dt.timedelta(hours=1)
    )
    succeeded_backup(hours_ago=30)
    Backup.objects.create(
        name="later-failure", status=BackupStatus.FAILED, started_at=timezone.now()
    )

    body = client.get("/health/").json()

    assert body["worker"]["status"] == "stale"
    assert body["worker"]["heartbeat_age_seconds"] >= 3600
    assert body["backup"]["status"] == "stale"
    assert body["backup"]["age_hours"] == 30.0


def test_a_required_part_that_fails_is_503(client, settings):
    settings.MEDCONNECT_HEALTH_REQUIRED = ["database", "backup"]

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_queue_lag_counts_from_the_oldest_due_task(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "operations.task_backends.DatabaseBackend"}}
    from operations.tasks import run_periodic_job

    run_periodic_job.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))

    body = client.get("/health/").json()

    assert body["queue"]["waiting"] == 1
    assert body["queue"]["status"] == "lagging"
    assert body["queue"]["lag_seconds"] >= 600


def test_health_is_503_when_the_database_errors(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"status": "down"}


def test_health_is_503_when_the_query_fails(client):
    failing = mock.MagicMock()
    failing.__enter__.return_value.execute.side_effect = OperationalError("server closed")
    with mock.patch.object(connection, "cursor", return_value=failing):
        response = client.get("/health/")

    assert response.status_code == 503


def test_health_answers_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301
