"""Every write to a patient's documents: uploads checked and stored, documents
MedConnect generates itself (receipts), and the patient hiding their own uploads.

A stored file and its row go together: if the row cannot be written, the file
is removed again; a replaced file is removed once the transaction commits.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from patients.access import is_self, is_treating_doctor

from .access import HIDE, document_refusal
from .grants import records_grant_view
from .models import GENERATED_KINDS, Document, DocumentKind
from .uploads import check_upload, display_filename


def document_upload(
    *, patient, uploader, uploaded_file, kind, document_date, description="", request=None
):
    """Check, store and register one document of `patient`.

    Nothing is stored unless the file passes every check; if the row cannot be
    written, the stored file is removed again.
    """
    if not (is_self(uploader, patient.pk) or is_treating_doctor(uploader, patient.pk)):
        raise PermissionDenied(_("Only the patient and their treating doctors upload documents."))
    return document_store_upload(
        patient=patient,
        uploader=uploader,
        uploaded_file=uploaded_file,
        kind=kind,
        document_date=document_date,
        description=description,
        request=request,
    )


def document_store_upload(
    *, patient, uploader, uploaded_file, kind, document_date, description="", request=None
):
    """Check and store an upload whose uploader the caller has already allowed (the
    patient or a treating doctor through document_upload; a referred specialist filing
    the report's attachments through the network): every file check applies."""
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
        raise ValidationError(_("A generated document cannot be empty."))
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
        raise ValidationError(_("Only a generated document of this patient can be replaced."))
    if document.kind != values["kind"]:
        raise ValidationError(_("A generated document keeps its kind when its file is replaced."))
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
