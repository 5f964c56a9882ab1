import pytest

from billing.tests.factories import AppointmentFactory, BillingSettingsFactory


@pytest.fixture
def clinic(db):
    return BillingSettingsFactory()


@pytest.fixture
def visit(clinic, patient_a, doctor):
    """Patient A's completed visit with the treating doctor."""
    return AppointmentFactory(patient=patient_a, doctor=doctor)
