"""What a doctor's dashboard shows from the records: drafts to sign and recent patients.
A template tag, so the dashboard (appointments) does not import records."""

from django import template

from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from records.models import Allergy, AllergyStatus, ConsultationRecord, RecordStatus
from records.selectors import current_medications

register = template.Library()

DASHBOARD_ROWS = 8
# Recent patients are taken from this many latest visits.
RECENT_VISITS_SCANNED = 40


@register.simple_tag
def unsigned_drafts(doctor):
    """The doctor's consultation records still in draft, oldest first."""
    return list(
        ConsultationRecord.objects.filter(doctor=doctor, status=RecordStatus.DRAFT)
        .select_related("patient", "appointment")
        .order_by("created_at", "pk")[:DASHBOARD_ROWS]
    )


@register.simple_tag
def recent_patients(doctor):
    """The patients of the doctor's latest completed visits, each once, newest first."""
    visits = (
        Appointment.objects.filter(doctor=doctor, status=AppointmentStatus.COMPLETED)
        .exclude(kind=AppointmentKind.COLLEAGUE)  # the colleague of a case discussion
        .select_related("patient")
        .order_by("-start", "-pk")[:RECENT_VISITS_SCANNED]
    )
    seen, patients = set(), []
    for visit in visits:
        if visit.patient_id not in seen:
            seen.add(visit.patient_id)
            visit.patient.last_visit = visit.start
            patients.append(visit.patient)
    return patients[:DASHBOARD_ROWS]


@register.simple_tag
def prescribing_history(patient):
    """What a doctor keeps in view while prescribing: active allergies, current medications."""
    return {
        "allergies": list(
            Allergy.objects.filter(patient=patient, status=AllergyStatus.ACTIVE).order_by(
                "substance"
            )
        ),
        "medications": current_medications(patient),
    }
