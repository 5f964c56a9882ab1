"""What carries resources: search bundles, errors and the capability statement."""

from django.conf import settings
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from .common import CONTENT_TYPE, FHIR_VERSION, as_json, clean


def bundle(resources, *, base_url, total=None, links=()):
    return Bundle.model_validate(
        clean(
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
        {"type": "ServiceRequest", "interaction": [{"code": "read"}]},
        {"type": "Task", "interaction": [{"code": "read"}]},
        {"type": "Consent", "interaction": [{"code": "read"}]},
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
