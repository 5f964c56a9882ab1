"""Every write to the clinical record.

Callers decide access first (records.access); these functions enforce the
domain rules (state machine, who may write what), validate with full_clean,
and write the audit row in the same transaction.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from guardian.models import UserObjectPermission

from appointments.policy import CLINICAL_STATUSES
from audit.models import AuditAction
from audit.services import audit_record
from patients.access import (
    grant_view,
    is_self,
    is_treating_doctor,
    verified_doctor,
)
from prescriptions.models import Prescription

from .access import AMEND, EDIT, HIDE, SIGN, VOID, document_refusal, record_refusal
from .models import (
    CONSULTATION_TEXT_FIELDS,
    GENERATED_KINDS,
    Allergy,
    Condition,
    ConsultationRecord,
    ConsultationRecordRevision,
    Document,
    DocumentKind,
    HistoryChange,
    HistoryKind,
    Medication,
    RecordStatus,
)
from .uploads import check_upload, display_filename

RECORD_FIELDS = (*CONSULTATION_TEXT_FIELDS, "follow_up_date")

# ---------------------------------------------------------------------------
# Object permissions


def records_grant_view(*, user, obj):
    """Let a doctor see one object of a patient's record (django-guardian)."""
    grant_view(user=user, obj=obj)


def records_revoke_doctor_access(*, doctor_user, patient):
    """Remove every object grant `doctor_user` holds on `patient`'s record.

    Called when a doctor's access ends (a revoked referral). The computed
    treating-doctor rule in records.access needs no revocation.
    """
    removed = 0
    for model in (ConsultationRecord, Document, Prescription):
        ids = [str(pk) for pk in model.objects.filter(patient=patient).values_list("pk", flat=True)]
        removed += UserObjectPermission.objects.filter(
            user=doctor_user,
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=ids,
        ).delete()[0]
    return removed


# ---------------------------------------------------------------------------
# Consultation records


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
        raise PermissionDenied("Only the appointment's doctor may write its record.")
    if appointment.status not in CLINICAL_STATUSES:
        raise ValidationError(
            "A consultation record can be written only for a confirmed or completed appointment."
        )
    if (
        ConsultationRecord.objects.filter(appointment=appointment)
        .exclude(status=RecordStatus.VOIDED)
        .exists()
    ):
        raise ValidationError("This appointment already has a consultation record.")
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
        raise ValidationError("Write at least one section before signing.")
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
        raise ValidationError({"reason": "Say why the record is amended."})
    changed = [
        name for name in RECORD_FIELDS if name in fields and getattr(record, name) != fields[name]
    ]
    if not changed:
        raise ValidationError("Nothing was changed.")
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
        raise ValidationError({"reason": "Say why the record is voided."})
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


# ---------------------------------------------------------------------------
# Medical history

HISTORY_MODELS = {
    HistoryKind.CONDITION: Condition,
    HistoryKind.ALLERGY: Allergy,
    HistoryKind.MEDICATION: Medication,
}


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _require_history_editor(actor, patient):
    if not (is_self(actor, patient.pk) or is_treating_doctor(actor, patient.pk)):
        raise PermissionDenied("Only the patient and their treating doctors edit the history.")


@transaction.atomic
def history_item_create(*, kind, patient, actor, request=None, **fields):
    _require_history_editor(actor, patient)
    model = HISTORY_MODELS[kind]
    item = model(
        patient=patient,
        recorded_by=actor,
        updated_by=actor,
        **{name: fields[name] for name in model.HISTORY_FIELDS if name in fields},
    )
    item.full_clean()
    item.save()
    HistoryChange.objects.create(
        patient=patient,
        kind=kind,
        item_id=item.pk,
        changed_by=actor,
        created=True,
        changes={name: _json(getattr(item, name)) for name in model.HISTORY_FIELDS},
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, patient=patient, request=request)
    return item


@transaction.atomic
def history_item_update(*, item, actor, request=None, **fields):
    model = type(item)
    item = model.objects.select_for_update().select_related("patient").get(pk=item.pk)
    _require_history_editor(actor, item.patient)
    changes = {}
    for name in model.HISTORY_FIELDS:
        if name in fields and getattr(item, name) != fields[name]:
            changes[name] = [_json(getattr(item, name)), _json(fields[name])]
            setattr(item, name, fields[name])
    if not changes:
        return item
    item.updated_by = actor
    item.full_clean()
    item.save(update_fields=[*changes, "updated_by", "updated_at"])
    kind = next(k for k, m in HISTORY_MODELS.items() if m is model)
    HistoryChange.objects.create(
        patient=item.patient, kind=kind, item_id=item.pk, changed_by=actor, changes=changes
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=item,
        patient=item.patient,
        detail=", ".join(changes),
        request=request,
    )
    return item


# ---------------------------------------------------------------------------
# Documents


