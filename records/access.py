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

from django.http import Http404
from guardian.core import ObjectPermissionChecker

from accounts.models import Role
from appointments.models import Appointment, AppointmentStatus
from audit.models import AuditAction
from audit.services import audit_denied, audit_record

from .models import PATIENT_ONLY_KINDS, ConsultationRecord, Document, RecordStatus

# Appointments that never took place give no access to the patient's record.
NON_TREATING_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED)
# A record or prescription may be written for these appointments.
WRITABLE_APPOINTMENT_STATUSES = (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED)


def deny(user, *, request=None, object_type, object_id, patient=None, detail=""):
    """Audit a refusal and raise the 404 an outsider sees."""
    if request is not None:
        audit_denied(
            request=request,
            object_type=object_type,
            object_id=str(object_id),
            patient=patient,
            detail=detail,
        )
    else:
        audit_record(
            actor=user,
            action=AuditAction.DENY,
            object_type=object_type,
            object_id=str(object_id),
            patient=patient,
            allowed=False,
            detail=detail,
        )
    raise Http404("No such page.")


def verified_doctor(user):
    """The user's DoctorProfile when they are an active, verified doctor; else None."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.DOCTOR:
        return None
    profile = getattr(user, "doctor_profile", None)
    if profile is None or not profile.is_verified:
        return None
    return profile


def treating_appointments(doctor, patient_id):
    return Appointment.objects.filter(doctor=doctor, patient_id=patient_id).exclude(
        status__in=NON_TREATING_STATUSES
    )


def is_treating_doctor(user, patient_id):
    doctor = verified_doctor(user)
    return doctor is not None and treating_appointments(doctor, patient_id).exists()


def is_self(user, patient_id):
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.PATIENT
        and user.pk == patient_id
    )


def has_view_grant(user, obj):
    """A guardian grant on this one object, held by a verified doctor."""
    if verified_doctor(user) is None:
        return False
    perm = f"view_{obj._meta.model_name}"
    return ObjectPermissionChecker(user).has_perm(perm, obj)


def audit_access(request, *, obj=None, patient, action=AuditAction.VIEW, object_type="", detail=""):
    """Record that someone other than the patient viewed or downloaded their data."""
    if request.user.pk == patient.pk:
        return None
    return audit_record(
        actor=request.user,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id="" if obj is not None else str(patient.pk),
        patient=patient,
        detail=detail,
        request=request,
    )


# ---------------------------------------------------------------------------
# Patient (profile, history, timeline)


def get_patient_for_user(user, patient_id, *, request=None, object_type="records.patient"):
    """The patient whose record `user` may open: themselves, or one they treat."""
    from accounts.models import User

    patient = (
        User.objects.filter(pk=patient_id, role=Role.PATIENT)
        .select_related("patient_profile")
        .first()
    )
    if patient is not None and (is_self(user, patient.pk) or is_treating_doctor(user, patient.pk)):
        return patient
    deny(
        user,
        request=request,
        object_type=object_type,
        object_id=patient_id,
        patient=patient,
    )


# ---------------------------------------------------------------------------
# Appointments a doctor writes about


def get_appointment_for_author(user, appointment_id, *, request=None):
    """An appointment the user is the (verified) doctor of: records and prescriptions
    are written only by the appointment's own doctor."""
    appointment = (
        Appointment.objects.select_related("patient__patient_profile", "doctor__user")
        .filter(pk=appointment_id)
        .first()
    )
    doctor = verified_doctor(user)
    if appointment is not None and doctor is not None and appointment.doctor_id == doctor.pk:
        return appointment
    deny(
        user,
        request=request,
        object_type="appointments.appointment",
        object_id=appointment_id,
        patient=appointment.patient if appointment else None,
    )


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


def get_record_for_user(user, record_id, *, request=None, author=False):
    """A consultation record `user` may read; with author=True, one they wrote."""
    record = (
        ConsultationRecord.objects.select_related(
            "doctor__user", "patient__patient_profile", "appointment"
        )
        .filter(pk=record_id)
        .first()
    )
    if record is not None:
        if author:
            doctor = verified_doctor(user)
            allowed = doctor is not None and record.doctor_id == doctor.pk
        else:
            allowed = can_view_record(user, record)
        if allowed:
            return record
    deny(
        user,
        request=request,
        object_type="records.consultationrecord",
        object_id=record_id,
        patient=record.patient if record else None,
    )


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


def get_document_for_user(user, document_id, *, request=None, owner=False):
    """A document `user` may download; with owner=True, the patient's own upload
    (which only they may hide or show again)."""
    document = (
        Document.objects.select_related("patient", "uploaded_by").filter(pk=document_id).first()
    )
    if document is not None:
        if owner:
            allowed = (
                is_self(user, document.patient_id)
                and document.uploaded_by_id == user.pk
                and not document.is_generated
            )
        else:
            allowed = can_view_document(user, document)
        if allowed:
            return document
    deny(
        user,
        request=request,
        object_type="records.document",
        object_id=document_id,
        patient=document.patient if document else None,
    )


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
        from django.db.models import Q

        return records.filter(~Q(status=RecordStatus.DRAFT) | Q(doctor=doctor))
    return records.final()


# ---------------------------------------------------------------------------
# Medical history items


def get_history_item_for_user(user, model, item_id, *, request=None):
    """A condition, allergy or medication of a patient the user may edit the history of."""
    item = model.objects.select_related("patient").filter(pk=item_id).first()
    if item is not None and (
        is_self(user, item.patient_id) or is_treating_doctor(user, item.patient_id)
    ):
        return item
    deny(
        user,
        request=request,
        object_type=model._meta.label_lower,
        object_id=item_id,
        patient=item.patient if item else None,
    )
