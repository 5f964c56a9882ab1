"""Every write to a consultation record: the draft, signing, amendments and voids.

Callers decide access first (records.access); these functions enforce the
domain rules (state machine, who may write what), validate with full_clean,
and write the audit row in the same transaction. The other writes to the
clinical record live beside this module: object grants in records/grants.py,
documents in records/documents.py, the medical history in records/history.py.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.policy import CLINICAL_STATUSES
from audit.models import AuditAction
from audit.services import audit_record
from patients.access import verified_doctor

from .access import AMEND, EDIT, SIGN, VOID, record_refusal
from .grants import records_grant_view
from .models import (
    CONSULTATION_TEXT_FIELDS,
    ConsultationRecord,
    ConsultationRecordRevision,
    RecordStatus,
)

RECORD_FIELDS = (*CONSULTATION_TEXT_FIELDS, "follow_up_date")


def _require(record, author, action):
    refusal = record_refusal(author, record, action)
    if refusal is not None:
        raise refusal


def _lock(record):
    return ConsultationRecord.objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def consultation_record_create(*, appointment, author, request=None, **fields):
    """Start the draft record of an appointment (only its own doctor, once it happened
    or is confirmed)."""
    doctor = verified_doctor(author)
    if doctor is None or appointment.doctor_id != doctor.pk:
        raise PermissionDenied(_("Only the appointment's doctor may write its record."))
    if appointment.status not in CLINICAL_STATUSES:
        raise ValidationError(
            _("A consultation record can be written only for a confirmed or completed appointment.")
        )
    if (
        ConsultationRecord.objects.filter(appointment=appointment)
        .exclude(status=RecordStatus.VOIDED)
        .exists()
    ):
        raise ValidationError(_("This appointment already has a consultation record."))
    record = ConsultationRecord(
        appointment=appointment,
        patient_id=appointment.patient_id,
        doctor=doctor,
        **{
            name: fields.get(name, "" if name != "follow_up_date" else None)
            for name in RECORD_FIELDS
        },
    )
    record.full_clean()
    record.save()
    records_grant_view(user=author, obj=record)
    audit_record(
        actor=author,
        action=AuditAction.CREATE,
        obj=record,
        patient=appointment.patient,
        request=request,
    )
    return record


@transaction.atomic
def consultation_record_update_draft(*, record, author, request=None, **fields):
    record = _lock(record)
    _require(record, author, EDIT)
    changed = [
        name for name in RECORD_FIELDS if name in fields and getattr(record, name) != fields[name]
    ]
    for name in changed:
        setattr(record, name, fields[name])
    record.full_clean()
    record.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=author,
        action=AuditAction.CHANGE,
        obj=record,
        patient=record.patient,
        detail="draft: " + ", ".join(changed),
        request=request,
    )
    return record


def _revision(record, author, reason=""):
    return ConsultationRecordRevision.objects.create(
        record=record,
        version=record.version,
        amendment_reason=reason,
        signed_by=author,
        signed_at=record.signed_at if record.version == 1 else timezone.now(),
        **{name: getattr(record, name) for name in RECORD_FIELDS},
    )


@transaction.atomic
def consultation_record_sign(*, record, author, request=None):
    record = _lock(record)
    _require(record, author, SIGN)
    if not any(getattr(record, name).strip() for name in CONSULTATION_TEXT_FIELDS):
        raise ValidationError(_("Write at least one section before signing."))
    record.status = RecordStatus.SIGNED
    record.signed_at = timezone.now()
    record.version = 1
    record.full_clean()
    record.save(update_fields=["status", "signed_at", "version", "updated_at"])
    _revision(record, author)
    audit_record(
        actor=author,
        action=AuditAction.CHANGE,
        obj=record,
        patient=record.patient,
        detail="signed",
        request=request,
    )
    return record


@transaction.atomic
def consultation_record_amend(*, record, author, reason, request=None, **fields):
    """A new signed version; the earlier ones stay as revisions."""
    record = _lock(record)
    _require(record, author, AMEND)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is amended.")})
    changed = [
        name for name in RECORD_FIELDS if name in fields and getattr(record, name) != fields[name]
    ]
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    for name in changed:
        setattr(record, name, fields[name])
    record.version += 1
    record.full_clean()
    record.save(update_fields=[*changed, "version", "updated_at"])
    _revision(record, author, reason)
    audit_record(
        actor=author,
        action=AuditAction.CHANGE,
        obj=record,
        patient=record.patient,
        detail=f"amended to version {record.version}: " + ", ".join(changed),
        request=request,
    )
    return record


@transaction.atomic
def consultation_record_void(*, record, author, reason, request=None):
    record = _lock(record)
    _require(record, author, VOID)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is voided.")})
    if record.signed_at is None:
        record.signed_at = timezone.now()  # a voided draft keeps the moment it was closed
    record.status = RecordStatus.VOIDED
    record.voided_at = timezone.now()
    record.voided_by = author
    record.void_reason = reason
    record.full_clean()
    record.save(
        update_fields=["status", "signed_at", "voided_at", "voided_by", "void_reason", "updated_at"]
    )
    audit_record(
        actor=author,
        action=AuditAction.CHANGE,
        obj=record,
        patient=record.patient,
        detail=f"voided: {reason}"[:500],
        request=request,
    )
    return record
