"""PostgreSQL connections lost (killed with pg_terminate_backend, as a restart or a
failover does): the next request reconnects by itself; while the database refuses
connections, pages and the API answer 503 with Retry-After, and serve again once it
is back, with no restart of the app.

Requests go through Django's WSGI handler as gunicorn calls it: the test client
skips the check of old connections at each request's start, the very step tested."""

import json
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    """A connection of the test's own to the server's maintenance database."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: kills the app's server connections")
    db = connection.settings_dict
    conninfo = (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} "
        f"user={db['USER'] or 'postgres'} dbname=postgres"
    )
    with psycopg.connect(conninfo, autocommit=True) as admin:
        yield admin
        admin.execute(f'ALTER DATABASE "{db["NAME"]}" ALLOW_CONNECTIONS true')
    connection.close()


def kill_app_connections(admin):
    """Terminate every server process of the test database: the app's connections."""
    killed = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [connection.settings_dict["NAME"]],
    ).fetchall()
    return len(killed)


class Response:
    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.body = status, headers, body

    def text(self):
        return self.body.decode()

    def __getitem__(self, header):
        return self.headers[header]


class WSGIBrowser:
    """A signed-in browser talking to the WSGI application, one request at a time."""

    def __init__(self, user):
        signed_in = Client()
        signed_in.force_login(user)
        self.cookie = f"sessionid={signed_in.cookies['sessionid'].value}"
        self.application = WSGIHandler()

    def get(self, path):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
        }
        setup_testing_defaults(environ)
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=int(status.split()[0]), headers=dict(headers))

        result = self.application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()  # request_finished, as a server sends it
        return Response(started["status"], started["headers"], body)


@pytest.fixture
def patient_client(patient_a):
    return WSGIBrowser(patient_a)


def test_the_next_request_after_killed_connections_reconnects(postgres, patient_client):
    assert patient_client.get(reverse("patients:dashboard")).status_code == 200
    assert connection.connection is not None  # kept open between requests

    assert kill_app_connections(postgres) >= 1

    page = patient_client.get(reverse("patients:dashboard"))
    assert page.status_code == 200
    assert "Asha" in page.text()


def test_pages_answer_503_while_the_database_is_gone_and_recover(postgres, patient_client):
    name = connection.settings_dict["NAME"]
    assert patient_client.get(reverse("patients:dashboard")).status_code == 200

    postgres.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    kill_app_connections(postgres)

    page = patient_client.get(reverse("patients:dashboard"))
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "briefly unavailable" in page.text()
    api = patient_client.get("/api/v1/doctors/")
    assert api.status_code == 503
    assert api["Retry-After"] == "5"
    assert json.loads(api.body)["detail"].startswith("The service is briefly unavailable")

    postgres.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    page = patient_client.get(reverse("patients:dashboard"))
    assert page.status_code == 200
    assert "Asha" in page.text()
