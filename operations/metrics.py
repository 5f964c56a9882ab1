"""Prometheus metrics: what django-prometheus measures (requests per view, latencies,
database timings when MEDCONNECT_METRICS=1) plus the clinic's own: cache timings and
outages, queue length and the age of the oldest waiting task, bookings, failed
sign-ins. Served at /metrics/ only when switched on, to a bearer token.

Under gunicorn every worker process counts on its own; with PROMETHEUS_MULTIPROC_DIR
set (deploy/gunicorn.conf.py does) the scrape adds them up.
"""

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models.signals import post_save
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

CACHE_SECONDS = Histogram(
    "medconnect_cache_seconds",
    "Time of one cache operation",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0),
)
CACHE_ERRORS = Counter(
    "medconnect_cache_errors", "Cache operations that found Redis down", ["operation"]
)
BOOKINGS = Counter("medconnect_bookings", "Appointments booked")
FAILED_LOGINS = Counter("medconnect_failed_logins", "Sign-ins refused for wrong credentials")


def _appointment_saved(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(BOOKINGS.inc)


def _login_failed(sender, credentials=None, request=None, **kwargs):
    FAILED_LOGINS.inc()


def connect_signals():
    post_save.connect(
        _appointment_saved, sender="appointments.Appointment", dispatch_uid="metrics.bookings"
    )
    user_login_failed.connect(_login_failed, dispatch_uid="metrics.failed_logins")


class QueueCollector:
    """Tasks waiting to run and the age of the oldest, read at each scrape."""

    def collect(self):
        from .health import queue_stats

        waiting, oldest = queue_stats()
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("medconnect_queue_length", "Tasks due and waiting", value=waiting)
        yield GaugeMetricFamily(
            "medconnect_queue_oldest_age_seconds", "Age of the oldest due task", value=age
        )


def _authorized(request):
    expected = f"Bearer {settings.MEDCONNECT_METRICS_TOKEN}"
    offered = request.headers.get("Authorization", "")
    return bool(settings.MEDCONNECT_METRICS_TOKEN) and hmac.compare_digest(offered, expected)


def scrape_output():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    queue = CollectorRegistry()
    queue.register(QueueCollector())
    return body + generate_latest(queue)


@login_not_required
@never_cache
def metrics_view(request):
    if not _authorized(request):
        response = HttpResponse("A valid bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(scrape_output(), content_type=CONTENT_TYPE_LATEST)
