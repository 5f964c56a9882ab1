import datetime
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from appointments.models import AppointmentStatus
from audit.models import AuditEvent
from billing.models import Invoice, InvoiceLine, InvoiceStatus, LineKind, ReceiptCounter
from billing.selectors import consultation_fee_for, fee_schedule_for
from billing.services import (
    fee_schedule_update,
    invoice_draft_for_appointment,
    invoice_issue,
    invoice_line_add,
    invoice_line_remove,
    invoice_line_update,
    invoice_mark_paid,
    invoice_void,
)
from billing.tests.factories import AppointmentFactory, FeeScheduleFactory, issued_invoice
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _snapshot(invoice):
    invoice.refresh_from_db()
    lines = list(
        InvoiceLine.objects.filter(invoice=invoice).values_list(
            "description", "quantity", "unit_price", "taxable"
        )
    )
    return (invoice.status, invoice.number, invoice.total, invoice.paid_at, lines)


def test_draft_takes_the_consultation_fee_from_the_doctor(visit, doctor):
    invoice = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.number is None
    line = invoice.lines.get()
    assert (line.kind, line.unit_price, line.quantity, line.taxable) == (
        LineKind.CONSULTATION,
        D("500.00"),
        D("1"),
        True,
    )
    assert line.description == "Consultation: Consultation"
    assert consultation_fee_for(doctor) == D("500.00")
    assert AuditEvent.objects.filter(object_type="billing.invoice", patient=visit.patient).exists()


def test_drafting_twice_returns_the_same_invoice(visit, doctor):
    first = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    second = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    assert first.pk == second.pk
    assert Invoice.objects.count() == 1


@pytest.mark.parametrize(
    "status",
    [
        AppointmentStatus.PENDING,
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.DECLINED,
    ],
)
def test_a_visit_that_is_not_completed_cannot_be_billed(
    billing_settings, doctor, patient_a, status
):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a, status=status)
    with pytest.raises(ValidationError, match="Only a completed visit can be billed"):
        invoice_draft_for_appointment(appointment=appointment, actor=doctor.user)
    assert not Invoice.objects.exists()


def test_only_the_visits_doctor_or_staff_may_draft(visit, other_doctor, staff, patient_a):
    for outsider in (other_doctor.user, patient_a):
        with pytest.raises(PermissionDenied):
            invoice_draft_for_appointment(appointment=visit, actor=outsider)
    assert invoice_draft_for_appointment(appointment=visit, actor=staff).created_by == staff


def test_fee_schedule_falls_back_to_clinic_defaults(billing_settings, doctor):
    FeeScheduleFactory(doctor=doctor, lab_test_fee=D("450.00"))
    fees = fee_schedule_for(doctor)
    assert fees[LineKind.LAB_TEST].amount == D("450.00")
    assert not fees[LineKind.LAB_TEST].is_default
    assert fees[LineKind.MEDICATION].amount == D("150.00")
    assert fees[LineKind.MEDICATION].is_default
    assert fees[LineKind.OTHER].amount == D("100.00")


def test_fee_schedule_update_sets_the_consultation_fee_patients_see(billing_settings, doctor):
    fee_schedule_update(
        doctor=doctor, actor=doctor.user, consultation_fee=D("800"), other_fee=D("50")
    )
    doctor.refresh_from_db()
    assert consultation_fee_for(doctor) == D("800.00")
    assert fee_schedule_for(doctor)[LineKind.OTHER].amount == D("50")
    with pytest.raises(ValidationError):
        fee_schedule_update(doctor=doctor, actor=doctor.user, consultation_fee=D("-1"))
    with pytest.raises(ValidationError):
        fee_schedule_update(
            doctor=doctor, actor=doctor.user, consultation_fee=D("1"), lab_test_fee=D("-5")
        )
    doctor.refresh_from_db()
    assert doctor.consultation_fee == D("800.00")


