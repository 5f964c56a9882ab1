"""Seeded billing: the clinic's billing settings, invoices for some completed visits
(paid or not) with gapless receipt numbers per year, and the receipt counters set
to match."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from billing.models import (
    BillingSettings,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    PaymentMethod,
    ReceiptCounter,
)

# The models written per completed visit, their keys drawn from the calendar's ids.
VISIT_MODELS = (Invoice, InvoiceLine)
INVOICE_COLUMNS = [
    "id",
    "appointment_id",
    "patient_id",
    "doctor_id",
    "status",
    "number",
    "receipt_year",
    "receipt_sequence",
    "clinic_name",
    "subtotal",
    "taxable_subtotal",
    "tax_total",
    "total",
    "issued_at",
    "issued_by_id",
    "paid_at",
    "payment_method",
    "paid_recorded_by_id",
    "created_at",
    "updated_at",
]
LINE_COLUMNS = [
    "id",
    "invoice_id",
    "kind",
    "description",
    "quantity",
    "unit_price",
    "taxable",
    "position",
]


def seed_billing_settings():
    BillingSettings.objects.get_or_create(pk=BillingSettings.SINGLETON_PK)


def add_invoice_rows(run, ids, rows, *, appointment, doctor, doctor_user, patient, fee, issued):
    """An invoice, paid or not, for some completed visits; `run.receipts` keeps each
    year's last receipt sequence."""
    rng = run.rng
    if rng.random() >= 0.6:
        return
    iid = ids[Invoice]
    ids[Invoice] += 1
    year = issued.astimezone(ZoneInfo(settings.TIME_ZONE)).year
    sequence = run.receipts.get(year, 0) + 1
    run.receipts[year] = sequence
    tax = (fee * Decimal("0.18")).quantize(Decimal("0.01"))
    paid = rng.random() < 0.75
    rows[Invoice].append(
        (
            iid,
            appointment,
            patient,
            doctor,
            InvoiceStatus.PAID if paid else InvoiceStatus.ISSUED,
            f"MC-{year}-{sequence:06d}",
            year,
            sequence,
            settings.MEDCONNECT_CLINIC_NAME,
            fee,
            fee,
            tax,
            fee + tax,
            issued,
            doctor_user,
            issued if paid else None,
            rng.choice(PaymentMethod.values) if paid else "",
            doctor_user if paid else None,
            issued,
            issued,
        )
    )
    rows[InvoiceLine].append(
        (ids[InvoiceLine], iid, LineKind.CONSULTATION, "Consultation", Decimal("1"), fee)
        + (True, 0)
    )
    ids[InvoiceLine] += 1


def write_invoice_rows(writer, rows):
    writer.write(Invoice, INVOICE_COLUMNS, rows[Invoice])
    writer.write(InvoiceLine, LINE_COLUMNS, rows[InvoiceLine])


def update_receipt_counters(run):
    """Each year's receipt counter moved up to the last receipt number written."""
    with transaction.atomic():
        for year, last in run.receipts.items():
            counter, _ = ReceiptCounter.objects.select_for_update().get_or_create(year=year)
            if counter.last_number < last:
                counter.last_number = last
                counter.save(update_fields=["last_number"])
