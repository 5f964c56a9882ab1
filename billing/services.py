"""Billing writes. Every change of an invoice goes through one of these functions.

Each state change runs in one transaction: lock the invoice row, check its
state, change it, file the receipt PDF in the patient's documents (a status
change replaces the same document's file), write the audit row; the patient's
notification email leaves only after commit (notification_send does that).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.languages import in_language_of
from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from audit.models import AuditAction
from audit.services import audit_record
from doctors.models import DoctorProfile
from notifications.services import notification_send

from . import money
from .access import EDIT, ISSUE, MARK_PAID, VOID, can_bill, invoice_refusal
from .models import (
    FeeSchedule,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    PaymentMethod,
    ReceiptCounter,
)
from .receipts import receipt_file_store
from .selectors import billing_settings_get, fee_schedule_for

MAX_LINES_PER_INVOICE = 50


def _require_biller(actor, doctor):
    if not can_bill(actor, doctor):
        raise PermissionDenied(_("Only the visit's doctor or clinic staff can change this bill."))


@transaction.atomic
def billing_settings_save(*, settings_row, actor, request=None):
    """Staff save the clinic's billing settings (the single row)."""
    settings_row.full_clean()
    settings_row.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=settings_row, request=request)
    return settings_row


def fee_schedule_update(
    *,
    doctor,
    actor,
    consultation_fee,
    lab_test_fee=None,
    medication_fee=None,
    other_fee=None,
    request=None,
):
    """A doctor sets their fees; a blank (None) fee falls back to the clinic default."""
    if not (actor.is_clinic_staff or doctor.user_id == actor.pk):
        raise PermissionDenied(_("Only the doctor or clinic staff can change these fees."))
    with transaction.atomic():
        profile = DoctorProfile.objects.select_for_update().get(pk=doctor.pk)
        field = DoctorProfile._meta.get_field("consultation_fee")
        try:
            profile.consultation_fee = field.clean(consultation_fee, profile)
        except ValidationError as exc:
            raise ValidationError({"consultation_fee": exc.messages}) from exc
        profile.save(update_fields=["consultation_fee", "updated_at"])

        schedule, _created = FeeSchedule.objects.select_for_update().get_or_create(doctor=profile)
        schedule.lab_test_fee = lab_test_fee
        schedule.medication_fee = medication_fee
        schedule.other_fee = other_fee
        schedule.full_clean()
        schedule.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=schedule,
            detail=(
                f"consultation={profile.consultation_fee} lab_test={lab_test_fee} "
                f"medication={medication_fee} other={other_fee}"
            ),
            request=request,
        )
    doctor.consultation_fee = profile.consultation_fee
    return schedule


def invoice_draft_on_completion(sender=None, *, appointment, actor, request=None, **kwargs):
    """A completed visit gets its draft invoice in the same transaction
    (appointments.signals.visit_completed); a case discussion between doctors is not billed."""
    if appointment.kind == AppointmentKind.COLLEAGUE:
        return
    invoice_draft_for_appointment(appointment=appointment, actor=actor, request=request)


def invoice_draft_for_appointment(*, appointment, actor, request=None):
    """The visit's invoice: the live one if it exists, else a new draft from the fee schedule.

    Only a completed visit can be billed. The draft holds one consultation line
    at the doctor's consultation fee; lab tests, medication and other fees are
    added by the doctor.
    """
    with transaction.atomic():
        # Locking the appointment serialises two people drafting the same visit.
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("doctor__user", "visit_type")
            .get(pk=appointment.pk)
        )
        _require_biller(actor, appointment.doctor)
        if appointment.kind == AppointmentKind.COLLEAGUE:
            raise ValidationError("A case discussion between doctors is not billed.")
        if appointment.status != AppointmentStatus.COMPLETED:
            raise ValidationError(
                _("Only a completed visit can be billed; this one is %(status)s.")
                % {"status": appointment.get_status_display().lower()}
            )
        existing = Invoice.objects.filter(appointment=appointment).live().first()
        if existing is not None:
            return existing

        clinic = billing_settings_get()
        fees = fee_schedule_for(appointment.doctor, clinic=clinic)
        invoice = Invoice(
            appointment=appointment,
            patient=appointment.patient,
            doctor=appointment.doctor,
            currency=clinic.currency,
            tax_name=clinic.tax_name,
            tax_rate=clinic.tax_rate,
            created_by=actor,
        )
        invoice.full_clean()
        invoice.save()
        line = InvoiceLine(
            invoice=invoice,
            kind=LineKind.CONSULTATION,
            description=f"Consultation: {appointment.visit_type.name}",
            quantity=1,
            unit_price=fees[LineKind.CONSULTATION].amount,
            taxable=True,
            position=1,
        )
        line.full_clean()
        line.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=invoice,
            patient=invoice.patient,
            detail=f"Drafted for appointment {appointment.pk}",
            request=request,
        )
    return invoice


