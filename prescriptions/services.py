"""Every write to prescriptions: issue and void. Never deleted."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from appointments.policy import CLINICAL_STATUSES
from audit.models import AuditAction
from audit.services import audit_record
from notifications.services import notification_send
from patients.access import grant_view, verified_doctor

from .access import VOID, prescription_refusal
from .models import Prescription, PrescriptionItem, PrescriptionStatus

ITEM_FIELDS = (
    "drug",
    "strength",
    "form",
    "dose",
    "frequency",
    "route",
    "duration",
    "quantity",
    "instructions",
)
MAX_ITEMS = 30


@transaction.atomic
def prescription_issue(
    *, appointment, doctor_user, items, follow_up_date=None, notes="", request=None
):
    """Issue a prescription for an appointment; `items` is a list of dicts of ITEM_FIELDS.

    The patient is notified once the transaction commits.
    """
    doctor = verified_doctor(doctor_user)
    if doctor is None or appointment.doctor_id != doctor.pk:
        raise PermissionDenied(_("Only the appointment's doctor may prescribe for it."))
    if appointment.status not in CLINICAL_STATUSES:
        raise ValidationError(
            _("A prescription can be issued only for a confirmed or completed appointment.")
        )
    if not items:
        raise ValidationError(_("Add at least one item."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"A prescription holds at most {MAX_ITEMS} items.")
    prescription = Prescription(
        appointment=appointment,
        patient_id=appointment.patient_id,
        doctor=doctor,
        follow_up_date=follow_up_date,
        notes=notes or "",
        issued_at=timezone.now(),
    )
    prescription.full_clean()
    prescription.save()
    for position, data in enumerate(items, start=1):
        item = PrescriptionItem(
            prescription=prescription,
            position=position,
            **{name: data.get(name) or "" for name in ITEM_FIELDS},
        )
        item.full_clean()
        item.save()
    grant_view(user=doctor_user, obj=prescription)
    audit_record(
        actor=doctor_user,
        action=AuditAction.CREATE,
        obj=prescription,
        patient=appointment.patient,
        detail=f"{len(items)} item(s)",
        request=request,
    )
    patient = appointment.patient
    url = reverse("prescriptions:detail", args=[prescription.pk])
    transaction.on_commit(
        lambda: notification_send(
            recipient=patient,
            kind="prescription_issued",
            title=format_lazy(_("New prescription from {doctor}"), doctor=doctor.user.display_name),
            body=_("Your prescription is ready to view and download."),
            url=url,
        )
    )
    return prescription


@transaction.atomic
def prescription_void(*, prescription, doctor_user, reason, request=None):
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    refusal = prescription_refusal(doctor_user, prescription, VOID)
    if refusal is not None:
        raise refusal
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the prescription is voided.")})
    prescription.status = PrescriptionStatus.VOIDED
    prescription.voided_at = timezone.now()
    prescription.voided_by = doctor_user
    prescription.void_reason = reason
    prescription.full_clean()
    prescription.save(update_fields=["status", "voided_at", "voided_by", "void_reason"])
    audit_record(
        actor=doctor_user,
        action=AuditAction.CHANGE,
        obj=prescription,
        patient=prescription.patient,
        detail=f"voided: {reason}"[:500],
        request=request,
    )
    patient = prescription.patient
    url = reverse("prescriptions:detail", args=[prescription.pk])
    transaction.on_commit(
        lambda: notification_send(
            recipient=patient,
            kind="prescription_voided",
            title=format_lazy(
                _("A prescription from {doctor} was voided"), doctor=doctor_user.display_name
            ),
            body=_("Do not use it any more; open it to see why."),
            url=url,
        )
    )
    return prescription
