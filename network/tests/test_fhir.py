"""A referral as FHIR ServiceRequest, Task and Consent, validated with fhir.resources."""

import pytest
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from network import referrals as svc

pytestmark = pytest.mark.django_db


def test_referral_resources_for_its_parties(api, sent, clinical, specialist):
    for user in (clinical.patient, clinical.doctor.user, specialist.user):
        client = api(user)
        request = client.get(f"/fhir/ServiceRequest/{sent.pk}")
        assert request.status_code == 200
        resource = ServiceRequest.model_validate(request.json())
        assert resource.status == "active" and resource.priority == "routine"
        assert resource.requester.reference == f"Practitioner/{clinical.doctor.pk}"
        assert f"DocumentReference/{clinical.document.pk}" in [
            s.reference for s in resource.supportingInfo
        ]
        task = Task.model_validate(client.get(f"/fhir/Task/{sent.pk}").json())
        assert (
            task.status == "requested" and task.owner.reference == f"Practitioner/{specialist.pk}"
        )
        consent = Consent.model_validate(client.get(f"/fhir/Consent/{sent.pk}").json())
        assert consent.status == "active"


def test_consent_turns_inactive_after_revoke(api, sent, clinical):
    svc.referral_revoke(referral=sent, actor=clinical.patient)
    consent = api(clinical.patient).get(f"/fhir/Consent/{sent.pk}").json()
    assert consent["status"] == "inactive" and consent["provision"]["period"]["end"]


def test_outsiders_get_an_operation_outcome_404(api, sent, other_doctor, staff, patient_b):
    for user in (other_doctor.user, staff, patient_b):
        response = api(user).get(f"/fhir/ServiceRequest/{sent.pk}")
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
    assert api().get(f"/fhir/Task/{sent.pk}").status_code == 401
