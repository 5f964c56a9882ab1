"""prescriptions/access.py: who may read and void a prescription, and when."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from prescriptions import access
from prescriptions.models import PrescriptionStatus
from prescriptions.tests.factories import PrescriptionFactory
from records.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prescription(doctor, patient_a):
    return PrescriptionFactory(appointment=AppointmentFactory(doctor=doctor, patient=patient_a))


def test_the_issuer_voids_once_and_the_patient_only_reads(prescription, doctor, patient_a):
    assert access.prescription_actions(doctor.user, prescription) == {"view", "void"}
    assert access.prescription_actions(patient_a, prescription) == {"view"}
    assert isinstance(
        access.prescription_refusal(patient_a, prescription, access.VOID), PermissionDenied
    )
    prescription.status = PrescriptionStatus.VOIDED
    assert access.prescription_actions(doctor.user, prescription) == {"view"}


def test_outsiders_may_do_nothing(prescription, patient_b, other_doctor):
    assert access.prescription_actions(patient_b, prescription) == set()
    assert access.prescription_actions(other_doctor.user, prescription) == set()


def test_the_void_button_follows_the_policy(prescription, doctor, patient_a, login):
    url = reverse("prescriptions:detail", args=[prescription.pk])
    assert "Void" in login(doctor.user).get(url).text
    assert ">Void<" not in login(patient_a).get(url).text
