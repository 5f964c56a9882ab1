"""A database outage answers 503 with Retry-After; other failures a plain 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse


@pytest.fixture
def error_page_client():
    """A client that gets the error page a visitor sees, where the test client would raise."""
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_database_outage_is_a_503_the_browser_can_retry(error_page_client):
    with mock.patch("directory.views.doctor_search", side_effect=OperationalError("down")):
        response = error_page_client.get(reverse("directory:search"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "briefly unavailable" in response.content.decode()


@pytest.mark.django_db
def test_a_database_outage_on_the_api_is_json(error_page_client):
    with mock.patch("directory.api.doctor_search", side_effect=OperationalError("down")):
        response = error_page_client.get("/api/v1/doctors/")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The service is briefly unavailable")


@pytest.mark.django_db
def test_other_failures_stay_500(error_page_client):
    with mock.patch("directory.views.doctor_search", side_effect=RuntimeError("bug")):
        response = error_page_client.get(reverse("directory:search"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Retry-After" not in response
