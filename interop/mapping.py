"""Domain objects as FHIR resources, each built as JSON and validated by a
fhir.resources model (R4B, which for these resources is the R4 wire format).

Nothing here reads the database: callers load what a resource needs in bulk.
"""

import json

from django.conf import settings
from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.condition import Condition as FhirCondition
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot

from appointments.models import AppointmentStatus, Mode
from patients.models import Sex
from records.models import AllergySeverity, AllergyStatus, ConditionStatus, RecordStatus

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"

APPOINTMENT_STATUS = {
    AppointmentStatus.PENDING: "pending",
    AppointmentStatus.CONFIRMED: "booked",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.DECLINED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
}
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other"}


def license_system():
    return f"{settings.MEDCONNECT_SITE_URL}/fhir/sid/license-id"


def as_json(resource):
    """A validated fhir.resources model as plain JSON data."""
    return json.loads(resource.model_dump_json())


def _instant(value):
    return value.isoformat() if value else None


def _clean(data):
    """Drop empty values: FHIR forbids empty strings, lists and objects."""
    if isinstance(data, dict):
        cleaned = {key: _clean(value) for key, value in data.items()}
        return {key: value for key, value in cleaned.items() if value not in (None, "", [], {})}
    if isinstance(data, list):
        cleaned = [_clean(value) for value in data]
        return [value for value in cleaned if value not in (None, "", [], {})]
    return data


def _ref(kind, pk, display=""):
    return {"reference": f"{kind}/{pk}", "display": display}


def practitioner_ref(doctor):
    return _ref("Practitioner", doctor.pk, doctor.user.display_name)


def patient_ref(patient):
    return _ref("Patient", patient.pk, patient.full_name)


# --------------------------------------------------------------------------- directory