def _lock_for(invoice, actor, action):
    """The invoice row, locked for `action`, which the invoice policy must allow now."""
    locked = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("doctor__user", "patient", "appointment")
        .get(pk=invoice.pk)
    )
    refusal = invoice_refusal(actor, locked, action)
    if refusal is not None:
        raise refusal
    return locked


def _line_values(invoice, *, kind, description, quantity, unit_price, taxable):
    if kind not in LineKind.values:
        raise ValidationError({"kind": _("Choose a kind of charge.")})
    if unit_price is None or unit_price == "":
        unit_price = fee_schedule_for(invoice.doctor)[kind].amount
    description = (description or "").strip() or LineKind(kind).label
    return {
        "kind": kind,
        "description": description,
        "quantity": quantity,
        "unit_price": unit_price,
        "taxable": bool(taxable),
    }


def invoice_line_add(
    *,
    invoice,
    actor,
    description="",
    quantity=1,
    unit_price=None,
    taxable=True,
    kind=LineKind.OTHER,
    request=None,
):
    """Add a line to a draft; a blank unit price takes the doctor's fee for that kind."""
    with transaction.atomic():
        locked = _lock_for(invoice, actor, EDIT)
        if locked.lines.count() >= MAX_LINES_PER_INVOICE:
            raise ValidationError(f"An invoice holds at most {MAX_LINES_PER_INVOICE} lines.")
        values = _line_values(
            locked,
            kind=kind,
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            taxable=taxable,
        )
        last = locked.lines.aggregate(last=Max("position"))["last"] or 0
        line = InvoiceLine(invoice=locked, position=last + 1, **values)
        line.full_clean()
        line.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"Line added: {line.description} x{line.quantity} @ {line.unit_price}",
            request=request,
        )
    return line


def invoice_line_update(
    *, line, actor, description, quantity, unit_price, taxable, kind=None, request=None
):
    with transaction.atomic():
        locked = _lock_for(line.invoice, actor, EDIT)
        current = InvoiceLine.objects.get(pk=line.pk, invoice=locked)
        values = _line_values(
            locked,
            kind=kind or current.kind,
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            taxable=taxable,
        )
        for name, value in values.items():
            setattr(current, name, value)
        current.full_clean()
        current.save(update_fields=list(values))
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=(
                f"Line changed: {current.description} x{current.quantity} @ {current.unit_price}"
            ),
            request=request,
        )
    return current


def invoice_line_remove(*, line, actor, request=None):
    with transaction.atomic():
        locked = _lock_for(line.invoice, actor, EDIT)
        current = InvoiceLine.objects.get(pk=line.pk, invoice=locked)
        description = current.description
        current.delete()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"Line removed: {description}",
            request=request,
        )


def _lock_receipt_counter():
    """(the locked counter of this year, the issue time taken under its lock). The
    time is read only once the lock is held, so a higher number never carries an
    earlier time; should the year turn while waiting, the new year's counter is
    locked instead."""
    year = timezone.localdate().year
    while True:
        counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(year=year)
        issued_at = timezone.now()
        if timezone.localtime(issued_at).year == year:
            return counter, issued_at
        year = timezone.localtime(issued_at).year


