"""Who may see which appointment: decided here, where appointments are fetched.

An appointment is visible to its patient, to its doctor while that doctor is
verified, and to clinic staff. Everyone else gets a 404 and a denial in the
audit trail, so an outsider cannot even learn that the appointment exists.
"""

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_denied, audit_record
from doctors.models import DoctorProfile

from .models import Appointment, AppointmentKind


def get_doctor_for_user(user, *, verified=True):
    """The signed-in doctor's profile; 404 for other roles and, by default, unverified doctors."""
    if not user.is_authenticated or user.role != Role.DOCTOR:
        raise Http404("No such page.")
    queryset = DoctorProfile.objects.select_related("user")
    if verified:
        queryset = queryset.verified()
    doctor = queryset.filter(user=user).first()
    if doctor is None:
        raise Http404("No such page.")
    user.doctor_profile = doctor  # the navigation reads it from the user, without a query
    return doctor


# The part a person plays in an appointment.
PATIENT, DOCTOR, STAFF = "patient", "doctor", "staff"


def appointments_visible_to(user):
    """The appointments this person may see: every list starts here."""
    appointments = Appointment.objects.all()
    if not user.is_authenticated:
        return appointments.none()
    if user.role == Role.PATIENT:
        return appointments.filter(patient=user)
    if user.role == Role.DOCTOR:
        # An unverified or rejected doctor sees no patient data, even their own bookings.
        verified = DoctorProfile.objects.verified().filter(user=user)
        # The case discussions they booked with a colleague are theirs to see too.
        return appointments.filter(
            Q(doctor__in=verified.values("pk"))
            | Q(kind=AppointmentKind.COLLEAGUE, patient__in=verified.values("user"))
        )
    if user.role == Role.STAFF:
        return appointments
    return appointments.none()


def get_appointment_for_user(request, pk, *, audit=AuditAction.VIEW):
    """The appointment with this pk if the signed-in person may see it; otherwise 404.

    Denials are written to the audit trail; with `audit`, a view by anyone but the
    patient is written too, so the patient can see who opened their appointment.
    Actions pass audit=None: their service writes the history.
    """
    user = request.user
    appointment = (
        appointments_visible_to(user)
        .select_related("doctor__user", "patient", "visit_type", "created_by")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        existing = Appointment.objects.select_related("patient").filter(pk=pk).first()
        audit_denied(
            request=request,
            object_type=Appointment._meta.label_lower,
            object_id=str(pk),
            patient=existing.patient if existing else None,
        )
        raise Http404("No such appointment.")
    if audit is not None and appointment.patient_id != user.pk:
        audit_record(
            actor=user,
            action=audit,
            obj=appointment,
            patient=appointment.patient,
            request=request,
        )
    return appointment
