"""Appointments as FHIR Appointment resources."""

from fhir.resources.R4B.appointment import Appointment as FhirAppointment

from appointments.models import AppointmentStatus
from appointments.policy import visit_reason_visible

from .common import clean, instant, patient_ref, practitioner_ref

APPOINTMENT_STATUS = {
    AppointmentStatus.PENDING: "pending",
    AppointmentStatus.CONFIRMED: "booked",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.DECLINED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
}


def appointment(appt, *, viewer):
    status = APPOINTMENT_STATUS[appt.status]
    doctor_status = "accepted" if appt.status != AppointmentStatus.PENDING else "needs-action"
    if appt.status in (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED):
        doctor_status = "declined" if appt.status == AppointmentStatus.DECLINED else "accepted"
    reason = appt.status_reason if status == "cancelled" else ""
    if appt.status == AppointmentStatus.DECLINED:
        reason = f"Declined by the doctor. {reason}".strip()
    return FhirAppointment.model_validate(
        clean(
            {
                "resourceType": "Appointment",
                "id": str(appt.pk),
                "status": status,
                "cancelationReason": {"text": reason},
                "serviceType": [{"text": appt.visit_type.name}],
                "appointmentType": {"text": appt.get_mode_display()},
                "description": f"{appt.visit_type.name} with {appt.doctor.user.display_name}",
                "start": instant(appt.start),
                "end": instant(appt.end),
                "minutesDuration": int(appt.duration.total_seconds() // 60),
                "created": instant(appt.created_at),
                "comment": appt.reason if visit_reason_visible(viewer, appt) else "",
                "participant": [
                    {
                        "actor": patient_ref(appt.patient),
                        "required": "required",
                        "status": "accepted",
                    },
                    {
                        "actor": practitioner_ref(appt.doctor),
                        "required": "required",
                        "status": doctor_status,
                    },
                ],
            }
        )
    )
