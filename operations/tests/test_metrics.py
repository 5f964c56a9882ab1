"""Metrics: off by default, and only for the bearer token when on."""

import pytest
from django.test import RequestFactory

from operations import metrics
from operations.metrics import metrics_view

TOKEN = "s3cret-scrape-token-0123"


@pytest.mark.django_db
def test_the_metrics_url_is_not_routed_by_default(client):
    assert client.get("/metrics/").status_code == 404


@pytest.fixture
def metrics_on(settings):
    settings.MEDCONNECT_METRICS = True
    settings.MEDCONNECT_METRICS_TOKEN = TOKEN


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}"])
def test_a_scrape_without_the_token_is_refused(metrics_on, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = metrics_view(RequestFactory().get("/metrics/", **extra))
    assert response.status_code == 401
    assert b"medconnect_" not in response.content


@pytest.mark.django_db
def test_a_scrape_with_the_token_reads_queue_bookings_and_sign_ins(
    metrics_on, client, patient_a, upcoming
):
    client.post("/accounts/login/", {"login": patient_a.email, "password": "wrong-password"})
    request = RequestFactory().get("/metrics/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    body = metrics_view(request).content.decode()

    for name in (
        "medconnect_queue_length",
        "medconnect_queue_oldest_age_seconds",
        "medconnect_bookings_total",
        "medconnect_failed_logins_total",
        "medconnect_cache_seconds",
    ):
        assert name in body
    assert metrics.FAILED_LOGINS._value.get() >= 1


@pytest.mark.django_db(transaction=True)
def test_a_booking_counts_once_it_commits(upcoming):
    from appointments.tests.factories import AppointmentFactory

    before = metrics.BOOKINGS._value.get()
    AppointmentFactory()
    assert metrics.BOOKINGS._value.get() == before + 1
