"""The receipt PDF is filed in the patient's documents: one document per invoice,
its file replaced as the invoice is paid or voided."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from billing.services import invoice_mark_paid, invoice_void
from records.models import Document, DocumentKind
from records.tests.factories import words_of_pdf

pytestmark = pytest.mark.django_db


def _document_text(document):
    with default_storage.open(document.file.name, "rb") as handle:
        return words_of_pdf(handle.read())


def test_issuing_files_a_receipt_in_the_patients_documents(login, invoice, patient_a):
    receipt = Document.objects.get()
    assert invoice.receipt_document == receipt
    assert (receipt.patient, receipt.kind, receipt.is_generated) == (
        patient_a,
        DocumentKind.RECEIPT,
        True,
    )
    assert receipt.original_filename == f"Receipt {invoice.number}.pdf"
    assert receipt.description == f"GST receipt {invoice.number}"
    assert receipt.document_date == timezone.localdate(invoice.issued_at)  # the clinic's day
    assert "UNPAID" in _document_text(receipt)

    client = login(patient_a)
    documents = client.get(reverse("records:documents", args=[patient_a.pk]))
    assert f"Receipt {invoice.number}.pdf" in documents.text
    assert "Receipt</span>" in documents.text  # the kind badge
    timeline = client.get(reverse("records:timeline", args=[patient_a.pk]))
    entries = [e for e in timeline.context["page"].object_list if e.kind == "document"]
    assert [e.obj for e in entries] == [receipt]
    assert f"Receipt {invoice.number}.pdf</a> · Receipt" in timeline.text


@pytest.mark.parametrize(
    ("change", "shows", "gone"),
    [
        (lambda i, u: invoice_mark_paid(invoice=i, actor=u, method="cash"), "PAID", "UNPAID"),
        (lambda i, u: invoice_void(invoice=i, actor=u, reason="Wrong visit"), "VOID", "UNPAID"),
    ],
    ids=["paid", "void"],
)
def test_a_status_change_replaces_the_same_documents_file(
    invoice, doctor, change, shows, gone, django_capture_on_commit_callbacks
):
    before = invoice.receipt_document
    with django_capture_on_commit_callbacks(execute=True):
        invoice = change(invoice, doctor.user)
    after = Document.objects.get()
    assert invoice.receipt_document_id == after.pk == before.pk
    assert after.file.name != before.file.name and after.sha256 != before.sha256
    text = _document_text(after)
    assert shows in text and gone not in text
    assert not default_storage.exists(before.file.name)
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE,
        object_type="records.document",
        object_id=str(after.pk),
        detail__startswith="file replaced",
    ).exists()


def test_paid_then_void_keeps_one_document_and_one_file(
    invoice, doctor, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_mark_paid(invoice=invoice, actor=doctor.user, method="upi")
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_void(invoice=invoice, actor=doctor.user, reason="Duplicate")
    assert Document.objects.count() == 1
    assert "VOID" in _document_text(invoice.receipt_document)
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [invoice.receipt_document.file.name.rsplit("/", 1)[1]]


def test_the_patient_downloads_it_from_records(login, invoice, patient_a, doctor):
    invoice = invoice_mark_paid(invoice=invoice, actor=doctor.user, method="card")
    response = login(patient_a).get(
        reverse("records:document_download", args=[invoice.receipt_document_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Receipt {invoice.number}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "PAID" in words_of_pdf(response.content)


@pytest.mark.parametrize("persona", ["patient_b", "other_doctor", "unverified_doctor", "staff"])
def test_others_get_404_on_it_in_records(request, login, invoice, persona):
    value = request.getfixturevalue(persona)
    user = getattr(value, "user", value)
    url = reverse("records:document_download", args=[invoice.receipt_document_id])
    response = login(user).get(url)
    assert response.status_code == 404
    assert invoice.number not in response.text
    assert AuditEvent.objects.filter(
        actor=user, action=AuditAction.DENY, object_id=str(invoice.receipt_document_id)
    ).exists()


@pytest.mark.parametrize("persona", ["doctor", "staff"])
def test_the_billing_download_still_works_for_the_doctor_and_staff(
    request, login, invoice, doctor, persona
):
    value = request.getfixturevalue(persona)
    user = getattr(value, "user", value)
    invoice_mark_paid(invoice=invoice, actor=doctor.user, method="cash")
    response = login(user).get(reverse("billing:receipt", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "PAID" in words_of_pdf(response.content)


def test_a_tampered_receipt_is_refused_by_billing_and_records(login, invoice, patient_a):
    with default_storage.open(invoice.receipt_document.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 not the receipt")
    client = login(patient_a)
    billing = client.get(reverse("billing:receipt", args=[invoice.pk]), follow=True)
    assert "could not be verified" in billing.text
    records = client.get(reverse("records:document_download", args=[invoice.receipt_document_id]))
    assert records.status_code == 409


def test_a_tampered_receipt_is_refused_alike_on_the_page_and_the_api(
    login, invoice, patient_a, caplog
):
    with default_storage.open(invoice.receipt_document.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 not the receipt")
    client = login(patient_a)
    with caplog.at_level("ERROR", logger="records.downloads"):
        page = client.get(reverse("billing:receipt", args=[invoice.pk]))
        api = client.get(reverse("api:invoice_receipt", args=[invoice.pk]))
    assert page.status_code == 302 and api.status_code == 409
    assert api.json()["code"] == "conflict"
    denials = AuditEvent.objects.filter(
        action=AuditAction.DENY,
        allowed=False,
        object_id=str(invoice.receipt_document_id),
        detail__startswith="integrity check failed",
    )
    assert denials.count() == 2
    assert sum("failed its integrity check" in r.getMessage() for r in caplog.records) == 2


def test_downloads_are_private_attachments_on_the_page_and_the_api(login, invoice, patient_a):
    client = login(patient_a)
    for url in (
        reverse("billing:receipt", args=[invoice.pk]),
        reverse("api:invoice_receipt", args=[invoice.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="receipt-{invoice.number}.pdf"'
        )
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
