"""The consultation record as a PDF, on the page and through the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from records.models import RecordStatus
from records.tests.factories import AppointmentFactory, ConsultationRecordFactory, text_of_pdf

pytestmark = pytest.mark.django_db


def pdf_text(response):
    """The text of a PDF download, once it is seen to be a PDF."""
    data = response.content
    assert data.startswith(b"%PDF")
    return text_of_pdf(data)


@pytest.fixture
def signed(doctor, patient_a):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    return ConsultationRecordFactory(
        appointment=appointment,
        status=RecordStatus.SIGNED,
        version=1,
        signed_at=timezone.now(),
        plan="<script>alert(1)</script> rest",
    )


def record_pdf_url(record):
    return reverse("records:record_pdf", args=[record.pk])


def test_the_patient_downloads_the_signed_record(login, patient_a, doctor, signed):
    response = login(patient_a).get(record_pdf_url(signed))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response)
    assert "Acute bronchitis" in text
    assert "<script>alert(1)</script> rest" in text
    assert doctor.license_id in text
    assert "Signed, version 1" in text


def test_a_doctor_download_is_audited_for_the_patient(login, patient_a, doctor, signed):
    assert login(doctor.user).get(record_pdf_url(signed)).status_code == 200
    assert AuditEvent.objects.filter(
        actor=doctor.user, patient=patient_a, action=AuditAction.DOWNLOAD
    ).exists()


@pytest.mark.parametrize("who", ["patient_b", "other_doctor", "unverified_doctor", "staff"])
def test_everyone_else_gets_404(request, login, signed, who):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    assert login(user).get(record_pdf_url(signed)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, signed):
    response = client.get(record_pdf_url(signed))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_draft_is_the_authors_only(login, patient_a, doctor, signed):
    signed.status = RecordStatus.DRAFT
    signed.save(update_fields=["status"])
    assert login(patient_a).get(record_pdf_url(signed)).status_code == 404
    assert "DRAFT" in pdf_text(login(doctor.user).get(record_pdf_url(signed)))


def test_the_api_serves_the_same_pdf(patient_a, patient_b, signed):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(patient_a)
    path = reverse("api:record_pdf", args=[signed.pk])
    response = client.get(path, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert "Acute bronchitis" in pdf_text(response)

    client.force_authenticate(patient_b)
    assert client.get(path, HTTP_ACCEPT="application/pdf").status_code == 404
