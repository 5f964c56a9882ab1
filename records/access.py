"""Who may see a patient's clinical data: the one place that decides.

The rule (deny by default; docs/security.md):

* The patient sees everything about themselves, except other people's drafts.
* A *treating doctor* is a doctor whose account is active and whose license is
  verified, and who has (or had) an appointment with the patient that was not
  cancelled or declined. This is computed from appointments on every request,
  so it holds without any stored grant and ends the moment it stops being true.
  (Active referrals will join this rule when the network app lands.)
  A treating doctor sees the patient's profile, history and timeline, signed
  and voided consultation records, prescriptions and documents the patient
  has not hidden, and may edit the history and upload documents. Receipts
  are not clinical data: in records they are the patient's alone (billing
  hands them to the visit's doctor and staff under the invoice rule).
* The doctor who wrote a record or issued a prescription keeps access to it
  (edit while draft, void with reason), as long as they are verified.
* A django-guardian `view_<model>` grant on one object lets a verified doctor
  see that object. Services grant it when a doctor writes a record or a
  document is added; services revoke it when access ends. A grant never
  replaces the verified-doctor check and is never needed for the rule above.
* Everyone else, staff included (they see demographics in Admin only), gets
  a 404, and the refusal is written to the audit trail.

Every helper here returns the object or raises Http404 after `audit_denied`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from patients.access import (
    fetch_for_user,
    has_view_grant,
    is_self,
    is_treating_doctor,
    verified_doctor,
)

from .models import PATIENT_ONLY_KINDS, ConsultationRecord, Document, RecordStatus

# ---------------------------------------------------------------------------
# Consultation records


def can_view_record(user, record):
    doctor = verified_doctor(user)
    if doctor is not None and record.doctor_id == doctor.pk:
        return True  # the author, drafts included
    if record.status == RecordStatus.DRAFT:
        return False
    return (
        is_self(user, record.patient_id)
        or is_treating_doctor(user, record.patient_id)
        or has_view_grant(user, record)
    )


# What can be done with a consultation record.
VIEW, EDIT, SIGN, AMEND, VOID = "view", "edit", "sign", "amend", "void"
RECORD_STATUS_RULES = {
    # action: (the status it needs or refuses, the message when it does not hold)
    EDIT: (RecordStatus.DRAFT, "A signed record cannot be edited; amend it instead."),
    SIGN: (RecordStatus.DRAFT, "This record is already signed."),
    AMEND: (RecordStatus.SIGNED, "Only a signed record can be amended."),
}


def record_refusal(user, record, action):
    """Why `user` may not take `action` on `record` now, or None if they may. Reading
    follows can_view_record; every change is its verified author's alone."""
    if action == VIEW:
        return None if can_view_record(user, record) else PermissionDenied(_("No such record."))
    doctor = verified_doctor(user)
    if doctor is None or record.doctor_id != doctor.pk:
        return PermissionDenied(_("Only the doctor who wrote this record may change it."))
    if action == VOID:
        voided = record.status == RecordStatus.VOIDED
        return ValidationError(_("This record is already voided.")) if voided else None
    status, message = RECORD_STATUS_RULES[action]
    return None if record.status == status else ValidationError(message)


def record_actions(user, record):
    """What `user` may do with `record` now: the buttons of its page."""
    return frozenset(
        a for a in (VIEW, EDIT, SIGN, AMEND, VOID) if not record_refusal(user, record, a)
    )


def get_record_for_user(request, record_id, *, author=False, audit=AuditAction.VIEW):
    """A consultation record the signed-in person may read; with author=True, one they
    wrote (and so may change)."""

    def allowed(user, record):
        if author:
            doctor = verified_doctor(user)
            return doctor is not None and record.doctor_id == doctor.pk
        return can_view_record(user, record)

    records = ConsultationRecord.objects.select_related(
        "doctor__user", "patient__patient_profile", "appointment"
    )
    return fetch_for_user(request, records, record_id, allowed=allowed, audit=audit)


# ---------------------------------------------------------------------------
# Documents


def can_view_document(user, document):
    if is_self(user, document.patient_id):
        return True
    if document.is_hidden:
        return False  # the patient hid their own upload from everyone else
    if document.kind in PATIENT_ONLY_KINDS:
        return False  # receipts: doctors and staff get them through billing
    doctor = verified_doctor(user)
    if doctor is None:
        return False
    return (
        document.uploaded_by_id == user.pk
        or is_treating_doctor(user, document.patient_id)
        or has_view_grant(user, document)
    )


# What can be done with a document: download it; its uploader (the patient) hides it.
DOWNLOAD, HIDE = "download", "hide"


def document_refusal(user, document, action):
    """Why `user` may not take `action` on `document`, or None if they may."""
    if action == DOWNLOAD:
        allowed = can_view_document(user, document)
        return None if allowed else PermissionDenied(_("No such document."))
    own_upload = (
        is_self(user, document.patient_id)
        and document.uploaded_by_id == user.pk
        and not document.is_generated
    )
    return (
        None
        if own_upload
        else PermissionDenied(_("Only the patient who uploaded a document may hide it."))
    )


def get_document_for_user(request, document_id, *, owner=False, audit=AuditAction.VIEW):
    """A document the signed-in person may download; with owner=True, the patient's own
    upload (which only they may hide or show again)."""
    action = HIDE if owner else DOWNLOAD

    def allowed(user, document):
        return document_refusal(user, document, action) is None

    documents = Document.objects.select_related("patient", "uploaded_by")
    return fetch_for_user(request, documents, document_id, allowed=allowed, audit=audit)


def visible_documents(user, patient):
    """The patient's documents this user may list (the patient or a treating doctor)."""
    documents = Document.objects.for_patient(patient)
    if is_self(user, patient.pk):
        return documents
    return documents.visible().clinical()


def visible_records(user, patient):
    """The patient's consultation records this user may list."""
    records = ConsultationRecord.objects.for_patient(patient)
    doctor = verified_doctor(user)
    if doctor is not None:
        return records.filter(~Q(status=RecordStatus.DRAFT) | Q(doctor=doctor))
    return records.final()


# ---------------------------------------------------------------------------
# Medical history items


def get_history_item_for_user(request, model, item_id):
    """A condition, allergy or medication of a patient whose history the signed-in
    person may edit (the patient, or a treating doctor)."""

    def allowed(user, item):
        return is_self(user, item.patient_id) or is_treating_doctor(user, item.patient_id)

    items = model.objects.select_related("patient")
    return fetch_for_user(request, items, item_id, allowed=allowed, audit=None)
