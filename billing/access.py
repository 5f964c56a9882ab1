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


def _deny(*, user, request, object_type, object_id, patient):
    if request is not None:
        audit_denied(request=request, object_type=object_type, object_id=object_id, patient=patient)
    else:
        audit_record(
            actor=user,
            action=AuditAction.DENY,
            object_type=object_type,
            object_id=object_id,
            patient=patient,
            allowed=False,
        )
    raise Http404("No such invoice.")


def _fetch(pk):
    return (
        Invoice.objects.select_related("patient", "doctor__user", "appointment")
        .filter(pk=pk)
        .first()
    )


def get_invoice_for_user(user, pk, *, request=None):
    """An invoice the user may see, or Http404."""
    invoice = _fetch(pk)
    if invoice is not None and (
        can_bill(user, invoice.doctor) or (invoice.patient_id == user.pk and not invoice.is_draft)
    ):
        return invoice
    return _deny(
        user=user,
        request=request,
        object_type="billing.invoice",
        object_id=pk,
        patient=invoice.patient if invoice else None,
    )


def get_invoice_for_biller(user, pk, *, request=None):
    """An invoice the user may change (its doctor, verified, or staff), or Http404."""
    invoice = _fetch(pk)
    if invoice is not None and can_bill(user, invoice.doctor):
        return invoice
    return _deny(
        user=user,
        request=request,
        object_type="billing.invoice",
        object_id=pk,
        patient=invoice.patient if invoice else None,
    )


def get_appointment_for_biller(user, pk, *, request=None):
    """A visit the user may bill (its doctor, verified, or staff), or Http404."""
    appointment = (
        Appointment.objects.select_related("doctor__user", "patient", "visit_type")
        .filter(pk=pk)
        .first()
    )
    if appointment is not None and can_bill(user, appointment.doctor):
        return appointment
    return _deny(
        user=user,
        request=request,
        object_type="appointments.appointment",
        object_id=pk,
        patient=appointment.patient if appointment else None,
    )
