"""Query budgets: the list pages make the same number of queries with a handful of
rows and with hundreds of doctors or thousands of appointments present."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import (
    Appointment,
    AppointmentStatus,
    VisitType,
)
from appointments.tests.factories import (
    VisitTypeFactory,
    bulk_appointments,
    bulk_doctors,
    count_queries,
    soon,
)
from directory.tests.factories import doctor_page_url
from doctors.tests.factories import SpecializationFactory
from patients.tests.factories import bulk_patients

S = AppointmentStatus

# The budgets. Raising one needs a reason: a new query per row is an N+1.
SEARCH_QUERIES = {"next_slot": 6, "fee": 6, "filtered": 6}
DOCTOR_PAGE_QUERIES = 5
PATIENT_DASHBOARD_QUERIES = 5
MY_APPOINTMENTS_QUERIES = 6
AGENDA_QUERIES = 6
PENDING_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    "budget, params",
    [("next_slot", {}), ("fee", {"sort": "fee"}), ("filtered", {"mode": "online", "day": "2"})],
)
def test_search_budget_with_hundreds_of_doctors(client, django_assert_num_queries, budget, params):
    spec = SpecializationFactory(name="General Medicine")
    few = bulk_doctors(3, prefix="few", specialization=spec)
    baseline, _ = count_queries(client, reverse("directory:search"), params)
    assert baseline == SEARCH_QUERIES[budget], baseline

    many = bulk_doctors(200, prefix="many", specialization=spec)
    patients = bulk_patients(10 * 21)
    for n, doctor in enumerate([*few, *many][::10]):
        bulk_appointments(
            doctor=doctor,
            patients=patients[n * 10 : (n + 1) * 10],
            count=10,
            first_start=soon(doctor),
            step=dt.timedelta(hours=1),
        )
    with django_assert_num_queries(SEARCH_QUERIES[budget]):
        response = client.get(reverse("directory:search"), params)
    assert response.context["page"].paginator.count == 203
    assert len(response.context["page"].object_list) == 20


@pytest.mark.django_db
def test_doctor_page_budget_with_thousands_of_appointments(client, django_assert_num_queries):
    (doctor,) = bulk_doctors(1)
    VisitTypeFactory(doctor=doctor, name="Long visit", duration_minutes=60)
    url = doctor_page_url(doctor)
    baseline, _ = count_queries(client, url)
    assert baseline == DOCTOR_PAGE_QUERIES, baseline

    patients = bulk_patients(50)
    start = timezone.now() - dt.timedelta(days=800)
    bulk_appointments(
        doctor=doctor,
        patients=patients,
        count=2000,
        first_start=start,
        step=dt.timedelta(hours=9),
        status=S.COMPLETED,
    )
    bulk_appointments(
        doctor=doctor,
        patients=patients,
        count=100,
        first_start=soon(doctor),
        step=dt.timedelta(hours=2),
    )
    with django_assert_num_queries(DOCTOR_PAGE_QUERIES):
        client.get(url)


@pytest.mark.django_db
def test_patient_pages_budget_with_thousands_of_appointments(
    login, patient_a, django_assert_num_queries
):
    doctors = bulk_doctors(5)
    # A few rows first: an empty page skips its query.
    bulk_appointments(
        doctor=doctors[1],
        patients=[patient_a],
        count=2,
        first_start=timezone.now() - dt.timedelta(days=5000),
        step=dt.timedelta(days=1),
        status=S.COMPLETED,
    )
    bulk_appointments(
        doctor=doctors[1],
        patients=[patient_a],
        count=2,
        first_start=soon(doctors[1], days=20),
        step=dt.timedelta(days=1),
    )
    client = login(patient_a)
    dashboard, _ = count_queries(client, reverse("patients:dashboard"))
    listing, _ = count_queries(client, reverse("appointments:list"))
    assert dashboard == PATIENT_DASHBOARD_QUERIES, dashboard
    assert listing == MY_APPOINTMENTS_QUERIES, listing

    others = bulk_patients(30 * len(doctors))
    for n, doctor in enumerate(doctors):
        bulk_appointments(
            doctor=doctor,
            patients=[patient_a],
            count=300,
            first_start=timezone.now() - dt.timedelta(days=1000, hours=n),
            step=dt.timedelta(days=3),
            status=S.COMPLETED,
        )
        bulk_appointments(
            doctor=doctor,
            patients=others[n * 30 : (n + 1) * 30],
            count=300,
            first_start=soon(doctor, days=1, hour=9) + dt.timedelta(minutes=30),
            step=dt.timedelta(hours=1),
        )
    bulk_appointments(
        doctor=doctors[0],
        patients=[patient_a],
        count=10,
        first_start=soon(doctors[0], days=2, hour=9),
        step=dt.timedelta(days=1),
    )
    assert Appointment.objects.count() > 3000
    with django_assert_num_queries(PATIENT_DASHBOARD_QUERIES):
        response = client.get(reverse("patients:dashboard"))
    assert len(response.context["upcoming"]) == 5
    with django_assert_num_queries(MY_APPOINTMENTS_QUERIES):
        response = client.get(reverse("appointments:list"))
    assert len(response.context["upcoming"]) == 12


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["day", "week"])
def test_agenda_budget_with_thousands_of_appointments(
    login, doctor, django_assert_num_queries, view
):
    VisitType.objects.create(doctor=doctor, name="Consultation", duration_minutes=30)
    client = login(doctor.user)
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=1)
    params = {"date": day.isoformat(), "view": view}
    baseline, _ = count_queries(client, reverse("appointments:agenda"), params)
    assert baseline == AGENDA_QUERIES, baseline

    patients = bulk_patients(40)
    bulk_appointments(
        doctor=doctor,
        patients=patients,
        count=3000,
        first_start=timezone.now() - dt.timedelta(days=1500),
        step=dt.timedelta(hours=12),
        status=S.COMPLETED,
    )
    # A full week ahead: 16 half-hour visits a day.
    bulk_appointments(
        doctor=doctor,
        patients=patients,
        count=16 * 7,
        first_start=soon(doctor, days=0, hour=0) + dt.timedelta(days=1),
        step=dt.timedelta(minutes=90),
    )
    with django_assert_num_queries(AGENDA_QUERIES):
        response = client.get(reverse("appointments:agenda"), params)
    assert sum(len(v) for v in response.context["days"].values()) >= 16


@pytest.mark.django_db
def test_pending_requests_and_doctor_dashboard_budget(login, doctor, django_assert_num_queries):
    VisitType.objects.create(doctor=doctor, name="Consultation", duration_minutes=30)
    patients = bulk_patients(40)
    # A few rows first: an empty page skips its query.
    bulk_appointments(
        doctor=doctor,
        patients=patients,
        count=2,
        first_start=soon(doctor, days=30, hour=0),
        step=dt.timedelta(hours=1),
        status=S.PENDING,
    )
    client = login(doctor.user)
    pending, _ = count_queries(client, reverse("appointments:pending"))
    dashboard, _ = count_queries(client, reverse("doctor_dashboard"))
    assert pending == PENDING_QUERIES, pending

    bulk_appointments(
        doctor=doctor,
        patients=patients,
        count=500,
        first_start=soon(doctor, days=1, hour=0),
        step=dt.timedelta(hours=1),
        status=S.PENDING,
    )
    with django_assert_num_queries(PENDING_QUERIES):
        response = client.get(reverse("appointments:pending"))
    assert len(response.context["page"].object_list) == 20
    with django_assert_num_queries(dashboard):
        client.get(reverse("doctor_dashboard"))
