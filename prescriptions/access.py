"""Who may see a prescription; the rule is records.access's (see its docstring):

* the patient it was written for;
* the doctor who issued it (and only they may void it), while verified;
* a verified doctor treating the patient, or holding a guardian view grant.

Everyone else gets a 404 and the refusal is audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from patients.access import (
    fetch_for_user,
    has_view_grant,
    is_self,
    is_treating_doctor,
    verified_doctor,
)

from .models import Prescription, PrescriptionStatus


def can_view_prescription(user, prescription):
    doctor = verified_doctor(user)
    if doctor is not None and prescription.doctor_id == doctor.pk:
        return True
    return (
        is_self(user, prescription.patient_id)
        or is_treating_doctor(user, prescription.patient_id)
        or has_view_grant(user, prescription)
    )


# What can be done with a prescription: read it, and void it (never delete it).
VIEW, VOID = "view", "void"


def prescription_refusal(user, prescription, action):
    """Why `user` may not take `action` on `prescription` now, or None if they may."""
    if action == VIEW:
        allowed = can_view_prescription(user, prescription)
        return None if allowed else PermissionDenied(_("No such prescription."))
    doctor = verified_doctor(user)
    if doctor is None or prescription.doctor_id != doctor.pk:
        return PermissionDenied(_("Only the doctor who issued a prescription may void it."))
    if prescription.status == PrescriptionStatus.VOIDED:
        return ValidationError(_("This prescription is already voided."))
    return None


def prescription_actions(user, prescription):
    """What `user` may do with `prescription` now: the buttons of its page."""
    return frozenset(a for a in (VIEW, VOID) if prescription_refusal(user, prescription, a) is None)


def get_prescription_for_user(request, prescription_id, *, issuer=False, audit=AuditAction.VIEW):
    """A prescription the signed-in person may read; with issuer=True, one they issued."""

    def allowed(user, prescription):
        if issuer:
            doctor = verified_doctor(user)
            return doctor is not None and prescription.doctor_id == doctor.pk
        return can_view_prescription(user, prescription)

    prescriptions = Prescription.objects.select_related(
        "doctor__user", "patient__patient_profile", "appointment", "voided_by"
    )
    return fetch_for_user(request, prescriptions, prescription_id, allowed=allowed, audit=audit)


def prescriptions_for_user(user):
    """The prescriptions list: a patient's own, or the ones a doctor issued."""
    if is_self(user, user.pk):
        return Prescription.objects.for_patient(user)
    doctor = verified_doctor(user)
    if doctor is not None:
        return Prescription.objects.for_doctor(doctor)
    return Prescription.objects.none()


def prescriptions_for_appointment(user, appointment):
    """The prescriptions of one appointment that `user` may see (for the appointment page)."""
    qs = Prescription.objects.filter(appointment=appointment).for_list()
    if is_self(user, appointment.patient_id):
        return qs
    doctor = verified_doctor(user)
    if doctor is not None and (
        appointment.doctor_id == doctor.pk or is_treating_doctor(user, appointment.patient_id)
    ):
        return qs
    return Prescription.objects.none()
