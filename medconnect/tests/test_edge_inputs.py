"""The inputs outside testing found reaching a 500, each now a clear 400 (an
OperationOutcome on FHIR, the API's JSON error on the API)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EDGE_DATES = ["0001-01-01", "9999-12-31"]
EDGE_INSTANTS = ["0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00", "9999-12-31T23:59"]
BETWEEN = "Enter a date between"


@pytest.mark.parametrize("day", EDGE_DATES)
@pytest.mark.parametrize("view", ["day", "week"])
def test_agenda_at_the_calendar_edges(login, doctor, day, view):
    response = login(doctor.user).get(reverse("appointments:agenda"), {"date": day, "view": view})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("day", EDGE_DATES)
def test_timeline_filters_at_the_calendar_edges(login, clinical, day):
    url = reverse("records:timeline", args=[clinical.patient.pk])
    for field in ("date_from", "date_to"):
        response = login(clinical.doctor.user).get(url, {field: day})
        assert response.status_code in (200, 400)


@pytest.mark.parametrize("day", EDGE_DATES)
def test_time_off_at_the_calendar_edges(login, doctor, day):
    response = login(doctor.user).post(
        reverse("schedules:time_off"), {"start_date": day, "end_date": day}
    )
    assert response.status_code == 400 or BETWEEN in response.content.decode()
    assert not doctor.time_off.exists()


@pytest.mark.parametrize("start", EDGE_INSTANTS)
def test_booking_and_reschedule_links_at_the_calendar_edges(
    login, patient_a, doctor, visit_type, upcoming, start
):
    client = login(patient_a)
    book = client.get(
        reverse("appointments:book"),
        {"doctor": doctor.pk, "visit_type": visit_type.pk, "start": start},
    )
    move = client.post(reverse("appointments:reschedule", args=[upcoming.pk]), {"new_start": start})
    assert book.status_code == 400
    assert move.status_code == 400


@pytest.mark.parametrize("start", EDGE_INSTANTS)
def test_api_booking_and_reschedule_at_the_calendar_edges(
    api, patient_a, doctor, visit_type, upcoming, start
):
    client = api(patient_a)
    book = client.post(
        reverse("api:appointments"),
        {"doctor": doctor.pk, "visit_type": visit_type.pk, "start": start, "mode": "in_person"},
        format="json",
    )
    move = client.post(
        reverse("api:appointment_reschedule", args=[upcoming.pk]),
        {"new_start": start},
        format="json",
    )
    assert book.status_code == 400, book.content
    assert move.status_code == 400, move.content
    assert book.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "query",
    [
        {"start": "ge0001-01-01"},
        {"start": "lt9999-12-31"},
        {"start": "9999-12-31T23:59:59-14:00"},
        {"start": ["ge9999-12-30", "le9999-12-31"]},
    ],
)
def test_fhir_slot_search_at_the_calendar_edges(client, doctor, visit_type, query):
    response = client.get("/fhir/Slot", {"schedule": f"Schedule/{doctor.pk}", **query})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("page", ["99999999999999999999999", "9223372036854775808"])
def test_fhir_page_numbers_beyond_64_bits(api, patient_a, upcoming, page):
    response = api(patient_a).get("/fhir/Appointment", {"_page": page})
    assert response.status_code == 200
    assert response.json()["total"] == 1
    assert "entry" not in response.json()


def test_fhir_appointment_search_at_the_calendar_edges(api, patient_a):
    response = api(patient_a).get("/fhir/Appointment", {"date": "ge0001-01-01T00:00+14:00"})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("url", ["/api/v1/appointments/abc/", "/api/v1/invoices/1.5/"])
def test_non_integer_api_ids_get_the_api_error(api, patient_a, url):
    response = api(patient_a).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_non_integer_fhir_ids_get_an_operation_outcome(api, patient_a):
    response = api(patient_a).get("/fhir/Appointment/abc")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "url", ["/api/v1/appointments/", "/_allauth/app/v1/auth/login", "/fhir/Appointment"]
)
def test_deeply_nested_json_bodies_are_400(api, patient_a, url):
    body = "[" * 100_000 + "]" * 100_000
    response = api(patient_a).post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "nests deeper" in response.content.decode()


def test_json_within_the_depth_limit_still_works(api, patient_a):
    response = api(patient_a).post(
        reverse("api:appointments"), {"doctor": {"a": [[1]]}}, format="json"
    )
    assert response.status_code == 400
    assert "nests deeper" not in response.content.decode()