def practitioner(doctor):
    return Practitioner.model_validate(
        _clean(
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
        _clean(
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
        _clean(
            {
                "resourceType": "Slot",
                "id": slot_id(doctor.pk, visit_type_id or 0, start),
                "serviceType": [{"text": visit_type_name}],
                "schedule": _ref("Schedule", doctor.pk),
                "status": "busy" if busy else "free",
                "start": _instant(start),
                "end": _instant(end),
                "comment": comment,
            }
        )
    )


# --------------------------------------------------------------------------- appointments


def appointment(appt):
    status = APPOINTMENT_STATUS[appt.status]
    doctor_status = "accepted" if appt.status != AppointmentStatus.PENDING else "needs-action"
    if appt.status in (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED):
        doctor_status = "declined" if appt.status == AppointmentStatus.DECLINED else "accepted"
    reason = appt.status_reason if status == "cancelled" else ""
    if appt.status == AppointmentStatus.DECLINED:
        reason = f"Declined by the doctor. {reason}".strip()
    return FhirAppointment.model_validate(
        _clean(
            {
                "resourceType": "Appointment",
                "id": str(appt.pk),
                "status": status,
                "cancelationReason": {"text": reason},
                "serviceType": [{"text": appt.visit_type.name}],
                "appointmentType": {"text": appt.get_mode_display()},
                "description": f"{appt.visit_type.name} with {appt.doctor.user.display_name}",
                "start": _instant(appt.start),
                "end": _instant(appt.end),
                "minutesDuration": int(appt.duration.total_seconds() // 60),
                "created": _instant(appt.created_at),
                "comment": appt.reason,
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


# --------------------------------------------------------------------------- patient record


def patient(user, profile):
    contact = {}
    if profile is not None and (profile.emergency_contact_name or profile.emergency_contact_phone):
        contact = {
            "relationship": [{"text": "Emergency contact"}],
            "name": {"text": profile.emergency_contact_name},
            "telecom": [{"system": "phone", "value": profile.emergency_contact_phone}],
        }
    return Patient.model_validate(
        _clean(
            {
                "resourceType": "Patient",
                "id": str(user.pk),
                "active": user.is_active,
                "name": [{"text": user.full_name}],
                "telecom": [
                    {"system": "email", "value": user.email},
                    {"system": "phone", "value": profile.phone if profile else ""},
                ],
                "gender": GENDER.get(profile.sex, "unknown") if profile else None,
                "birthDate": profile.date_of_birth.isoformat() if profile else None,
                "address": [{"text": profile.address if profile else ""}],
                "contact": [contact],
            }
        )
    )


def encounter(record):
    appt = record.appointment
    online = appt.mode == Mode.ONLINE
    status = {
        RecordStatus.DRAFT: "in-progress",
        RecordStatus.SIGNED: "finished",
        RecordStatus.VOIDED: "entered-in-error",
    }[record.status]
    return Encounter.model_validate(
        _clean(
            {
                "resourceType": "Encounter",
                "id": str(record.pk),
                "status": status,
                "class": {
                    "system": ACT_CODE,
                    "code": "VR" if online else "AMB",
                    "display": "virtual" if online else "ambulatory",
                },
                "subject": _ref("Patient", record.patient_id),
                "participant": [{"individual": practitioner_ref(record.doctor)}],
                "appointment": [_ref("Appointment", appt.pk)],
                "period": {"start": _instant(appt.start), "end": _instant(appt.end)},
                "reasonCode": [{"text": record.presenting_complaint}],
            }
        )
    )


def encounter_diagnosis(record):
    """The diagnosis written in a consultation record, as an encounter-diagnosis Condition."""
    voided = record.status == RecordStatus.VOIDED
    return FhirCondition.model_validate(
        _clean(
            {
                "resourceType": "Condition",
                "id": f"record-{record.pk}",
                "verificationStatus": {
                    "coding": [
                        {
                            "system": CONDITION_VERIFICATION,
                            "code": "entered-in-error" if voided else "provisional",
                        }
                    ]
                },
                "category": [
                    {"coding": [{"system": CONDITION_CATEGORY, "code": "encounter-diagnosis"}]}
                ],
                "code": {"text": record.diagnosis},
                "subject": _ref("Patient", record.patient_id),
                "encounter": _ref("Encounter", record.pk),
                "recordedDate": _instant(record.signed_at or record.created_at),
                "recorder": practitioner_ref(record.doctor),
            }
        )
    )


def condition(item):
    in_error = item.status == ConditionStatus.ENTERED_IN_ERROR
    clinical = None
    if not in_error:
        clinical = {"coding": [{"system": CONDITION_CLINICAL, "code": item.status}]}
    return FhirCondition.model_validate(
        _clean(
            {
                "resourceType": "Condition",
                "id": f"history-{item.pk}",
                "clinicalStatus": clinical,
                "verificationStatus": {
                    "coding": [
                        {
                            "system": CONDITION_VERIFICATION,
                            "code": "entered-in-error" if in_error else "confirmed",
                        }
                    ]
                },
                "category": [
                    {"coding": [{"system": CONDITION_CATEGORY, "code": "problem-list-item"}]}
                ],
                "code": {"text": item.name},
                "subject": _ref("Patient", item.patient_id),
                "onsetDateTime": item.onset_date.isoformat() if item.onset_date else None,
                "recordedDate": _instant(item.created_at),
            }
        )
    )


def allergy(item):
    in_error = item.status == AllergyStatus.ENTERED_IN_ERROR
    clinical = None
    if not in_error:
        code = "active" if item.status == AllergyStatus.ACTIVE else "inactive"
        clinical = {"coding": [{"system": ALLERGY_CLINICAL, "code": code}]}
    severe = item.severity in (AllergySeverity.SEVERE, AllergySeverity.LIFE_THREATENING)
    reaction = {}
    if item.reaction:
        reaction = {
            "manifestation": [{"text": item.reaction}],
            "severity": {AllergySeverity.MILD: "mild", AllergySeverity.MODERATE: "moderate"}.get(
                item.severity, "severe"
            ),
        }
    return AllergyIntolerance.model_validate(
        _clean(
            {
                "resourceType": "AllergyIntolerance",
                "id": str(item.pk),
                "clinicalStatus": clinical,
                "verificationStatus": {
                    "coding": [
                        {
                            "system": ALLERGY_VERIFICATION,
                            "code": "entered-in-error" if in_error else "confirmed",
                        }
                    ]
                },
                "criticality": "high" if severe else "low",
                "code": {"text": item.substance},
                "patient": _ref("Patient", item.patient_id),
                "recordedDate": _instant(item.created_at),
                "reaction": [reaction],
                "note": [{"text": f"Severity: {item.get_severity_display()}"}],
            }
        )
    )


def medication_request(item, prescription):
    medication = " ".join(part for part in (item.drug, item.strength, item.form) if part)
    dosage = ", ".join(
        part for part in (item.dose, item.frequency, item.route, item.duration) if part
    )
    return MedicationRequest.model_validate(
        _clean(
            {
                "resourceType": "MedicationRequest",
                "id": f"{prescription.pk}-{item.position}",
                "groupIdentifier": {
                    "system": f"{settings.MEDCONNECT_SITE_URL}/fhir/sid/prescription",
                    "value": str(prescription.pk),
                },
                "status": "cancelled" if prescription.is_voided else "active",
                "statusReason": {"text": prescription.void_reason},
                "intent": "order",
                "medicationCodeableConcept": {"text": medication},
                "subject": _ref("Patient", prescription.patient_id),
                "authoredOn": _instant(prescription.issued_at),
                "requester": practitioner_ref(prescription.doctor),
                "dosageInstruction": [
                    {
                        "sequence": item.position,
                        "text": dosage,
                        "patientInstruction": item.instructions,
                        "route": {"text": item.route},
                    }
                ],
                "note": [{"text": f"Quantity: {item.quantity}" if item.quantity else ""}],
            }
        )
    )


def document_reference(document, *, download_url):
    uploader = document.uploaded_by
    profile = getattr(uploader, "doctor_profile", None) if uploader.is_doctor else None
    if profile is not None:
        author = practitioner_ref(profile)
    else:
        author = _ref("Patient", uploader.pk, uploader.full_name)
    return DocumentReference.model_validate(
        _clean(
            {
                "resourceType": "DocumentReference",
                "id": str(document.pk),
                "status": "current",
                "type": {"text": document.get_kind_display()},
                "subject": _ref("Patient", document.patient_id),
                "date": _instant(document.created_at),
                "author": [author],
                "description": document.description,
                "content": [
                    {
                        "attachment": {
                            "contentType": document.content_type,
                            "url": download_url,
                            "size": document.size,
                            "title": document.original_filename,
                            "creation": document.document_date.isoformat(),
                        }
                    }
                ],
            }
        )
    )


# --------------------------------------------------------------------------- envelopes


def bundle(resources, *, base_url, total=None, links=()):
    return Bundle.model_validate(
        _clean(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(resources) if total is None else total,
                "link": [{"relation": relation, "url": url} for relation, url in links],
                "entry": [
                    {
                        "fullUrl": f"{base_url}{resource.get_resource_type()}/{resource.id}",
                        "resource": as_json(resource),
                    }
                    for resource in resources
                ],
            }
        )
    )


def operation_outcome(*, code, diagnostics):
    return OperationOutcome.model_validate(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics or code}],
        }
    )


def capability_statement(*, base_url, software_version, date):
    def search(name, documentation, kind="token"):
        return {"name": name, "type": kind, "documentation": documentation}

    resources = [
        {"type": "Practitioner", "interaction": [{"code": "read"}]},
        {
            "type": "Schedule",
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [search("actor", "Practitioner/<id>", "reference")],
        },
        {
            "type": "Slot",
            "interaction": [{"code": "search-type"}],
            "searchParam": [
                search("schedule", "Schedule/<id>", "reference"),
                search("practitioner", "Practitioner/<id> (the schedule's actor)", "reference"),
                search("start", "ge/gt/le/lt a date or instant; 14 days by default", "date"),
                search("status", "free or busy"),
            ],
        },
        {
            "type": "Appointment",
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                search("date", "ge/gt/le/lt a date or instant", "date"),
                search("status", "FHIR appointment status"),
            ],
        },
        {
            "type": "Patient",
            "interaction": [{"code": "read"}],
            "operation": [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                }
            ],
        },
    ]
    return CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": date,
            "publisher": settings.MEDCONNECT_CLINIC_NAME,
            "kind": "instance",
            "software": {"name": "MedConnect", "version": software_version},
            "implementation": {"description": "MedConnect FHIR R4 API", "url": base_url},
            "fhirVersion": FHIR_VERSION,
            "format": [CONTENT_TYPE, "json"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": (
                            "Send the session token of /_allauth/app/v1/auth/login in the "
                            "X-Session-Token header (or use the browser session). Practitioner, "
                            "Schedule and Slot are public; Appointment and Patient follow the "
                            "same access rules as the web pages."
                        )
                    },
                    "resource": resources,
                }
            ],
        }
    )
