"""The public directory as FHIR: practitioners, their schedules and slots."""

from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot

from appointments.models import Mode

from .common import clean, instant, license_system, practitioner_ref, reference


def practitioner(doctor):
    return Practitioner.model_validate(
        clean(
            {
                "resourceType": "Practitioner",
                "id": str(doctor.pk),
                "active": doctor.is_verified,
                "identifier": [{"system": license_system(), "value": doctor.license_id}],
                "name": [{"text": doctor.user.full_name, "prefix": ["Dr."]}],
                "address": [{"text": doctor.practice_address, "city": doctor.city}],
                "qualification": [{"code": {"text": doctor.qualifications}}],
                "communication": [{"text": language} for language in doctor.language_list],
            }
        )
    )


def schedule(doctor):
    return Schedule.model_validate(
        clean(
            {
                "resourceType": "Schedule",
                "id": str(doctor.pk),
                "active": True,
                "specialty": [{"text": spec.name} for spec in doctor.specializations.all()],
                "actor": [practitioner_ref(doctor)],
                "comment": f"Free and busy time of {doctor.user.display_name}.",
            }
        )
    )


def slot_id(doctor_id, visit_type_id, start):
    return f"{doctor_id}-{visit_type_id}-{int(start.timestamp())}"


def slot(*, doctor, start, end, busy, visit_type_name="", visit_type_id=None, modes=()):
    comment = ""
    if modes:
        comment = "Offered " + " or ".join(Mode(mode).label.lower() for mode in modes) + "."
    return Slot.model_validate(
        clean(
            {
                "resourceType": "Slot",
                "id": slot_id(doctor.pk, visit_type_id or 0, start),
                "serviceType": [{"text": visit_type_name}],
                "schedule": reference("Schedule", doctor.pk),
                "status": "busy" if busy else "free",
                "start": instant(start),
                "end": instant(end),
                "comment": comment,
            }
        )
    )
