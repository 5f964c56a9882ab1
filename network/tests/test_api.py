"""The network API: every action through the same services, 401 for anonymous, 404
for outsiders, 403 for doctors outside the network, 409 for a state that forbids it."""

import pytest

from appointments.tests.factories import free_starts_ahead
from audit.models import AuditEvent
from network.models import Connection, ConnectionStatus, Referral
from network.models import ReferralStatus as RS

from .factories import ConnectionFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/network"


def test_anonymous_gets_401(api):
    for url in (f"{BASE}/connections/", f"{BASE}/referrals/", f"{BASE}/colleagues/"):
        assert api().get(url).status_code == 401


def test_connection_lifecycle(api, doctor, other_doctor):
    a, b = api(doctor.user), api(other_doctor.user)
    found = a.get(f"{BASE}/colleagues/", {"q": "Olga"}).json()["results"]
    assert [d["id"] for d in found] == [other_doctor.pk]
    response = a.post(f"{BASE}/connections/", {"doctor": other_doctor.pk, "note": "Hi"})
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert a.post(f"{BASE}/connections/{pk}/accept/").status_code == 404  # not the recipient
    assert b.post(f"{BASE}/connections/{pk}/accept/").json()["status"] == "accepted"
    assert b.post(f"{BASE}/connections/{pk}/accept/").status_code == 409
    assert a.post(f"{BASE}/connections/{pk}/remove/").json()["status"] == "removed"


def test_unverified_doctor_sees_the_network_unavailable(api, unverified_doctor, doctor):
    client = api(unverified_doctor.user)
    assert client.get(f"{BASE}/connections/").status_code == 403
    assert client.post(f"{BASE}/connections/", {"doctor": doctor.pk}).status_code == 403
    # And cannot be found or asked.
    found = api(doctor.user).get(f"{BASE}/colleagues/", {"q": "Uma"}).json()["results"]
    assert found == []
    assert (
        api(doctor.user).post(f"{BASE}/connections/", {"doctor": unverified_doctor.pk}).status_code
        == 404
    )
    assert not Connection.objects.exists()


def test_outsider_cannot_act_on_a_connection(api, doctor, other_doctor, specialist):
    connection = ConnectionFactory(
        requester=doctor, recipient=other_doctor, status=ConnectionStatus.PENDING
    )
    response = api(specialist.user).post(f"{BASE}/connections/{connection.pk}/accept/")
    assert response.status_code == 404
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.PENDING


def test_referral_through_the_api(
    api, clinical, specialist, specialist_visit_type, django_capture_on_commit_callbacks
):
    ConnectionFactory(requester=clinical.doctor, recipient=specialist)
    a, b, patient = api(clinical.doctor.user), api(specialist.user), api(clinical.patient)
    response = a.post(
        f"{BASE}/referrals/",
        {
            "patient": clinical.patient.pk,
            "specialist": specialist.pk,
            "reason": "Chest pain",
            "documents": [clinical.document.pk],
            "sections": ["allergies"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == RS.AWAITING_PATIENT
    download = f"{BASE}/referrals/{pk}/documents/{clinical.document.pk}/download/"
    assert b.get(download).status_code == 404  # nothing before consent
    assert b.post(f"{BASE}/referrals/{pk}/accept/").status_code == 409
    assert patient.post(f"{BASE}/referrals/{pk}/agree/").json()["status"] == RS.SENT
    assert b.get(download).status_code == 200
    assert b.post(f"{BASE}/referrals/{pk}/accept/").json()["actions"] == ["book"]
    start = free_starts_ahead(specialist, specialist_visit_type)[0]
    booked = b.post(
        f"{BASE}/referrals/{pk}/book/",
        {"visit_type": specialist_visit_type.pk, "start": start.isoformat(), "mode": "online"},
        format="json",
    )
    assert booked.status_code == 200, booked.json()
    assert booked.json()["status"] == RS.BOOKED
    assert patient.post(f"{BASE}/referrals/{pk}/revoke/").status_code == 200
    assert b.get(download).status_code == 404
    assert [e["kind"] for e in a.get(f"{BASE}/referrals/{pk}/").json()["events"]][-1] == (
        "grant_revoked"
    )


def test_referral_outsiders_get_404_and_are_audited(api, awaiting, other_doctor, patient_b, staff):
    for user in (other_doctor.user, patient_b, staff):
        assert api(user).get(f"{BASE}/referrals/{awaiting.pk}/").status_code == 404
        assert api(user).post(f"{BASE}/referrals/{awaiting.pk}/agree/").status_code == 404
    assert AuditEvent.objects.filter(allowed=False, object_type="network.referral").count() >= 3
    awaiting.refresh_from_db()
    assert awaiting.status == RS.AWAITING_PATIENT
    assert api(other_doctor.user).get(f"{BASE}/referrals/").json()["results"] == []


def test_posting_foreign_ids_changes_nothing(api, clinical, specialist, other_doctor, patient_b):
    from patients.tests.factories import PatientFactory  # noqa: F401
    from records.tests.factories import uploaded_blood_test

    ConnectionFactory(requester=clinical.doctor, recipient=specialist)
    foreign_document = uploaded_blood_test(patient_b, document_date=clinical.done.start.date())
    a = api(clinical.doctor.user)
    cases = [
        {"patient": patient_b.pk, "specialist": specialist.pk},  # not their patient
        {"patient": clinical.patient.pk, "specialist": other_doctor.pk},  # not connected
        {
            "patient": clinical.patient.pk,
            "specialist": specialist.pk,
            "documents": [foreign_document.pk],  # someone else's document
        },
    ]
    for case in cases:
        response = a.post(f"{BASE}/referrals/", {"reason": "x", **case}, format="json")
        assert response.status_code in (400, 404), response.json()
    assert not Referral.objects.exists()
