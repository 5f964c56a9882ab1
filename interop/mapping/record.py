"""The patient's record as FHIR: the patient, encounters and their diagnoses, the
medical history, medication requests and document references."""

from django.conf import settings
from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.condition import Condition as FhirCondition
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.patient import Patient

from appointments.models import Mode
from patients.models import Sex
from records.models import AllergySeverity, AllergyStatus, ConditionStatus, RecordStatus

from .common import clean, instant, practitioner_ref, reference

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other"}


def patient(user, profile):
    contact = {}
    if profile is not None and (profile.emergency_contact_name or profile.emergency_contact_phone):
        contact = {
            "relationship": [{"text": "Emergency contact"}],
            "name": {"text": profile.emergency_contact_name},
            "telecom": [{"system": "phone", "value": profile.emergency_contact_phone}],
        }
    return Patient.model_validate(
        clean(
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
                "birthDate": profile.date_of_birth.isoformat()
                if profile and profile.date_of_birth
                else None,
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
        clean(
            {
                "resourceType": "Encounter",
                "id": str(record.pk),
                "status": status,
                "class": {
                    "system": ACT_CODE,
                    "code": "VR" if online else "AMB",
                    "display": "virtual" if online else "ambulatory",
                },
                "subject": reference("Patient", record.patient_id),
                "participant": [{"individual": practitioner_ref(record.doctor)}],
                "appointment": [reference("Appointment", appt.pk)],
                "period": {"start": instant(appt.start), "end": instant(appt.end)},
                "reasonCode": [{"text": record.presenting_complaint}],
            }
        )
    )


def encounter_diagnosis(record):
    """The diagnosis written in a consultation record, as an encounter-diagnosis Condition."""
    voided = record.status == RecordStatus.VOIDED
    return FhirCondition.model_validate(
        clean(
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
                "subject": reference("Patient", record.patient_id),
                "encounter": reference("Encounter", record.pk),
                "recordedDate": instant(record.signed_at or record.created_at),
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
        clean(
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
                "subject": reference("Patient", item.patient_id),
                "onsetDateTime": item.onset_date.isoformat() if item.onset_date else None,
                "recordedDate": instant(item.created_at),
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
        clean(
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
                "patient": reference("Patient", item.patient_id),
                "recordedDate": instant(item.created_at),
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
        clean(
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
                "subject": reference("Patient", prescription.patient_id),
                "authoredOn": instant(prescription.issued_at),
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
        author = reference("Patient", uploader.pk, uploader.full_name)
    return DocumentReference.model_validate(
        clean(
            {
                "resourceType": "DocumentReference",
                "id": str(document.pk),
                "status": "current",
                "type": {"text": document.get_kind_display()},
                "subject": reference("Patient", document.patient_id),
                "date": instant(document.created_at),
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