def document_upload(
    *, patient, uploader, uploaded_file, kind, document_date, description="", request=None
):
    """Check, store and register one document of `patient`.

    Nothing is stored unless the file passes every check; if the row cannot be
    written, the stored file is removed again.
    """
    if not (is_self(uploader, patient.pk) or is_treating_doctor(uploader, patient.pk)):
        raise PermissionDenied("Only the patient and their treating doctors upload documents.")
    if kind in GENERATED_KINDS:
        raise ValidationError(
            f"{DocumentKind(kind).label} documents are filed by the clinic; choose another type."
        )
    checked = check_upload(uploaded_file)
    document = Document(
        patient=patient,
        uploaded_by=uploader,
        kind=kind,
        document_date=document_date,
        description=description,
        original_filename=checked.display_name,
        content_type=checked.file_type.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
    )
    document.full_clean(exclude=["file"])
    document.file.save("upload", ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            document.save()
            if not is_self(uploader, patient.pk):
                records_grant_view(user=uploader, obj=document)
            audit_record(
                actor=uploader,
                action=AuditAction.CREATE,
                obj=document,
                patient=patient,
                detail=f"{checked.file_type.key}, {len(checked.data)} bytes",
                request=request,
            )
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def _generated_file_store(data):
    """Store bytes under a server-generated documents/ path; return the stored name."""
    field = Document._meta.get_field("file")
    return field.storage.save(field.generate_filename(None, "generated"), ContentFile(data))


def document_file_generated(
    *,
    patient,
    actor,
    kind,
    filename,
    content_type,
    data,
    document_date,
    description="",
    document=None,
    request=None,
):
    """File a document MedConnect made itself (a receipt) in `patient`'s record.

    The content is ours, so the upload checks do not apply; the file is stored
    like an upload (server-generated path, size, SHA-256) and audited in the same
    transaction. With `document`, that document's file is replaced instead (a
    receipt whose invoice changed status): the row stays, the change is audited,
    and the old file is removed once the transaction commits.

    `actor` is who caused the document (e.g. whoever issued the invoice); callers
    decide that they may.
    """
    if kind not in GENERATED_KINDS:
        raise ValidationError(f"{kind!r} documents are uploaded, not generated.")
    if not data:
        raise ValidationError("A generated document cannot be empty.")
    values = {
        "kind": kind,
        "document_date": document_date,
        "description": description,
        "original_filename": display_filename(filename),
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if document is None:
        Document(patient=patient, uploaded_by=actor, is_generated=True, **values).full_clean(
            exclude=["file"]
        )
    # If an enclosing transaction rolls back after this returns, the new file is
    # left unreferenced; a file that is referenced is never removed early.
    name = _generated_file_store(data)
    try:
        with transaction.atomic():
            if document is None:
                return _document_generated_create(
                    patient=patient, actor=actor, name=name, values=values, request=request
                )
            return _document_generated_replace(
                document=document,
                patient=patient,
                actor=actor,
                name=name,
                values=values,
                request=request,
            )
    except Exception:
        Document._meta.get_field("file").storage.delete(name)
        raise


def _document_generated_create(*, patient, actor, name, values, request):
    document = Document(patient=patient, uploaded_by=actor, is_generated=True, **values)
    document.file.name = name
    document.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=document,
        patient=patient,
        detail=f"generated {document.get_kind_display().lower()}, {document.size} bytes",
        request=request,
    )
    return document


def _document_generated_replace(*, document, patient, actor, name, values, request):
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.patient_id != patient.pk or not document.is_generated:
        raise ValidationError("Only a generated document of this patient can be replaced.")
    if document.kind != values["kind"]:
        raise ValidationError("A generated document keeps its kind when its file is replaced.")
    previous_name, previous_sha256 = document.file.name, document.sha256
    for field, value in values.items():
        setattr(document, field, value)
    document.file.name = name
    document.full_clean(exclude=["file"])
    document.save(update_fields=[*values, "file"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=document,
        patient=document.patient,
        detail=(
            f"file replaced: sha256 {previous_sha256[:12]} -> {document.sha256[:12]}, "
            f"{document.size} bytes"
        ),
        request=request,
    )
    storage = document.file.storage
    transaction.on_commit(lambda: storage.delete(previous_name))
    return document


@transaction.atomic
def document_set_hidden(*, document, actor, hidden, request=None):
    """The patient hides (or shows again) a document they uploaded themselves."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    refusal = document_refusal(actor, document, HIDE)
    if refusal is not None:
        raise refusal
    if document.is_hidden == hidden:
        return document
    document.is_hidden = hidden
    document.hidden_at = timezone.now() if hidden else None
    document.save(update_fields=["is_hidden", "hidden_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=document,
        patient=actor,
        detail="hidden" if hidden else "shown again",
        request=request,
    )
    return document
