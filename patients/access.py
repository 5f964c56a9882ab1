"""Who may open a patient's clinical data, as far as it does not depend on the kind
of record: the patient themselves, and the doctors who treat them
(docs/security.md). records/access.py and prescriptions/access.py build on these.

Every helper that refuses writes the denial to the audit trail and raises the
404 an outsider sees.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm

from accounts.models import Role, User
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentKind, AppointmentStatus
from audit.models import AuditAction
from audit.services import audit_denied, audit_record
from doctors.models import DoctorProfile, VerificationStatus


def deny(request, *, object_type, object_id, patient=None, detail=""):
    """Audit a refusal and raise the 404 an outsider sees."""
    audit_denied(
        request=request,
        object_type=object_type,
        object_id=str(object_id),
        patient=patient,
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


# ---------------------------------------------------------------------------
# The treating relationship: the one place it is decided.
#
# It starts when the patient books (a pending or confirmed patient visit) and ends
# MEDCONNECT_TREATING_MONTHS after the last completed visit. A request that was
# declined or cancelled, or a no-show, with no completed visit gives nothing: the
# relationship ends at once. Visits booked from a referral and case discussions are
# not patient visits: a specialist sees what the referral shares, nothing more.


def months_before(moment, months):
    """`moment` moved back by whole calendar months (the day clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def months_after(moment, months):
    return months_before(moment, -months)


def treating_since(now=None):
    """Completed visits that ended after this moment still make a doctor treating."""
    return months_before(now or timezone.now(), settings.MEDCONNECT_TREATING_MONTHS)


def treating_q(now=None):
    """The appointments that make their doctor a treating doctor of their patient now."""
    return Q(kind=AppointmentKind.PATIENT) & (
        Q(status__in=ACTIVE_STATUSES)
        | Q(status=AppointmentStatus.COMPLETED, end__gt=treating_since(now))
    )


def treating_appointments(doctor, patient_id, now=None):
    return Appointment.objects.filter(doctor=doctor, patient_id=patient_id).filter(treating_q(now))


def is_treating_doctor(user, patient_id, now=None):
    doctor = verified_doctor(user)
    return doctor is not None and treating_appointments(doctor, patient_id, now).exists()


def treated_patient_ids(doctor, now=None):
    """The ids of the patients `doctor` treats now (lists mirror is_treating_doctor)."""
    return Appointment.objects.filter(doctor=doctor).filter(treating_q(now)).values("patient_id")


def treating_doctors(patient, now=None):
    """[(doctor, ends_at or None while a booked visit is open)] of the doctors who treat
    `patient` now, for the patient's sharing page (one query)."""
    rows = (
        Appointment.objects.filter(patient=patient)
        .filter(treating_q(now))
        .filter(
            doctor__verification_status=VerificationStatus.VERIFIED, doctor__user__is_active=True
        )
        .values("doctor_id")
        .annotate(
            last_completed=Max("end", filter=Q(status=AppointmentStatus.COMPLETED)),
            open_visits=Max("id", filter=Q(status__in=ACTIVE_STATUSES)),
        )
    )
    doctors = DoctorProfile.objects.select_related("user").in_bulk([r["doctor_id"] for r in rows])
    months = settings.MEDCONNECT_TREATING_MONTHS
    result = []
    for row in rows:
        ends = None
        if row["open_visits"] is None and row["last_completed"] is not None:
            ends = months_after(row["last_completed"], months)
        result.append((doctors[row["doctor_id"]], ends))
    result.sort(key=lambda pair: pair[0].user.full_name)
    return result


def is_self(user, patient_id):
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.PATIENT
        and user.pk == patient_id
    )


def can_open_patient(user, patient_id):
    """The patient themselves, or a doctor who treats them now: who may open the record
    (its pages, its FHIR export, its CSV export)."""
    return is_self(user, patient_id) or is_treating_doctor(user, patient_id)


def has_view_grant(user, obj):
    """A guardian grant on this one object, held by a verified doctor."""
    if verified_doctor(user) is None:
        return False
    perm = f"view_{obj._meta.model_name}"
    return ObjectPermissionChecker(user).has_perm(perm, obj)


def fetch_for_user(request, queryset, pk, *, allowed, audit=AuditAction.VIEW):
    """The object `pk` of `queryset` if `allowed(user, obj)`; otherwise the audited 404.

    Every access helper of a patient's data fetches through here, so each has the same
    shape: `get_<object>_for_user(request, pk, *, audit=...)`. With `audit` (a view or a
    download) someone other than the patient opening the object is written to the
    trail; writes pass audit=None, their service writes the history.
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None or not allowed(request.user, obj):
        deny(
            request,
            object_type=queryset.model._meta.label_lower,
            object_id=pk,
            patient=obj.patient if obj is not None else None,
        )
    if audit is not None:
        audit_access(request, obj=obj, patient=obj.patient, action=audit)
    return obj


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


def get_patient_for_user(request, patient_id, *, audit=AuditAction.VIEW, part="records.patient"):
    """The patient whose record the signed-in person may open: themselves, or one they
    treat. Someone else opening `part` of the record (the profile, the timeline, the
    history, the documents, a FHIR export) is audited."""
    user = request.user
    patient = (
        User.objects.filter(pk=patient_id, role=Role.PATIENT)
        .select_related("patient_profile")
        .first()
    )
    if patient is None or not can_open_patient(user, patient.pk):
        deny(request, object_type="records.patient", object_id=patient_id, patient=patient)
    if audit is not None:
        audit_access(request, patient=patient, action=audit, object_type=part)
    return patient


# ---------------------------------------------------------------------------
# Appointments a doctor writes about


def get_appointment_for_author(request, appointment_id):
    """An appointment the signed-in person is the (verified) doctor of: records and
    prescriptions are written only by the appointment's own doctor."""
    appointment = (
        Appointment.objects.select_related("patient__patient_profile", "doctor__user")
        .filter(pk=appointment_id)
        .first()
    )
    doctor = verified_doctor(request.user)
    if appointment is not None and doctor is not None and appointment.doctor_id == doctor.pk:
        return appointment
    deny(
        request,
        object_type="appointments.appointment",
        object_id=appointment_id,
        patient=appointment.patient if appointment else None,
    )


def grant_view(*, user, obj):
    """Let a doctor see one object of a patient's record (django-guardian)."""
    assign_perm(f"view_{obj._meta.model_name}", user, obj)
