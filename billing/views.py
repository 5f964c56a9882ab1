from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from appointments.models import AppointmentStatus

from . import money
from .access import (
    EDIT,
    get_appointment_for_biller,
    get_invoice_for_user,
    invoice_actions,
)
from .forms import FeeScheduleForm, InvoiceLineEditForm, InvoiceLineForm, MarkPaidForm, VoidForm
from .models import FeeSchedule, Invoice, InvoiceStatus
from .receipts import receipt_download_response
from .selectors import billing_settings_get, billing_totals, fee_schedule_for, invoices_for_biller
from .services import (
    fee_schedule_update,
    invoice_draft_for_appointment,
    invoice_issue,
    invoice_line_add,
    invoice_line_remove,
    invoice_line_update,
    invoice_mark_paid,
    invoice_void,
)

PAGE_SIZE = 25


def _error_text(exc):
    return " ".join(exc.messages)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@role_required(Role.PATIENT)
def my_bills(request):
    invoices = Invoice.objects.for_patient(request.user).for_list()
    return render(
        request,
        "billing/my_bills.html",
        {"page": _page(request, invoices), "totals": billing_totals(invoices)},
    )


@role_required(Role.DOCTOR, Role.STAFF)
def summary(request):
    """Outstanding and paid totals, and the bills behind them (own for a doctor, all for staff)."""
    if request.user.is_doctor and not request.user.doctor_profile.is_verified:
        raise Http404("No such page.")
    invoices = invoices_for_biller(request.user)
    status = request.GET.get("status", "")
    listed = invoices.filter(status=status) if status in InvoiceStatus.values else invoices
    return render(
        request,
        "billing/summary.html",
        {
            "totals": billing_totals(invoices),
            "page": _page(request, listed.for_list()),
            "status": status if status in InvoiceStatus.values else "",
            "statuses": InvoiceStatus.choices,
            "query_string": f"status={status}" if status in InvoiceStatus.values else "",
            "currency": billing_settings_get().currency,
        },
    )


def invoice_detail(request, pk):
    invoice = get_invoice_for_user(request, pk)
    if invoice.is_draft:
        return redirect("billing:invoice_edit", pk=invoice.pk)
    lines = list(invoice.lines.all())
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": lines,
            "totals": invoice.stored_totals,
            "total_in_words": money.amount_in_words(invoice.total, invoice.currency),
            "actions": invoice_actions(request.user, invoice),
        },
    )


def _edit_context(invoice, *, add_form=None, line_forms=None):
    lines = list(invoice.lines.all())
    line_forms = line_forms or {}
    rows = []
    for line in lines:
        form = line_forms.get(line.pk) or InvoiceLineEditForm(
            prefix=f"line-{line.pk}",
            initial={
                "kind": line.kind,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "taxable": line.taxable,
            },
        )
        rows.append((line, form))
    fees = fee_schedule_for(invoice.doctor)
    return {
        "invoice": invoice,
        "rows": rows,
        "totals": invoice.compute_totals(lines),
        "add_form": add_form or InvoiceLineForm(prefix="add"),
        "fees": [(kind.label, fee) for kind, fee in fees.items()],
    }


