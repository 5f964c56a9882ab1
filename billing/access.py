"""Who may fetch an invoice: decided here, where it is fetched (docs/security.md).

Allowed: the patient (once issued; a draft is the doctor's working copy), the
appointment's doctor while verified, and staff. Everyone else gets a 404, the
same as for an invoice that does not exist, and the refusal is audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment
from audit.models import AuditAction
from audit.services import audit_denied, audit_record

from .models import Invoice


def can_bill(user, doctor):
    """Staff, or the visit's own doctor while verified, may draft and change its invoice."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_clinic_staff:
        return True
    return user.is_doctor and doctor.user_id == user.pk and doctor.is_verified


# What a biller (the visit's doctor, verified, or staff) may do with an invoice.
EDIT, ISSUE, MARK_PAID, VOID = "edit", "issue", "mark_paid", "void"


def _status_message(invoice, done):
    if invoice.is_void:
        return f"Invoice {invoice.number} is void; it cannot be {done}."
    if invoice.is_paid:
        return f"Invoice {invoice.number} is already paid."
    if invoice.is_issued:
        return f"Invoice {invoice.number} is already issued."
    return "This invoice is still a draft; issue it first."


def invoice_refusal(user, invoice, action):
    """Why `user` may not take `action` on `invoice` now, or None if they may."""
    if not can_bill(user, invoice.doctor):
        return PermissionDenied(_("Only the visit's doctor or clinic staff can change this bill."))
    if action == EDIT and not invoice.is_draft:
        return ValidationError(
            f"Invoice {invoice.number} has been issued; its lines can no longer change."
        )
    if action == ISSUE and not invoice.is_draft:
        return ValidationError(_status_message(invoice, "issued"))
    if action == MARK_PAID and not invoice.is_issued:
        return ValidationError(_status_message(invoice, "paid"))
    if action == VOID and invoice.is_void:
        return ValidationError(f"Invoice {invoice.number} is already void.")
    if action == VOID and invoice.is_draft:
        return ValidationError(
            _("A draft has no receipt yet; change its lines instead of voiding it.")
        )
    return None


def invoice_actions(user, invoice):
    """What `user` may do with `invoice` now: the buttons of its pages."""
    actions = (EDIT, ISSUE, MARK_PAID, VOID)
    return frozenset(a for a in actions if invoice_refusal(user, invoice, a) is None)


def _fetch_or_deny(request, queryset, pk, allowed):
    obj = queryset.filter(pk=pk).first()
    if obj is not None and allowed(request.user, obj):
        return obj
    audit_denied(
        request=request,
        object_type=queryset.model._meta.label_lower,
        object_id=pk,
        patient=obj.patient if obj is not None else None,
    )
    raise Http404("No such invoice.")


def _invoices():
    return Invoice.objects.select_related("patient", "doctor__user", "appointment")


def get_invoice_for_user(request, pk, *, biller=False, audit=AuditAction.VIEW):
    """An invoice the signed-in person may see; with biller=True, one they may change
    (its doctor, verified, or staff). Every view of a bill is audited, the patient's
    own included."""

    def allowed(user, invoice):
        if can_bill(user, invoice.doctor):
            return True
        return not biller and invoice.patient_id == user.pk and not invoice.is_draft

    invoice = _fetch_or_deny(request, _invoices(), pk, allowed)
    if audit is not None:
        audit_record(
            actor=request.user,
            action=audit,
            obj=invoice,
            patient=invoice.patient,
            request=request,
        )
    return invoice


def get_appointment_for_biller(request, pk):
    """A visit the signed-in person may bill (its doctor, verified, or staff)."""
    appointments = Appointment.objects.select_related("doctor__user", "patient", "visit_type")
    return _fetch_or_deny(
        request, appointments, pk, lambda user, appointment: can_bill(user, appointment.doctor)
    )
