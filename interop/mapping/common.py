"""What every FHIR resource of MedConnect shares: the wire format, references
between resources, and the removal of the empty values FHIR forbids."""

import json

from django.conf import settings

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"


def license_system():
    return f"{settings.MEDCONNECT_SITE_URL}/fhir/sid/license-id"


def as_json(resource):
    """A validated fhir.resources model as plain JSON data."""
    return json.loads(resource.model_dump_json())


def instant(value):
    return value.isoformat() if value else None


def clean(data):
    """Drop empty values: FHIR forbids empty strings, lists and objects."""
    if isinstance(data, dict):
        cleaned = {key: clean(value) for key, value in data.items()}
        return {key: value for key, value in cleaned.items() if value not in (None, "", [], {})}
    if isinstance(data, list):
        cleaned = [clean(value) for value in data]
        return [value for value in cleaned if value not in (None, "", [], {})]
    return data


def reference(kind, pk, display=""):
    return {"reference": f"{kind}/{pk}", "display": display}


def practitioner_ref(doctor):
    return reference("Practitioner", doctor.pk, doctor.user.display_name)


def patient_ref(patient):
    return reference("Patient", patient.pk, patient.full_name)
