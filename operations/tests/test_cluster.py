"""deploy/cluster.sh on loopback: two gunicorn nodes, two RQ workers and a scheduler
behind nginx, against PostgreSQL and a Redis of the test's own. A sign-in continues
on the other node, a cached page changed through one node is fresh on the other, the
booking's emails are logged by a worker under the booking request's id and no log
line names the patient, 50 clients racing for one slot over both nodes make one
booking, a worker killed mid-send loses no reminder, and every database connection
killed at once is followed by pages served on both nodes."""

import datetime as dt
import json
import os
import re
import shutil
import signal
import threading
from pathlib import Path
from urllib.parse import unquote

import django_rq
import pytest
import requests
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from appointments.models import Appointment, AppointmentStatus
from appointments.tests.factories import AppointmentFactory
from encryption.tests.keys import TEST_ENCRYPTION_KEY
from notifications.models import Reminder, ReminderStatus
from operations.tests.cluster_helpers import Cluster, SlowSMTP, form_token, sign_in, wait_until
from operations.tests.processes import OwnRedis, free_port
from patients.tests.factories import PatientFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        os.environ.get("MEDCONNECT_CLUSTER_TESTS") != "1",
        reason="starts the whole cluster: set MEDCONNECT_CLUSTER_TESTS=1",
    ),
]
_SLOT = re.compile(r'href="(/book/\?doctor=\d+&amp;visit_type=(\d+)&amp;start=([^"]+))"')


@pytest.fixture
def cluster(tmp_path, settings):
    # Asked for (make test-cluster), the cluster fails rather than skips what it needs.
    if connection.vendor != "postgresql":
        pytest.fail("the cluster runs against PostgreSQL: set DATABASE_URL=postgres://...")
    if shutil.which("redis-server") is None:
        pytest.fail("the cluster test starts a redis-server of its own: install redis-server")
    redis = OwnRedis().start()
    smtp = SlowSMTP(greeting_delay=2.0)
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{db['USER'] or 'postgres'}@{host}:{port}/{db['NAME']}"
    running = Cluster(
        # `make test-cluster` names the folder, to stop what is left should this die.
        directory=Path(os.environ.get("MEDCONNECT_CLUSTER_DIR") or tmp_path / "cluster"),
        ports=(free_port(), free_port(), free_port()),
        env={
            "DATABASE_URL": url,
            "REDIS_URL": redis.url,
            "PYTHON": os.sys.executable,
            # Sessions made here with force_login are read by the nodes.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "MEDCONNECT_ENCRYPTION_KEYS": TEST_ENCRYPTION_KEY,
            "MEDCONNECT_SWEEP_EVERY": "3s",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "0",
        },
    )
    settings.RQ_QUEUES = {"default": {"URL": redis.url}}
    running.smtp = smtp
    running.run("up")
    yield running
    running.run("down")
    smtp.shutdown()
    redis.stop()


def slot_links(session, base, doctor):
    page = session.get(f"{base}/find-a-doctor/{doctor.pk}/", timeout=30)
    assert page.status_code == 200
    return [unquote(start) for _href, _vt, start in _SLOT.findall(page.text)]


def check_session_and_cache(cluster, patient_a, doctor, visit_type):
    node1, node2 = cluster.url(1), cluster.url(2)
    browser = sign_in(node1, patient_a.email, DEFAULT_PASSWORD)
    dashboard = browser.get(f"{node2}/patient/", timeout=30)
    assert dashboard.status_code == 200 and "Asha Patient" in dashboard.text
    # nginx serves the hashed static files the page links to.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', dashboard.text)[1]
    css = requests.get(cluster.url() + stylesheet, timeout=30)
    assert css.status_code == 200 and css.headers["Content-Type"] == "text/css"

    before = slot_links(browser, node2, doctor)
    slot_links(browser, node2, doctor)  # now served from the shared page cache
    start = before[0]
    book_url = f"/book/?doctor={doctor.pk}&visit_type={visit_type.pk}&start={start}"
    token = form_token(browser, node1 + book_url.replace("+", "%2B"))
    booked = browser.post(
        node1 + book_url.replace("+", "%2B"),
        data={"mode": "in_person", "reason": "Chest pain at night", "csrfmiddlewaretoken": token},
        headers={"Referer": node1 + "/"},
        timeout=30,
    )
    assert booked.status_code == 200 and Appointment.objects.count() == 1
    assert start not in slot_links(browser, node2, doctor)
    return before[1], booked.history[0].headers["X-Request-ID"]


def check_booking_logs(cluster, request_id, patient):
    """The booking's emails went out from a worker, whose lines carry the booking
    request's id; no line of any node, worker or the scheduler names the patient, the
    doctor or the reason typed."""

    def worker_lines():
        for name in ("worker-1", "worker-2"):
            for raw in (cluster.directory / f"{name}.log").read_text().splitlines():
                if raw.startswith("{"):
                    yield json.loads(raw)

    wait_until(
        lambda: any(
            line["event"] == "task_finished" and line.get("request_id") == request_id
            for line in worker_lines()
        ),
        timeout=120,
        message="a worker running the booking's tasks",
    )
    text = cluster.app_logs()
    assert request_id in text
    for personal in ("Asha", patient.email, "Chest pain", "Ravi Treating"):
        assert personal not in text


