"""docs/security.md's matrix over the API: every object of patient A is a 404 for anyone
who may not see it, 401 for anonymous callers, and readable by those who may."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

DETAIL = {
    "appointment": ("api:appointment", "visit"),
    "record": ("api:record", "record"),
    "prescription": ("api:prescription", "prescription"),
    "prescription_pdf": ("api:prescription_pdf", "prescription"),
    "document": ("api:document_download", "document"),
    "invoice": ("api:invoice", "invoice"),
    "receipt": ("api:invoice_receipt", "invoice"),
}
# Who may read each object of patient A (docs/security.md), besides A and the treating doctor.
STAFF_MAY_SEE = {"appointment", "invoice", "receipt"}


def _url(billed_visit, name):
    route, attribute = DETAIL[name]
    return reverse(route, args=[getattr(billed_visit, attribute).pk])


@pytest.mark.parametrize("name", DETAIL)
def test_patient_and_treating_doctor_may_read(api, billed_visit, name):
    for user in (billed_visit.patient, billed_visit.doctor.user):
        response = api(user).get(_url(billed_visit, name))
        assert response.status_code == 200, (user, response.content[:200])


@pytest.mark.parametrize("name", DETAIL)
@pytest.mark.parametrize("persona", ["patient_b", "other_doctor", "unverified_doctor"])
def test_outsiders_get_404(api, billed_visit, name, persona, request):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    response = api(user).get(_url(billed_visit, name))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) >= {"detail", "code"}


@pytest.mark.parametrize("name", DETAIL)
def test_staff_reads_only_what_the_matrix_allows(api, billed_visit, staff, name):
    response = api(staff).get(_url(billed_visit, name))
    assert response.status_code == (200 if name in STAFF_MAY_SEE else 404)


@pytest.mark.parametrize("name", DETAIL)
def test_anonymous_gets_401(api, billed_visit, name):
    response = api().get(_url(billed_visit, name))
    assert response.status_code == 401
    assert "X-Session-Token" in response["WWW-Authenticate"]


def test_a_denial_is_audited(api, billed_visit, patient_b):
    api(patient_b).get(reverse("api:record", args=[billed_visit.record.pk]))
    assert AuditEvent.objects.filter(
        actor=patient_b, action=AuditAction.DENY, allowed=False, patient=billed_visit.patient
    ).exists()


def test_a_doctor_viewing_a_record_is_logged_for_the_patient(api, billed_visit):
    api(billed_visit.doctor.user).get(reverse("api:record", args=[billed_visit.record.pk]))
    assert AuditEvent.objects.filter(
        actor=billed_visit.doctor.user, action=AuditAction.VIEW, patient=billed_visit.patient
    ).exists()


@pytest.mark.parametrize(
    "route", ["api:records", "api:prescriptions", "api:documents", "api:invoices"]
)
def test_patient_b_lists_nothing_of_a(api, billed_visit, patient_b, route):
    response = api(patient_b).get(reverse(route))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_patient_lists_show_their_own(api, billed_visit):
    client = api(billed_visit.patient)
    for route in ("api:records", "api:prescriptions", "api:invoices"):
        body = client.get(reverse(route)).json()
        assert body["count"] == 1, route
    # Billing may also file the receipt among the documents.
    documents = client.get(reverse("api:documents")).json()["results"]
    assert billed_visit.document.pk in [d["id"] for d in documents]
    assert client.get(reverse("api:appointments")).json()["count"] == 1


def test_doctor_lists_a_treated_patients_documents_but_not_others(
    api, billed_visit, other_doctor, unverified_doctor
):
    url = reverse("api:documents") + f"?patient={billed_visit.patient.pk}"
    listed = api(billed_visit.doctor.user).get(url).json()["results"]
    assert billed_visit.document.pk in [d["id"] for d in listed]
    assert api(other_doctor.user).get(url).status_code == 404
    assert api(unverified_doctor.user).get(url).status_code == 404
    assert api(billed_visit.doctor.user).get(reverse("api:documents")).status_code == 400


@pytest.mark.parametrize("route", ["api:records", "api:prescriptions", "api:invoices"])
def test_unverified_doctor_lists_are_404(api, unverified_doctor, route):
    assert api(unverified_doctor.user).get(reverse(route)).status_code == 404


def test_staff_see_every_invoice_but_no_clinical_lists(api, billed_visit, staff):
    client = api(staff)
    assert client.get(reverse("api:invoices")).json()["count"] == 1
    assert client.get(reverse("api:records")).status_code == 404
    assert client.get(reverse("api:prescriptions")).status_code == 404
    assert client.get(reverse("api:appointments")).json()["count"] == 1


def test_downloads_are_attachments_with_nosniff(api, billed_visit):
    client = api(billed_visit.patient)
    for name in ("document", "prescription_pdf", "receipt"):
        response = client.get(_url(billed_visit, name))
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert (
            b"".join(response.streaming_content if response.streaming else [response.content])[:4]
            == b"%PDF"
        )


def test_pdf_requested_by_accept_header_still_answers_errors_as_json(api, billed_visit, patient_b):
    response = api(patient_b).get(_url(billed_visit, "receipt"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
