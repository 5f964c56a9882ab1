from unittest import mock

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_health_is_200_when_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_the_database_errors(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@pytest.mark.django_db
def test_health_is_503_when_the_query_fails(client):
    failing = mock.MagicMock()
    failing.__enter__.return_value.execute.side_effect = OperationalError("server closed")
    with mock.patch.object(connection, "cursor", return_value=failing):
        response = client.get("/health/")

    assert response.status_code == 503


@pytest.mark.django_db
def test_health_answers_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301