def test_line_added_without_price_takes_the_schedule_fee(visit, doctor):
    invoice = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    line = invoice_line_add(invoice=invoice, actor=doctor.user, kind=LineKind.LAB_TEST, quantity=2)
    assert (line.unit_price, line.description) == (D("300.00"), "Lab test")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", D("-1")),
        ("quantity", D("0")),
        ("unit_price", D("-0.01")),
        ("unit_price", D("10.005")),  # more decimals than the currency has
        ("quantity", D("1000000")),
    ],
)
def test_bad_line_values_are_refused_and_change_nothing(visit, doctor, field, value):
    invoice = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    before = _snapshot(invoice)
    values = {"description": "Dressing", "quantity": D("1"), "unit_price": D("10"), field: value}
    with pytest.raises(ValidationError):
        invoice_line_add(invoice=invoice, actor=doctor.user, **values)
    line = invoice.lines.get()
    with pytest.raises(ValidationError):
        invoice_line_update(line=line, actor=doctor.user, taxable=True, **values)
    assert _snapshot(invoice) == before


def test_issue_numbers_freezes_totals_files_the_receipt_and_notifies(visit, doctor, patient_a):
    invoice = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    invoice_line_add(
        invoice=invoice,
        actor=doctor.user,
        kind=LineKind.MEDICATION,
        description="Paracetamol",
        quantity=2,
        unit_price=D("40"),
        taxable=False,
    )
    invoice = invoice_issue(invoice=invoice, actor=doctor.user)
    year = timezone.localtime().year
    assert invoice.number == f"MC-{year}-000001"
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (
        D("580.00"),
        D("90.00"),
        D("670.00"),
    )
    assert invoice.clinic_tax_number == "29ABCDE1234F1Z5"
    receipt = invoice.receipt_document
    assert (receipt.patient, receipt.kind, receipt.is_generated) == (patient_a, "receipt", True)
    assert receipt.file.name.startswith("documents/")
    assert len(receipt.sha256) == 64
    notice = Notification.objects.get(recipient=patient_a, kind="invoice_issued")
    assert invoice.number in notice.title
    assert notice.url == f"/billing/invoices/{invoice.pk}/"


def test_numbers_are_sequential_and_restart_each_year(billing_settings, doctor):
    numbers = [issued_invoice(doctor=doctor).number for _ in range(3)]
    year = timezone.localtime().year
    assert numbers == [f"MC-{year}-00000{n}" for n in (1, 2, 3)]
    next_year = timezone.now() + datetime.timedelta(days=366)
    with mock.patch("billing.services.timezone.now", return_value=next_year):
        assert issued_invoice(doctor=doctor).number == f"MC-{next_year.year}-000001"
    assert ReceiptCounter.objects.get(year=year).last_number == 3


def test_a_failed_issue_uses_no_number(billing_settings, doctor):
    first = issued_invoice(doctor=doctor)
    appointment = AppointmentFactory(doctor=doctor)
    draft = invoice_draft_for_appointment(appointment=appointment, actor=doctor.user)
    failing = mock.patch("billing.services.receipt_file_store", side_effect=RuntimeError("disk"))
    with failing, pytest.raises(RuntimeError):
        invoice_issue(invoice=draft, actor=doctor.user)
    draft.refresh_from_db()
    assert draft.is_draft and draft.number is None and draft.receipt_document is None
    second = invoice_issue(invoice=draft, actor=doctor.user)
    assert second.receipt_sequence == first.receipt_sequence + 1


def test_issuing_twice_is_refused(visit, doctor):
    invoice = issued_invoice(appointment=visit)
    before = _snapshot(invoice)
    with pytest.raises(ValidationError, match="already issued"):
        invoice_issue(invoice=invoice, actor=doctor.user)
    assert _snapshot(invoice) == before
    assert ReceiptCounter.objects.get().last_number == 1


def test_an_empty_draft_cannot_be_issued(visit, doctor):
    invoice = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    invoice_line_remove(line=invoice.lines.get(), actor=doctor.user)
    with pytest.raises(ValidationError, match="at least one line"):
        invoice_issue(invoice=invoice, actor=doctor.user)
    assert not ReceiptCounter.objects.exists()


def test_lines_cannot_change_after_issue(visit, doctor):
    invoice = issued_invoice(appointment=visit)
    line = invoice.lines.get()
    before = _snapshot(invoice)
    with pytest.raises(ValidationError, match="can no longer change"):
        invoice_line_add(invoice=invoice, actor=doctor.user, description="x", unit_price=1)
    with pytest.raises(ValidationError):
        invoice_line_update(
            line=line, actor=doctor.user, description="x", quantity=1, unit_price=1, taxable=True
        )
    with pytest.raises(ValidationError):
        invoice_line_remove(line=line, actor=doctor.user)
    assert _snapshot(invoice) == before


