"""Documents MedConnect files itself (receipts): stored like uploads, replaced in
place when they change, and shown to the patient only."""

import datetime
import hashlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from records import documents
from records.models import Document, DocumentKind
from records.tests.factories import AppointmentFactory, pdf_bytes, stored_files, upload

DAY = datetime.date(2026, 3, 4)
UNPAID = b"%PDF-1.4 receipt UNPAID"
PAID = b"%PDF-1.4 receipt PAID"


def _file(patient, actor, data=UNPAID, **kwargs):
    return documents.document_file_generated(
        patient=patient,
        actor=actor,
        kind=DocumentKind.RECEIPT,
        filename="Receipt MC-2026-000007.pdf",
        content_type="application/pdf",
        data=data,
        document_date=DAY,
        description="GST receipt MC-2026-000007",
        **kwargs,
    )


@pytest.fixture
def receipt(patient_a, doctor):
    AppointmentFactory(doctor=doctor, patient=patient_a)
    return _file(patient_a, doctor.user)


def test_a_generated_document_is_stored_like_an_upload_and_audited(receipt, patient_a, doctor):
    data = UNPAID
    assert receipt.is_generated and receipt.kind == DocumentKind.RECEIPT
    assert (receipt.patient, receipt.uploaded_by) == (patient_a, doctor.user)
    assert receipt.file.name.startswith("documents/")
    assert "Receipt" not in receipt.file.name
    assert (receipt.size, receipt.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert receipt.original_filename == "Receipt MC-2026-000007.pdf"
    assert receipt.description == "GST receipt MC-2026-000007"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(receipt.pk), patient=patient_a
    ).exists()


def test_replacing_keeps_the_row_and_removes_the_old_file_after_commit(
    receipt, patient_a, doctor, django_capture_on_commit_callbacks
):
    old_name = receipt.file.name
    with django_capture_on_commit_callbacks() as callbacks:
        replaced = _file(patient_a, doctor.user, data=PAID, document=receipt)
    assert replaced.pk == receipt.pk
    assert Document.objects.count() == 1
    assert replaced.file.name != old_name
    assert replaced.sha256 == hashlib.sha256(PAID).hexdigest()
    # Still there until the transaction has committed.
    assert default_storage.exists(old_name)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(old_name)
    assert default_storage.exists(replaced.file.name)
    change = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(receipt.pk))
    assert change.detail.startswith("file replaced: sha256 ")


def test_a_failure_midway_leaves_no_row_and_no_file(patient_a, doctor, settings):
    with (
        mock.patch("records.documents.audit_record", side_effect=RuntimeError("db")),
        pytest.raises(RuntimeError),
    ):
        _file(patient_a, doctor.user)
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_a_failed_replacement_keeps_the_old_file(receipt, patient_a, doctor, settings):
    before = (receipt.file.name, receipt.sha256)
    with (
        mock.patch("records.documents.audit_record", side_effect=RuntimeError("db")),
        pytest.raises(RuntimeError),
    ):
        _file(patient_a, doctor.user, data=PAID, document=receipt)
    receipt.refresh_from_db()
    assert (receipt.file.name, receipt.sha256) == before
    assert [p.name for p in stored_files(settings)] == [before[0].rsplit("/", 1)[1]]


def test_refusals(receipt, patient_a, patient_b, doctor):
    with pytest.raises(ValidationError, match="uploaded, not generated"):
        documents.document_file_generated(
            patient=patient_a,
            actor=doctor.user,
            kind=DocumentKind.LAB_REPORT,
            filename="x.pdf",
            content_type="application/pdf",
            data=pdf_bytes(),
            document_date=DAY,
        )
    with pytest.raises(ValidationError, match="empty"):
        _file(patient_a, doctor.user, data=b"")
    # Another patient's receipt, or a document somebody uploaded, is never overwritten.
    with pytest.raises(ValidationError, match="Only a generated document of this patient"):
        _file(patient_b, doctor.user, document=receipt)
    uploaded = documents.document_upload(
        patient=patient_a,
        uploader=patient_a,
        uploaded_file=upload("scan.pdf", pdf_bytes()),
        kind=DocumentKind.LAB_REPORT,
        document_date=DAY,
    )
    with pytest.raises(ValidationError, match="Only a generated document of this patient"):
        _file(patient_a, doctor.user, document=uploaded)
    assert Document.objects.count() == 2


def test_nobody_uploads_a_receipt(patient_a, login):
    with pytest.raises(ValidationError, match="filed by the clinic"):
        documents.document_upload(
            patient=patient_a,
            uploader=patient_a,
            uploaded_file=upload("receipt.pdf", pdf_bytes()),
            kind=DocumentKind.RECEIPT,
            document_date=DAY,
        )
    response = login(patient_a).post(
        reverse("records:documents", args=[patient_a.pk]),
        {
            "file": upload("receipt.pdf", pdf_bytes()),
            "kind": "receipt",
            "document_date": "2026-03-04",
        },
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_the_patient_lists_and_downloads_it_but_cannot_hide_it(receipt, patient_a, login):
    client = login(patient_a)
    listing = client.get(reverse("records:documents", args=[patient_a.pk])).content.decode()
    assert "Receipt MC-2026-000007.pdf" in listing
    assert "filed by the clinic" in listing
    assert "Hide from my doctors" not in listing
    download = client.get(reverse("records:document_download", args=[receipt.pk]))
    assert download.status_code == 200
    assert download.content == UNPAID
    hide = client.post(reverse("records:document_hide", args=[receipt.pk]), {"hidden": "1"})
    assert hide.status_code == 404
    receipt.refresh_from_db()
    assert not receipt.is_hidden


def test_receipts_are_not_clinical_data_for_doctors(receipt, patient_a, doctor, login):
    """Even the treating doctor who caused it does not get it from records."""
    client = login(doctor.user)
    assert client.get(reverse("records:document_download", args=[receipt.pk])).status_code == 404
    listing = client.get(reverse("records:documents", args=[patient_a.pk])).content.decode()
    assert "Receipt MC-2026-000007.pdf" not in listing
    timeline = client.get(reverse("records:timeline", args=[patient_a.pk]))
    assert receipt not in [e.obj for e in timeline.context["page"].object_list]
