"""Who may see a prescription; the rule is records.access's (see its docstring):

* the patient it was written for;
* the doctor who issued it (and only they may void it), while verified;
* a verified doctor treating the patient, or holding a guardian view grant.

Everyone else gets a 404 and the refusal is audited.
"""

from patients.access import deny, has_view_grant, is_self, is_treating_doctor, verified_doctor

from .models import Prescription


def can_view_prescription(user, prescription):
    doctor = verified_doctor(user)
    if doctor is not None and prescription.doctor_id == doctor.pk:
        return True
    return (
        is_self(user, prescription.patient_id)
        or is_treating_doctor(user, prescription.patient_id)
        or has_view_grant(user, prescription)
    )


def get_prescription_for_user(user, prescription_id, *, request=None, issuer=False):
    """A prescription `user` may read; with issuer=True, one they issued."""
    prescription = (
        Prescription.objects.select_related(
            "doctor__user", "patient__patient_profile", "appointment", "voided_by"
        )
        .filter(pk=prescription_id)
        .first()
    )
    if prescription is not None:
        if issuer:
            doctor = verified_doctor(user)
            allowed = doctor is not None and prescription.doctor_id == doctor.pk
        else:
            allowed = can_view_prescription(user, prescription)
        if allowed:
            return prescription
    deny(
        user,
        request=request,
        object_type="prescriptions.prescription",
        object_id=prescription_id,
        patient=prescription.patient if prescription else None,
    )


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