def invoice_issue(*, invoice, actor, request=None):
    """Number the invoice, freeze its totals and file the receipt PDF."""
    with transaction.atomic():
        locked = _lock_for(invoice, actor, ISSUE)
        lines = list(locked.lines.all())
        if not lines:
            raise ValidationError(_("Add at least one line before issuing the invoice."))

        clinic = billing_settings_get()
        locked.currency = clinic.currency
        locked.tax_name = clinic.tax_name
        locked.tax_rate = clinic.tax_rate
        locked.clinic_name = clinic.clinic_name
        locked.clinic_address = clinic.clinic_address
        locked.clinic_tax_number = clinic.tax_number
        totals = money.invoice_totals(lines, locked.tax_rate, locked.currency)
        locked.subtotal = totals.subtotal
        locked.taxable_subtotal = totals.taxable_subtotal
        locked.tax_total = totals.tax
        locked.total = totals.total
        locked.issued_by = actor

        # The counter row is locked last and held until commit: the next
        # issuer waits here, so numbers are handed out one at a time, in order.
        counter, locked.issued_at = _lock_receipt_counter()
        year = counter.year
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        locked.receipt_year = year
        locked.receipt_sequence = counter.last_number
        locked.number = f"{clinic.receipt_prefix}-{year}-{counter.last_number:06d}"
        locked.status = InvoiceStatus.ISSUED
        locked.full_clean()
        receipt_file_store(invoice=locked, actor=actor, request=request)
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"Issued {locked.number}, total {locked.total} {locked.currency}",
            request=request,
        )
        # The notice reads in the patient's language, whoever issued the bill.
        with in_language_of(locked.patient):
            title = _("Your receipt %(number)s") % {"number": locked.number}
            body = _(
                "Dr. %(doctor)s issued receipt %(number)s for %(amount)s. You can see and "
                "download it under My bills and in your documents."
            ) % {
                "doctor": locked.doctor.user.full_name,
                "number": locked.number,
                "amount": money.display_amount(locked.total, locked.currency),
            }
        notification_send(
            recipient=locked.patient,
            kind="invoice_issued",
            title=title,
            body=body,
            url=reverse("billing:invoice_detail", args=[locked.pk]),
        )
    return locked


def invoice_mark_paid(*, invoice, actor, method, reference="", request=None):
    with transaction.atomic():
        locked = _lock_for(invoice, actor, MARK_PAID)
        if method not in PaymentMethod.values:
            raise ValidationError({"payment_method": _("Choose how the bill was paid.")})
        locked.status = InvoiceStatus.PAID
        locked.paid_at = timezone.now()
        locked.payment_method = method
        locked.payment_reference = (reference or "").strip()
        locked.paid_recorded_by = actor
        locked.full_clean()
        receipt_file_store(invoice=locked, actor=actor, request=request)
        locked.save(
            update_fields=[
                "status",
                "paid_at",
                "payment_method",
                "payment_reference",
                "paid_recorded_by",
                "receipt_document",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"Paid by {method}" + (f", ref {locked.payment_reference}" if reference else ""),
            request=request,
        )
    return locked


def invoice_void(*, invoice, actor, reason, request=None):
    """Void an issued or paid invoice; its number stays used and the PDF says VOID."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for voiding this invoice.")})
    with transaction.atomic():
        locked = _lock_for(invoice, actor, VOID)
        locked.status = InvoiceStatus.VOID
        locked.voided_at = timezone.now()
        locked.void_reason = reason
        locked.voided_by = actor
        locked.full_clean()
        receipt_file_store(invoice=locked, actor=actor, request=request)
        locked.save(
            update_fields=[
                "status",
                "voided_at",
                "void_reason",
                "voided_by",
                "receipt_document",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"Voided: {reason}",
            request=request,
        )
        notification_send(
            recipient=locked.patient,
            kind="invoice_voided",
            title=format_lazy(_("Receipt {number} was voided"), number=locked.number),
            body=format_lazy(
                _("Receipt {number} was voided. Reason: {reason}"),
                number=locked.number,
                reason=reason,
            ),
            url=reverse("billing:invoice_detail", args=[locked.pk]),
        )
    return locked
