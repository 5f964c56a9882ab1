"""A referral as FHIR: the ServiceRequest (what is asked of whom), its Task (where the
referral stands) and the patient's Consent (what the specialist may see, and until
when). The ids are the referral's; shared items point at the record's own resources
(Encounter = consultation record, MedicationRequest group = prescription,
DocumentReference = document)."""

from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from network.models import ConsentStatus, Urgency
from network.models import ReferralStatus as RS

from .common import clean, instant, patient_ref, practitioner_ref, reference

SERVICE_REQUEST_STATUS = {
    RS.REQUESTED: "draft",
    RS.AWAITING_PATIENT: "draft",
    RS.SENT: "active",
    RS.ACCEPTED: "active",
    RS.BOOKED: "active",
    RS.SEEN: "active",
    RS.REPORT_RETURNED: "active",
    RS.CLOSED: "completed",
    RS.DECLINED: "revoked",
    RS.CANCELLED: "revoked",
}
TASK_STATUS = {
    RS.REQUESTED: "draft",
    RS.AWAITING_PATIENT: "on-hold",
    RS.SENT: "requested",
    RS.ACCEPTED: "accepted",
    RS.DECLINED: "rejected",
    RS.BOOKED: "in-progress",
    RS.SEEN: "in-progress",
    RS.REPORT_RETURNED: "completed",
    RS.CLOSED: "completed",
    RS.CANCELLED: "cancelled",
}
CONSENT_STATUS = {
    ConsentStatus.NOT_ASKED: "draft",
    ConsentStatus.PENDING: "proposed",
    ConsentStatus.GIVEN: "active",
    ConsentStatus.REFUSED: "rejected",
}
SNOMED = "http://snomed.info/sct"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _item_reference(item):
    if item.record_id:
        return reference("Encounter", item.record_id, "Consultation record")
    if item.prescription_id:
        return {"display": f"Prescription {item.prescription_id}"}
    if item.document_id:
        return reference("DocumentReference", item.document_id, "Document")
    return {"display": f"Medical history: {item.get_section_display()}"}


def service_request(referral, items):
    return ServiceRequest.model_validate(
        clean(
            {
                "resourceType": "ServiceRequest",
                "id": str(referral.pk),
                "status": SERVICE_REQUEST_STATUS[referral.status],
                "intent": "order",
                "category": [
                    {"coding": [{"system": SNOMED, "code": "3457005", "display": "Referral"}]}
                ],
                "priority": "urgent" if referral.urgency == Urgency.URGENT else "routine",
                "subject": patient_ref(referral.patient),
                "authoredOn": instant(referral.created_at),
                "requester": practitioner_ref(referral.referring_doctor),
                "performer": [practitioner_ref(referral.specialist)],
                "reasonCode": [{"text": referral.reason}],
                "note": [{"text": referral.clinical_question}]
                if referral.clinical_question
                else [],
                "supportingInfo": [_item_reference(item) for item in items],
            }
        )
    )


def task(referral):
    outputs = []
    if referral.report_record_id:
        outputs.append(
            {
                "type": {"text": "Report"},
                "valueReference": reference("Encounter", referral.report_record_id),
            }
        )
    if referral.appointment_id:
        outputs.append(
            {
                "type": {"text": "Visit"},
                "valueReference": reference("Appointment", referral.appointment_id),
            }
        )
    return Task.model_validate(
        clean(
            {
                "resourceType": "Task",
                "id": str(referral.pk),
                "basedOn": [reference("ServiceRequest", referral.pk)],
                "focus": reference("ServiceRequest", referral.pk),
                "status": TASK_STATUS[referral.status],
                "statusReason": {"text": referral.status_reason},
                "businessStatus": {"text": referral.get_status_display()},
                "intent": "order",
                "priority": "urgent" if referral.urgency == Urgency.URGENT else "routine",
                "for": patient_ref(referral.patient),
                "authoredOn": instant(referral.created_at),
                "lastModified": instant(referral.updated_at),
                "requester": practitioner_ref(referral.referring_doctor),
                "owner": practitioner_ref(referral.specialist),
                "output": outputs,
            }
        )
    )


def consent(referral, items, *, active):
    status = CONSENT_STATUS[referral.consent_status]
    if status == "active" and not active:
        status = "inactive"  # revoked, expired or ended with the referral
    end = referral.grant_revoked_at or referral.grant_ended_at or referral.grant_expires_at
    return Consent.model_validate(
        clean(
            {
                "resourceType": "Consent",
                "id": str(referral.pk),
                "status": status,
                "scope": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                            "code": "patient-privacy",
                        }
                    ]
                },
                "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                "patient": patient_ref(referral.patient),
                "dateTime": instant(referral.consent_decided_at),
                "performer": [patient_ref(referral.patient)],
                "sourceReference": reference("ServiceRequest", referral.pk),
                "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN"}]},
                "provision": {
                    "type": "permit",
                    "period": {"start": instant(referral.sent_at), "end": instant(end)},
                    "actor": [
                        {
                            "role": {"coding": [{"system": ACT_CODE, "code": "PRCP"}]},
                            "reference": practitioner_ref(referral.specialist),
                        }
                    ],
                    "data": [
                        {"meaning": "instance", "reference": _item_reference(item)}
                        for item in items
                    ],
                },
            }
        )
    )
