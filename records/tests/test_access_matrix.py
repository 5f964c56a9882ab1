"""docs/security.md's matrix: every person against every object of patient A.

Allowed people succeed; everyone else gets a 404 (anonymous: the login page),
and each refusal is in the audit trail."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from records.tests.factories import pdf_bytes, upload

PERSONS = [
    "anonymous",
    "patient_a",
    "patient_b",
    "unverified_doctor",
    "other_doctor",
    "treating_doctor",
    "staff",
]

A_AND_DOCTOR = {"patient_a", "treating_doctor"}
DOCTOR = {"treating_doctor"}
A = {"patient_a"}


def _doc_post(c):
    return {
        "file": upload("scan.pdf", pdf_bytes()),
        "kind": "lab_report",
        "document_date": "2024-01-02",
        "description": "x",
    }


# name -> (method, url(c), data(c) or None, allowed persons)
CASES = {
    "profile": (
        "get",
        lambda c: reverse("records:patient", args=[c.patient.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "history": (
        "get",
        lambda c: reverse("records:history", args=[c.patient.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "history_add": (
        "post",
        lambda c: reverse("records:history_add", args=[c.patient.pk, "allergy"]),
        lambda c: {
            "substance": "Penicillin",
            "reaction": "Rash",
            "severity": "severe",
            "status": "active",
        },
        A_AND_DOCTOR,
    ),
    "timeline": (
        "get",
        lambda c: reverse("records:timeline", args=[c.patient.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "record_view": (
        "get",
        lambda c: reverse("records:record_detail", args=[c.signed.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "draft_view": (
        "get",
        lambda c: reverse("records:record_detail", args=[c.draft.pk]),
        None,
        DOCTOR,
    ),
    "record_edit": (
        "get",
        lambda c: reverse("records:record_edit", args=[c.draft.pk]),
        None,
        DOCTOR,
    ),
    "record_amend": (
        "get",
        lambda c: reverse("records:record_amend", args=[c.signed.pk]),
        None,
        DOCTOR,
    ),
    "record_void": (
        "post",
        lambda c: reverse("records:record_void", args=[c.signed.pk]),
        lambda c: {"reason": "Wrong patient"},
        DOCTOR,
    ),
    "consultation_start": (
        "get",
        lambda c: reverse("records:consultation_start", args=[c.fresh.pk]),
        None,
        DOCTOR,
    ),
    "prescription_view": (
        "get",
        lambda c: reverse("prescriptions:detail", args=[c.prescription.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "prescription_pdf": (
        "get",
        lambda c: reverse("prescriptions:pdf", args=[c.prescription.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "prescription_issue": (
        "get",
        lambda c: reverse("prescriptions:issue", args=[c.fresh.pk]),
        None,
        DOCTOR,
    ),
    "prescription_void": (
        "post",
        lambda c: reverse("prescriptions:void", args=[c.prescription.pk]),
        lambda c: {"reason": "Wrong dose"},
        DOCTOR,
    ),
    "documents": (
        "get",
        lambda c: reverse("records:documents", args=[c.patient.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "document_download": (
        "get",
        lambda c: reverse("records:document_download", args=[c.document.pk]),
        None,
        A_AND_DOCTOR,
    ),
    "document_upload": (
        "post",
        lambda c: reverse("records:documents", args=[c.patient.pk]),
        _doc_post,
        A_AND_DOCTOR,
    ),
    "document_hide": (
        "post",
        lambda c: reverse("records:document_hide", args=[c.document.pk]),
        lambda c: {"hidden": "1"},
        A,
    ),
}


@pytest.fixture
def person(request, clinical, patient_b, other_doctor, unverified_doctor, staff, login):
    from django.test import Client

    users = {
        "anonymous": None,
        "patient_a": clinical.patient,
        "patient_b": patient_b,
        "unverified_doctor": unverified_doctor.user,
        "other_doctor": other_doctor.user,
        "treating_doctor": clinical.doctor.user,
        "staff": staff,
    }
    user = users[request.param]
    return request.param, (Client() if user is None else login(user)), user


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("person", PERSONS, indirect=True)
def test_access_matrix(person, case, clinical):
    name, client, user = person
    method, url_fn, data_fn, allowed = CASES[case]
    url = url_fn(clinical)
    data = data_fn(clinical) if data_fn else None
    denials_before = AuditEvent.objects.filter(allowed=False).count()

    response = (
        getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    )

    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif name in allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("account_login"))
        assert AuditEvent.objects.filter(allowed=False).count() == denials_before
    else:
        assert response.status_code == 404
        denial = AuditEvent.objects.filter(allowed=False).latest("id")
        assert AuditEvent.objects.filter(allowed=False).count() == denials_before + 1
        assert denial.actor == user
        assert denial.patient_id == clinical.patient.pk


def test_views_by_others_are_audited_for_the_patient(clinical, login):
    client = login(clinical.doctor.user)
    client.get(reverse("records:timeline", args=[clinical.patient.pk]))
    client.get(reverse("records:document_download", args=[clinical.document.pk]))
    events = AuditEvent.objects.filter(patient=clinical.patient, actor=clinical.doctor.user)
    assert {e.action for e in events} >= {"view", "download"}
    # The patient's own views are not "someone viewed my record".
    own = login(clinical.patient)
    before = AuditEvent.objects.filter(actor=clinical.patient, action="view").count()
    own.get(reverse("records:timeline", args=[clinical.patient.pk]))
    assert AuditEvent.objects.filter(actor=clinical.patient, action="view").count() == before


def test_cancelled_appointment_gives_no_access(patient_a, other_doctor, login):
    from appointments.models import AppointmentStatus
    from records.tests.factories import AppointmentFactory

    AppointmentFactory(doctor=other_doctor, patient=patient_a, status=AppointmentStatus.CANCELLED)
    AppointmentFactory(doctor=other_doctor, patient=patient_a, status=AppointmentStatus.DECLINED)
    response = login(other_doctor.user).get(reverse("records:patient", args=[patient_a.pk]))
    assert response.status_code == 404


def test_second_treating_doctor_reads_but_cannot_edit(clinical, other_doctor, login):
    from records.tests.factories import AppointmentFactory

    AppointmentFactory(doctor=other_doctor, patient=clinical.patient)
    client = login(other_doctor.user)
    assert (
        client.get(reverse("records:record_detail", args=[clinical.signed.pk])).status_code == 200
    )
    assert client.get(reverse("records:record_detail", args=[clinical.draft.pk])).status_code == 404
    assert client.get(reverse("records:record_amend", args=[clinical.signed.pk])).status_code == 404
    assert (
        client.get(reverse("prescriptions:pdf", args=[clinical.prescription.pk])).status_code == 200
    )
    assert (
        client.post(
            reverse("prescriptions:void", args=[clinical.prescription.pk]), {"reason": "x"}
        ).status_code
        == 404
    )


def test_hidden_document_is_invisible_to_doctors(clinical, login):
    patient = login(clinical.patient)
    patient.post(reverse("records:document_hide", args=[clinical.document.pk]), {"hidden": "1"})
    doctor = login(clinical.doctor.user)
    url = reverse("records:document_download", args=[clinical.document.pk])
    assert doctor.get(url).status_code == 404
    listing = doctor.get(reverse("records:documents", args=[clinical.patient.pk]))
    assert "blood-test.pdf" not in listing.content.decode()
    assert patient.get(url).status_code == 200
    patient.post(reverse("records:document_hide", args=[clinical.document.pk]), {"hidden": "0"})
    assert doctor.get(url).status_code == 200


def test_patient_cannot_hide_a_doctors_upload(clinical, login):
    from records import documents
    from records.models import DocumentKind

    by_doctor = documents.document_upload(
        patient=clinical.patient,
        uploader=clinical.doctor.user,
        uploaded_file=upload("xray.pdf", pdf_bytes()),
        kind=DocumentKind.IMAGING,
        document_date=datetime.date(2024, 3, 1),
    )
    response = login(clinical.patient).post(
        reverse("records:document_hide", args=[by_doctor.pk]), {"hidden": "1"}
    )
    assert response.status_code == 404
    by_doctor.refresh_from_db()
    assert not by_doctor.is_hidden


def test_guardian_grant_lets_a_verified_doctor_see_one_object(clinical, other_doctor, login):
    from records.grants import records_grant_view, records_revoke_doctor_access

    client = login(other_doctor.user)
    url = reverse("records:record_detail", args=[clinical.signed.pk])
    assert client.get(url).status_code == 404
    records_grant_view(user=other_doctor.user, obj=clinical.signed)
    assert client.get(url).status_code == 200
    # The grant covers that object only, not the rest of the record.
    assert client.get(reverse("records:timeline", args=[clinical.patient.pk])).status_code == 404
    records_revoke_doctor_access(doctor_user=other_doctor.user, patient=clinical.patient)
    assert client.get(url).status_code == 404


def test_posted_fields_cannot_move_a_record(clinical, patient_b, login):
    client = login(clinical.doctor.user)
    client.post(
        reverse("records:record_edit", args=[clinical.draft.pk]),
        {"presenting_complaint": "Better", "patient": patient_b.pk, "status": "signed"},
    )
    clinical.draft.refresh_from_db()
    assert clinical.draft.patient_id == clinical.patient.pk
    assert clinical.draft.status == "draft"
    assert clinical.draft.presenting_complaint == "Better"
