"""Who may fetch an invoice: decided here, where it is fetched (docs/security.md).

Allowed: the patient (once issued; a draft is the doctor's working copy), the
appointment's doctor while verified, and staff. Everyone else gets a 404, the
same as for an invoice that does not exist, and the refusal is audited.
"""

from django.http import Http404

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
