"""Every PDF renders whatever its forms accept, at every limit and in the shape that
costs the most (one character per line: the most lines), over as many pages as it
needs and in under two seconds; single-line values full of line breaks (a dose, a
payment reference, an invoice line) print too."""

import io
import time
from decimal import Decimal

import pytest
from pypdf import PdfReader

from appointments.tests.factories import PastVisitFactory
from billing.forms import InvoiceLineForm, MarkPaidForm
from billing.receipts import receipt_pdf_render
from billing.services import invoice_mark_paid
from billing.tests.factories import BillingSettingsFactory, issued_invoice
from prescriptions.forms import (
    INSTRUCTIONS_MAX_CHARS,
    INSTRUCTIONS_MAX_LINES,
    NOTES_MAX_CHARS,
    NOTES_MAX_LINES,
)
from prescriptions.pdf import render_prescription_pdf
from prescriptions.services import MAX_ITEMS, prescription_issue
from prescriptions.tests.factories import ITEM
from records import services as record_services
from records.forms import SECTION_MAX_CHARS, SECTION_MAX_LINES
from records.pdf import render_consultation_pdf
from records.tests.factories import text_of_pdf

pytestmark = pytest.mark.django_db
SECONDS = 2.0


def most_lines(chars, lines, marker):
    """The most a field takes: `chars` characters over `lines` lines (the longest
    lines that fit, of short words that wrap), starting and ending with `marker`."""
    width = (chars - 2 * len(marker)) // lines - 1
    line = ("word " * width)[:width]
    body = "\n".join([marker, *[line] * (lines - 2), marker])
    return body[:chars]


def _timed(render):
    # Processor time of this process: the machine's other work does not count.
    start = time.process_time()
    data = render()
    return data, time.process_time() - start


def test_the_longest_consultation_record_renders_in_time(doctor, patient_a):
    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    fields = {
        name: most_lines(SECTION_MAX_CHARS, SECTION_MAX_LINES, f"END-{name}")
        for name in ("presenting_complaint", "diagnosis", "tests_done", "observations", "plan")
    }
    record = record_services.consultation_record_create(
        appointment=visit, author=doctor.user, **fields
    )

    data, seconds = _timed(lambda: render_consultation_pdf(record))

    assert seconds < SECONDS
    assert len(PdfReader(io.BytesIO(data)).pages) > 3
    assert text_of_pdf(data).count("END-plan") == 2


def test_the_longest_prescription_renders_in_time(doctor, patient_a):
    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    breaks = "\n" * 90
    item = {
        **ITEM,
        "dose": f"1{breaks}tablet",
        "frequency": f"twice{breaks}a day",
        "instructions": most_lines(
            INSTRUCTIONS_MAX_CHARS, INSTRUCTIONS_MAX_LINES, "END-instructions"
        ),
    }
    prescription = prescription_issue(
        appointment=visit,
        doctor_user=doctor.user,
        items=[dict(item, drug=f"Drug {n}") for n in range(MAX_ITEMS)],
        notes=most_lines(NOTES_MAX_CHARS, NOTES_MAX_LINES, "END-notes"),
    )

    data, seconds = _timed(
        lambda: render_prescription_pdf(prescription, list(prescription.items.all()))
    )

    assert seconds < SECONDS
    text = text_of_pdf(data)
    assert "1 tablet" in text
    assert "Drug 29" in text
    assert text.count("END-notes") == 2


def test_a_receipt_with_line_breaks_everywhere_is_issued_paid_and_printed(doctor, patient_a):
    BillingSettingsFactory()
    limit = InvoiceLineForm.base_fields["description"].max_length
    description = ("Blood\ncount " * limit)[:limit]
    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    invoice = issued_invoice(
        appointment=visit,
        lines=[
            {
                "kind": "lab_test",
                "description": description,
                "quantity": Decimal("1"),
                "unit_price": Decimal("300.00"),
                "taxable": True,
            }
        ]
        * 20,
    )
    reference_limit = MarkPaidForm.base_fields["reference"].max_length
    paid = invoice_mark_paid(
        invoice=invoice, actor=doctor.user, method="upi", reference="\n" * reference_limit
    )

    data, seconds = _timed(lambda: receipt_pdf_render(paid))

    assert seconds < SECONDS
    assert "Blood count" in text_of_pdf(data)