def invoice_edit(request, pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    if EDIT not in invoice_actions(request.user, invoice):
        return redirect("billing:invoice_detail", pk=invoice.pk)
    return render(request, "billing/invoice_edit.html", _edit_context(invoice))


@require_POST
def line_add(request, pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    form = InvoiceLineForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            invoice_line_add(
                invoice=invoice, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("billing:invoice_edit", pk=invoice.pk)
        messages.success(request, _("Line added."))
        return redirect("billing:invoice_edit", pk=invoice.pk)
    messages.error(request, _("The line was not added: correct the highlighted fields."))
    return render(
        request,
        "billing/invoice_edit.html",
        _edit_context(invoice, add_form=form),
        status=400,
    )


@require_POST
def line_update(request, pk, line_pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    line = get_object_or_404(invoice.lines, pk=line_pk)
    form = InvoiceLineEditForm(request.POST, prefix=f"line-{line.pk}")
    if form.is_valid():
        try:
            invoice_line_update(line=line, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("billing:invoice_edit", pk=invoice.pk)
        messages.success(request, _("Line saved."))
        return redirect("billing:invoice_edit", pk=invoice.pk)
    messages.error(request, _("The line was not saved: correct the highlighted fields."))
    return render(
        request,
        "billing/invoice_edit.html",
        _edit_context(invoice, line_forms={line.pk: form}),
        status=400,
    )


@require_POST
def line_remove(request, pk, line_pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    line = get_object_or_404(invoice.lines, pk=line_pk)
    try:
        invoice_line_remove(line=line, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Line removed."))
    return redirect("billing:invoice_edit", pk=invoice.pk)


@require_POST
def issue(request, pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    try:
        invoice = invoice_issue(invoice=invoice, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        target = "billing:invoice_edit" if invoice.is_draft else "billing:invoice_detail"
        return redirect(target, pk=invoice.pk)
    messages.success(request, f"Receipt {invoice.number} issued; the patient has been notified.")
    return redirect("billing:invoice_detail", pk=invoice.pk)


@require_http_methods(["GET", "POST"])
def mark_paid(request, pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    form = MarkPaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invoice_mark_paid(
                invoice=invoice,
                actor=request.user,
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"Invoice {invoice.number} marked paid.")
        return redirect("billing:invoice_detail", pk=invoice.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "billing/invoice_pay.html", {"invoice": invoice, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def void(request, pk):
    invoice = get_invoice_for_user(request, pk, biller=True, audit=None)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invoice_void(
                invoice=invoice,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"Invoice {invoice.number} is now void.")
        return redirect("billing:invoice_detail", pk=invoice.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "billing/invoice_void.html", {"invoice": invoice, "form": form}, status=status
    )


def receipt_download(request, pk):
    invoice = get_invoice_for_user(request, pk, audit=None)
    if invoice.is_draft or not invoice.has_receipt:
        raise Http404("This invoice has no receipt yet.")
    response = receipt_download_response(request, invoice)
    if response is None:
        messages.error(
            request, _("The receipt file could not be verified. The clinic has been alerted.")
        )
        return redirect("billing:invoice_detail", pk=invoice.pk)
    return response


@require_http_methods(["GET", "POST"])
def bill_visit(request, appointment_id):
    """'Bill this visit': open the visit's invoice, drafting it on first use."""
    appointment = get_appointment_for_biller(request, appointment_id)
    existing = Invoice.objects.filter(appointment=appointment).live().first()
    if existing is not None:
        target = "billing:invoice_edit" if existing.is_draft else "billing:invoice_detail"
        return redirect(target, pk=existing.pk)
    if request.method == "POST":
        try:
            invoice = invoice_draft_for_appointment(
                appointment=appointment, actor=request.user, request=request
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("billing:bill_visit", appointment_id=appointment.pk)
        messages.success(request, _("Draft invoice created from your fee schedule."))
        return redirect("billing:invoice_edit", pk=invoice.pk)
    voided = Invoice.objects.filter(appointment=appointment, status=InvoiceStatus.VOID)
    return render(
        request,
        "billing/bill_visit.html",
        {
            "appointment": appointment,
            "completed": appointment.status == AppointmentStatus.COMPLETED,
            "voided": list(voided.order_by("-issued_at")),
        },
    )


@role_required(Role.DOCTOR)
@require_http_methods(["GET", "POST"])
def fee_schedule(request):
    doctor = request.user.doctor_profile
    if not doctor.is_verified:
        raise Http404("No such page.")
    clinic = billing_settings_get()
    defaults = {
        "lab_test_fee": clinic.default_lab_test_fee,
        "medication_fee": clinic.default_medication_fee,
        "other_fee": clinic.default_other_fee,
    }
    schedule = FeeSchedule.objects.filter(doctor=doctor).first()
    if request.method == "POST":
        form = FeeScheduleForm(request.POST, clinic_defaults=defaults)
        if form.is_valid():
            try:
                fee_schedule_update(
                    doctor=doctor, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your fees were saved."))
                return redirect("billing:fee_schedule")
    else:
        form = FeeScheduleForm(
            clinic_defaults=defaults,
            initial={
                "consultation_fee": doctor.consultation_fee,
                "lab_test_fee": schedule.lab_test_fee if schedule else None,
                "medication_fee": schedule.medication_fee if schedule else None,
                "other_fee": schedule.other_fee if schedule else None,
            },
        )
    return render(
        request,
        "billing/fee_schedule.html",
        {"form": form, "fees": fee_schedule_for(doctor, clinic=clinic), "clinic": clinic},
        status=400 if request.method == "POST" else 200,
    )