def test_mark_paid_then_void(visit, doctor, staff):
    invoice = issued_invoice(appointment=visit)
    receipt = invoice.receipt_document
    invoice = invoice_mark_paid(invoice=invoice, actor=staff, method="upi", reference="UPI123")
    assert invoice.is_paid and invoice.payment_reference == "UPI123"
    assert invoice.receipt_document_id == receipt.pk
    assert invoice.receipt_document.file.name != receipt.file.name
    with pytest.raises(ValidationError, match="already paid"):
        invoice_mark_paid(invoice=invoice, actor=staff, method="cash")
    invoice = invoice_void(invoice=invoice, actor=doctor.user, reason="Wrong patient")
    assert invoice.is_void and invoice.number.endswith("000001")


def test_paying_a_voided_invoice_is_refused(visit, doctor):
    invoice = invoice_void(
        invoice=issued_invoice(appointment=visit), actor=doctor.user, reason="Duplicate"
    )
    before = _snapshot(invoice)
    with pytest.raises(ValidationError, match="is void"):
        invoice_mark_paid(invoice=invoice, actor=doctor.user, method="cash")
    with pytest.raises(ValidationError, match="already void"):
        invoice_void(invoice=invoice, actor=doctor.user, reason="again")
    assert _snapshot(invoice) == before


def test_void_needs_a_reason_and_a_draft_cannot_be_voided_or_paid(visit, doctor):
    draft = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    with pytest.raises(ValidationError):
        invoice_void(invoice=draft, actor=doctor.user, reason="  ")
    with pytest.raises(ValidationError, match="draft"):
        invoice_void(invoice=draft, actor=doctor.user, reason="no")
    with pytest.raises(ValidationError, match="draft"):
        invoice_mark_paid(invoice=draft, actor=doctor.user, method="cash")
    with pytest.raises(ValidationError):
        issued = invoice_issue(invoice=draft, actor=doctor.user)
        invoice_mark_paid(invoice=issued, actor=doctor.user, method="cheque")


def test_a_voided_visit_can_be_billed_again_with_a_new_number(visit, doctor, patient_a):
    voided = invoice_void(
        invoice=issued_invoice(appointment=visit), actor=doctor.user, reason="Wrong amount"
    )
    again = invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    assert again.pk != voided.pk and again.is_draft
    reissued = invoice_issue(invoice=again, actor=doctor.user)
    assert reissued.receipt_sequence == voided.receipt_sequence + 1
    assert Notification.objects.filter(recipient=patient_a, kind="invoice_voided").exists()


def test_database_refuses_a_second_live_invoice_for_a_visit(visit, doctor):
    invoice_draft_for_appointment(appointment=visit, actor=doctor.user)
    duplicate = Invoice(appointment=visit, patient=visit.patient, doctor=doctor)
    with pytest.raises(ValidationError, match="already has an invoice"):
        duplicate.full_clean()


@pytest.mark.django_db
def test_the_issue_time_is_taken_under_the_receipt_counter_lock(monkeypatch, billed_visit):
    """A later number must never carry an earlier time: the time is read once the
    counter row is locked (PostgreSQL shows it with 30 threads in test_concurrency)."""
    from django.utils import timezone

    from billing.models import ReceiptCounter
    from billing.services import invoice_draft_for_appointment, invoice_issue
    from billing.tests.factories import AppointmentFactory

    locked_at = []
    select_for_update = ReceiptCounter.objects.select_for_update

    def recording_lock(*args, **kwargs):
        locked_at.append(timezone.now())
        return select_for_update(*args, **kwargs)

    monkeypatch.setattr(ReceiptCounter.objects, "select_for_update", recording_lock)
    appointment = AppointmentFactory(doctor=billed_visit.doctor)
    draft = invoice_draft_for_appointment(appointment=appointment, actor=appointment.doctor.user)
    issued = invoice_issue(invoice=draft, actor=appointment.doctor.user)

    assert issued.issued_at >= locked_at[-1]
