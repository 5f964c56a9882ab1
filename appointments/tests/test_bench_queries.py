"""Query budgets of every page and endpoint `make bench` loads, with the data shaped
like the bench's (many doctors, hundreds of appointments per doctor), so an N+1 on a
hot path fails here before it shows in a load test.

The search page, doctor page, patient dashboard and agenda budgets without caching
live in test_queries.py; the API list budgets in api/tests/test_queries.py. This file
adds the home page, the bench's filtered searches, the booking POST, the slot
cache's hit path, and the public API search and slots with many appointments.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, VisitType
from appointments.tests.factories import (
    bulk_appointments,
    bulk_doctors,
    count_queries,
    soon,
)
from directory.tests.factories import doctor_page_url
from doctors.tests.factories import SpecializationFactory
from notifications.models import Notification
from patients.tests.factories import PatientFactory, bulk_patients

S = AppointmentStatus
HOME_QUERIES = 0
FILTERED_SEARCH_QUERIES = 7
DOCTOR_PAGE_CACHED_QUERIES = 0
# The booking request itself (was 24 while its notices were written in the transaction);
# the notices, emails and calendar files are built after it commits, in their own task.
BOOKING_POST_QUERIES = 20
BOOKING_NOTICES_QUERIES = 5
API_SEARCH_QUERIES = 5
API_SLOTS_QUERIES = 5


def busy_doctors(doctors, patients, *, past=300, upcoming=40):
    """Hundreds of past visits and a booked-up fortnight for each doctor."""
    for n, doctor in enumerate(doctors):
        bulk_appointments(
            doctor=doctor,
            patients=patients,
            count=past,
            first_start=timezone.now() - dt.timedelta(days=400, hours=n),
            step=dt.timedelta(hours=25),
            status=S.COMPLETED,
        )
        bulk_appointments(
            doctor=doctor,
            patients=patients[n % 2 :: 2],
            count=upcoming,
            first_start=soon(doctor, days=1, hour=9) + dt.timedelta(minutes=30 * n),
            step=dt.timedelta(hours=7),
        )


@pytest.mark.django_db
def test_home_page_budget(client, django_assert_num_queries):
    client.get(reverse("home"))
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_filtered_search_budget_with_busy_doctors(client, django_assert_num_queries):
    spec = SpecializationFactory(name="Cardiology")
    doctors = bulk_doctors(3, prefix="few", specialization=spec)
    params = {"specialization": spec.slug, "city": "Bengaluru"}
    baseline, _ = count_queries(client, reverse("directory:search"), params)
    assert baseline == FILTERED_SEARCH_QUERIES, baseline

    doctors += bulk_doctors(60, prefix="many", specialization=spec)
    busy_doctors(doctors[::6], bulk_patients(40), past=200, upcoming=30)
    assert Appointment.objects.count() > 2000
    with django_assert_num_queries(FILTERED_SEARCH_QUERIES):
        response = client.get(reverse("directory:search"), params)
    assert response.context["page"].paginator.count == 63


@pytest.mark.django_db
@pytest.mark.usefixtures("slot_cache_on")
def test_doctor_page_from_the_slot_cache(client, django_assert_num_queries):
    (doctor,) = bulk_doctors(1)
    VisitType.objects.create(doctor=doctor, name="Long visit", duration_minutes=60)
    busy_doctors([doctor], bulk_patients(30))
    url = doctor_page_url(doctor)
    client.get(url)
    # The page's content comes from the cache: no profile or slot work at all.
    with django_assert_num_queries(DOCTOR_PAGE_CACHED_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_booking_post_budget_does_not_grow_with_appointments(
    login, django_assert_num_queries, django_capture_on_commit_callbacks
):
    doctors = bulk_doctors(2)
    patients = bulk_patients(40)
    busy_doctors(doctors[1:], patients)
    budgets = []
    for doctor in doctors:
        visit_type = VisitType.objects.get(doctor=doctor)
        patient = PatientFactory().user
        client = login(patient)
        client.get(reverse("patients:dashboard"))  # stamps the session first
        start = soon(doctor, days=2, hour=11) + dt.timedelta(minutes=30 * doctor.pk % 60)
        query = {"doctor": doctor.pk, "visit_type": visit_type.pk, "start": start.isoformat()}
        url = reverse("appointments:book") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
        url = url.replace("+", "%2B")
        with (
            django_capture_on_commit_callbacks() as after_commit,
            django_assert_num_queries(BOOKING_POST_QUERIES) as captured,
        ):
            response = client.post(url, {"mode": "in_person", "reason": ""})
        assert response.status_code == 302, response.content[:500]
        # The clinic figures' recount is a task of its own for the worker (analytics),
        # not part of what the booking sends.
        sends = [c for c in after_commit if getattr(c, "__module__", "") != "analytics.receivers"]
        with django_assert_num_queries(BOOKING_NOTICES_QUERIES) as notices:
            for callback in sends:
                callback()
        budgets.append((len(captured.captured_queries), len(notices.captured_queries)))
        assert Notification.objects.filter(recipient=patient).count() == 1
    assert budgets[0] == budgets[1]


@pytest.mark.django_db
def test_api_search_and_slots_budgets_with_busy_doctors(client, django_assert_num_queries):
    spec = SpecializationFactory(name="Dermatology")
    doctors = bulk_doctors(40, specialization=spec)
    busy_doctors(doctors[::8], bulk_patients(40), past=200, upcoming=30)
    search = reverse("api:doctors")
    params = {"specialization": spec.slug, "city": "Bengaluru"}
    client.get(search, params)
    with django_assert_num_queries(API_SEARCH_QUERIES):
        response = client.get(search, params)
    assert response.json()["count"] == 40

    slots = reverse("api:doctor_slots", args=[doctors[0].pk])
    client.get(slots)
    with django_assert_num_queries(API_SLOTS_QUERIES):
        response = client.get(slots)
    assert response.json()["count"] > 50
