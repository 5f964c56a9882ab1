from decimal import Decimal as D

import pytest
from django.core.files.storage import default_storage

from billing.models import LineKind
from billing.receipts import receipt_file_read, receipt_pdf_render
from billing.services import invoice_mark_paid, invoice_void
from billing.tests.factories import issued_invoice
from records.tests.factories import words_of_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def medication_invoice(visit):
    """The visit's invoice with a tax-exempt medication line besides the consultation."""
    return issued_invoice(
        appointment=visit,
        lines=[
            {
                "kind": LineKind.MEDICATION,
                "description": "Amoxicillin 500 mg",
                "quantity": 1,
                "unit_price": D("180"),
                "taxable": False,
            },
        ],
    )


def test_receipt_shows_clinic_parties_lines_totals_and_words(medication_invoice):
    text = words_of_pdf(receipt_file_read(medication_invoice))
    for expected in (
        "Sunrise Clinic",
        "GSTIN: 29ABCDE1234F1Z5",
        f"Receipt {medication_invoice.number}",
        "UNPAID",
        "Asha Patient",
        "Dr. Ravi Treating",
        "Consultation: Consultation",
        "Amoxicillin 500 mg (exempt)",
        "₹500.00",
        "Subtotal ₹680.00",
        "GST at 18% on ₹500.00 ₹90.00",
        "Total ₹770.00",
        "Rupees Seven Hundred Seventy Only",
    ):
        assert expected in text, expected
    assert (
        medication_invoice.appointment.start.astimezone(medication_invoice.doctor.tz).strftime(
            "%d %b %Y"
        )
        in text
    )


def test_paid_receipt_says_paid_with_the_method(medication_invoice, doctor):
    medication_invoice = invoice_mark_paid(
        invoice=medication_invoice, actor=doctor.user, method="card", reference="R-9"
    )
    text = words_of_pdf(receipt_file_read(medication_invoice))
    assert "PAID" in text and "UNPAID" not in text
    assert "Card on" in text and "reference R-9" in text


def test_voided_receipt_says_void_and_why(medication_invoice, doctor):
    medication_invoice = invoice_void(
        invoice=medication_invoice, actor=doctor.user, reason="Billed the wrong visit"
    )
    text = words_of_pdf(receipt_file_read(medication_invoice))
    assert "VOID" in text
    assert "Voided: Billed the wrong visit" in text
    assert medication_invoice.number in text


def test_markup_typed_by_people_comes_out_literally(visit, billing_settings):
    billing_settings.clinic_name = "Clinic <b>&amp; Co</b>"
    billing_settings.save()
    invoice = issued_invoice(
        appointment=visit,
        lines=[
            {
                "description": "<script>alert(1)</script> & <img src='file:///etc/passwd'>",
                "quantity": 1,
                "unit_price": D("1"),
            }
        ],
    )
    text = words_of_pdf(receipt_pdf_render(invoice))
    assert "<script>alert(1)</script> & <img src='file:///etc/passwd'>" in text
    assert "Clinic <b>&amp; Co</b>" in text


def test_a_tampered_receipt_file_fails_its_check(medication_invoice):
    with default_storage.open(medication_invoice.receipt_document.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 not the receipt")
    assert receipt_file_read(medication_invoice) is None


def test_a_missing_receipt_file_fails_its_check(medication_invoice):
    default_storage.delete(medication_invoice.receipt_document.file.name)
    assert receipt_file_read(medication_invoice) is None