def check_booking_race(cluster, doctor, visit_type, start):
    patients = [PatientFactory().user for _ in range(50)]
    cookies = []
    for user in patients:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    path = f"/book/?doctor={doctor.pk}&visit_type={visit_type.pk}&start={start}"
    path = path.replace("+", "%2B")
    statuses, barrier = [], threading.Barrier(50)

    def client_books(sessionid):
        session = requests.Session()
        session.cookies.set("sessionid", sessionid)
        token = form_token(session, cluster.url() + path)
        barrier.wait()
        response = session.post(
            cluster.url() + path,
            data={"mode": "in_person", "csrfmiddlewaretoken": token},
            headers={"Referer": cluster.url() + "/"},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=client_books, args=(c,)) for c in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One booked (redirected to the visit), 49 told the slot was just taken.
    assert sorted(statuses) == [302] + [409] * 49, statuses
    assert Appointment.objects.filter(start=dt.datetime.fromisoformat(start)).count() == 1
    # nginx spread the bookings over both nodes.
    booking_nodes = {
        line.split("upstream=")[1].split()[0]
        for line in cluster.access_log()
        if '"POST /book/' in line
    }
    assert booking_nodes == {
        f"127.0.0.1:{cluster.node_port(1)}",
        f"127.0.0.1:{cluster.node_port(2)}",
    }


def check_worker_killed_mid_send(cluster, doctor):
    from appointments.reminders import send_reminder

    cluster.kill("worker-2", signal.SIGTERM)  # one worker left: it takes them all
    # The emails of the steps before are all out: the next mail is a reminder.
    queue = django_rq.get_queue("default")
    wait_until(
        lambda: queue.count == 0 and queue.started_job_registry.count == 0,
        timeout=120,
        message="the queue drained",
    )
    sent_before, connections_before = len(cluster.smtp.messages), cluster.smtp.connections
    now = timezone.now()
    reminders = []
    for n in range(4):
        visit = AppointmentFactory(
            doctor=doctor,
            status=AppointmentStatus.CONFIRMED,
            start=now + dt.timedelta(days=3, hours=n),
        )
        reminders.append(
            Reminder.objects.create(
                appointment=visit,
                offset=dt.timedelta(hours=24),
                due_at=now - dt.timedelta(minutes=1),
                appointment_start=visit.start,
            )
        )
    ours = Reminder.objects.filter(pk__in=[reminder.pk for reminder in reminders])
    for reminder in reminders:
        send_reminder.enqueue(reminder.pk)
    wait_until(
        lambda: cluster.smtp.connections > connections_before,
        timeout=60,
        message="a reminder in flight",
    )
    # The worker's machine dies mid-send: the worker and the job it forked.
    assert cluster.kill("worker-1", signal.SIGKILL) >= 2
    cluster.run("start-worker", "2")
    wait_until(
        lambda: ours.filter(status=ReminderStatus.SENT).count() == 4,
        timeout=120,
        message="every reminder sent",
    )
    # Each patient reminded once: the send cut off by the kill was rolled back and
    # sent again, once.
    reminded = [
        message
        for message in cluster.smtp.messages[sent_before:]
        if "Subject: [MedConnect] Reminder" in message
    ]
    for reminder in reminders:
        email = reminder.appointment.patient.email
        assert sum(email in message for message in reminded) == 1, (email, len(reminded))
    assert set(ours.values_list("attempts", flat=True)) == {1}


def check_database_connections_killed(cluster, patient):
    """Every server connection of the nodes killed (a PostgreSQL restart or failover):
    the next requests on both nodes reconnect, with no restart."""
    browser = sign_in(cluster.url(), patient.email, DEFAULT_PASSWORD)
    for node in (1, 2):
        assert browser.get(f"{cluster.url(node)}/patient/", timeout=30).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        assert len(cursor.fetchall()) >= 2
    for node in (1, 2, 1, 2):
        page = browser.get(f"{cluster.url(node)}/patient/", timeout=30)
        assert page.status_code == 200 and "Asha Patient" in page.text


@pytest.mark.django_db(transaction=True)
def test_the_cluster_behind_nginx(cluster, settings, patient_a, doctor, visit_type):
    settings.TASKS = {
        "default": {"BACKEND": "operations.rq_backend.RQBackend", "QUEUES": ["default"]}
    }
    race_start, booking_request = check_session_and_cache(cluster, patient_a, doctor, visit_type)
    check_booking_logs(cluster, booking_request, patient_a)
    check_booking_race(cluster, doctor, visit_type, race_start)
    check_worker_killed_mid_send(cluster, doctor)
    check_database_connections_killed(cluster, patient_a)
