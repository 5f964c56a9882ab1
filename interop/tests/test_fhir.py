"""FHIR R4 endpoints: every resource validates with fhir.resources, a Slot is busy
exactly when an active appointment covers it, and the access rules are the pages'."""

import datetime as dt

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentStatus
from appointments.tests.factories import AppointmentFactory, VisitTypeFactory, weekly_schedule
from records.history import history_item_create
from records.models import AllergySeverity, HistoryKind

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"


def _validate(data):
    """Parse a resource (and every entry of a Bundle) with its fhir.resources model."""
    model = get_fhir_model_class(data["resourceType"])
    model.model_validate(data)
    for entry in data.get("entry", []):
        _validate(entry["resource"])
    return data


def _get(client, url, expect=200, **params):
    response = client.get(url, params, HTTP_ACCEPT=FHIR)
    assert response.status_code == expect, response.content[:300]
    assert response["Content-Type"].startswith(FHIR)
    return _validate(response.json())


def test_capability_statement_is_public(api):
    statement = _get(api(), "/fhir/metadata")
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    types = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"Practitioner", "Schedule", "Slot", "Appointment", "Patient"} <= types


def test_practitioner_only_for_verified_doctors(api, doctor, unverified_doctor):
    practitioner = _get(api(), f"/fhir/Practitioner/{doctor.pk}")
    assert practitioner["identifier"][0]["value"] == doctor.license_id
    outcome = _get(api(), f"/fhir/Practitioner/{unverified_doctor.pk}", expect=404)
    assert outcome["resourceType"] == "OperationOutcome"


def test_schedule_search_by_actor(api, doctor, other_doctor, unverified_doctor):
    bundle = _get(api(), "/fhir/Schedule", actor=f"Practitioner/{doctor.pk}")
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(doctor.pk)]
    everyone = _get(api(), "/fhir/Schedule")
    ids = {e["resource"]["id"] for e in everyone["entry"]}
    assert str(unverified_doctor.pk) not in ids and str(other_doctor.pk) in ids


def test_slot_is_busy_exactly_when_an_active_appointment_covers_it(
    api, doctor, patient_a, patient_b
):
    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor, duration_minutes=30, buffer_after_minutes=10)
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    ten = dt.datetime.combine(day, dt.time(10), tzinfo=doctor.tz)
    AppointmentFactory(doctor=doctor, patient=patient_a, visit_type=visit_type, start=ten)
    AppointmentFactory(
        doctor=doctor,
        patient=patient_b,
        visit_type=visit_type,
        start=ten + dt.timedelta(hours=2),
        status=AppointmentStatus.CANCELLED,
    )
    bundle = _get(
        api(),
        "/fhir/Slot",
        schedule=f"Schedule/{doctor.pk}",
        start=[f"ge{day.isoformat()}", f"lt{(day + dt.timedelta(days=1)).isoformat()}"],
    )
    slots = [e["resource"] for e in bundle["entry"]]
    assert {s["status"] for s in slots} == {"free", "busy"}
    active = list(Appointment.objects.filter(doctor=doctor, status__in=ACTIVE_STATUSES))
    for slot in slots:
        start = dt.datetime.fromisoformat(slot["start"])
        end = dt.datetime.fromisoformat(slot["end"])
        covered = any(a.start < end and start < a.end for a in active)
        assert (slot["status"] == "busy") == covered, slot
    # The cancelled visit's time is free again.
    noon = ten + dt.timedelta(hours=2)
    assert any(
        s["status"] == "free"
        and noon <= dt.datetime.fromisoformat(s["start"]) < noon + dt.timedelta(minutes=40)
        for s in slots
    )
    free_only = _get(api(), "/fhir/Slot", practitioner=str(doctor.pk), status="free")
    assert {e["resource"]["status"] for e in free_only["entry"]} == {"free"}


def test_slot_search_needs_a_schedule_and_a_short_range(api, doctor):
    _get(api(), "/fhir/Slot", expect=400)
    _get(
        api(), "/fhir/Slot", expect=400, schedule=doctor.pk, start=["ge2026-01-01", "lt2026-06-01"]
    )
    _get(api(), "/fhir/Slot", expect=400, schedule=doctor.pk, start="geyesterday")


def test_appointments_are_the_callers_own(api, upcoming, patient_b, other_doctor, doctor):
    mine = _get(api(upcoming.patient), "/fhir/Appointment")
    assert [e["resource"]["id"] for e in mine["entry"]] == [str(upcoming.pk)]
    assert mine["entry"][0]["resource"]["status"] == "booked"
    assert _get(api(patient_b), "/fhir/Appointment")["total"] == 0
    _get(api(doctor.user), f"/fhir/Appointment/{upcoming.pk}")
    for outsider in (patient_b, other_doctor.user):
        _get(api(outsider), f"/fhir/Appointment/{upcoming.pk}", expect=404)
    _get(api(), f"/fhir/Appointment/{upcoming.pk}", expect=401)
    _get(api(), "/fhir/Appointment", expect=401)


def test_everything_for_the_patient_and_the_treating_doctor(api, billed_visit):
    patient = billed_visit.patient
    history_item_create(kind=HistoryKind.CONDITION, patient=patient, actor=patient, name="Asthma")
    history_item_create(
        kind=HistoryKind.ALLERGY,
        patient=patient,
        actor=patient,
        substance="Penicillin",
        reaction="Rash",
        severity=AllergySeverity.SEVERE,
    )
    for user in (patient, billed_visit.doctor.user):
        bundle = _get(api(user), f"/fhir/Patient/{patient.pk}/$everything")
        types = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert types[0] == "Patient"
        assert {
            "Practitioner",
            "Appointment",
            "Encounter",
            "Condition",
            "AllergyIntolerance",
            "MedicationRequest",
            "DocumentReference",
        } <= set(types), types


def test_everything_is_404_for_outsiders_and_demographics_only_for_staff(
    api, billed_visit, patient_b, other_doctor, unverified_doctor, staff
):
    url = f"/fhir/Patient/{billed_visit.patient.pk}/$everything"
    for outsider in (patient_b, other_doctor.user, unverified_doctor.user):
        assert _get(api(outsider), url, expect=404)["resourceType"] == "OperationOutcome"
    _get(api(), url, expect=401)
    bundle = _get(api(staff), url)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    _get(api(staff), f"/fhir/Patient/{billed_visit.patient.pk}")
    _get(api(patient_b), f"/fhir/Patient/{billed_visit.patient.pk}", expect=404)


def test_everything_has_a_fixed_query_budget(api, billed_visit, django_assert_max_num_queries):
    from records.tests.factories import AppointmentFactory as PastVisit

    for _ in range(10):
        PastVisit(doctor=billed_visit.doctor, patient=billed_visit.patient)
    client = api(billed_visit.patient)
    url = f"/fhir/Patient/{billed_visit.patient.pk}/$everything"
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
