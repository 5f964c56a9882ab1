"""Domain objects as FHIR resources, each built as JSON and validated by a
fhir.resources model (R4B, which for these resources is the R4 wire format).

Nothing here reads the database: callers load what a resource needs in bulk.
One module per group of resources: the directory (practitioners, schedules,
slots), appointments, the patient's record, and the envelopes that carry them
(bundles, errors, the capability statement).
"""

from .appointment import APPOINTMENT_STATUS, appointment
from .common import (
    CONTENT_TYPE,
    FHIR_VERSION,
    as_json,
    license_system,
    patient_ref,
    practitioner_ref,
)
from .directory import practitioner, schedule, slot, slot_id
from .envelopes import bundle, capability_statement, operation_outcome
from .record import (
    ACT_CODE,
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    GENDER,
    allergy,
    condition,
    document_reference,
    encounter,
    encounter_diagnosis,
    medication_request,
    patient,
)
from .referral import consent, service_request, task

__all__ = [
    "ACT_CODE",
    "ALLERGY_CLINICAL",
    "ALLERGY_VERIFICATION",
    "APPOINTMENT_STATUS",
    "CONDITION_CATEGORY",
    "CONDITION_CLINICAL",
    "CONDITION_VERIFICATION",
    "CONTENT_TYPE",
    "FHIR_VERSION",
    "GENDER",
    "allergy",
    "appointment",
    "as_json",
    "bundle",
    "capability_statement",
    "condition",
    "consent",
    "document_reference",
    "encounter",
    "encounter_diagnosis",
    "license_system",
    "medication_request",
    "operation_outcome",
    "patient",
    "patient_ref",
    "practitioner",
    "practitioner_ref",
    "schedule",
    "service_request",
    "slot",
    "slot_id",
    "task",
]
