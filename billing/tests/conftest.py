import pytest

from billing.tests.factories import AppointmentFactory, BillingSettingsFactory, issued_invoice


@pytest.fixture
def billing_settings(db):
    """The clinic's billing settings: Sunrise Clinic, GST at 18%, receipts numbered MC-."""
    return BillingSettingsFactory()


@pytest.fixture
def visit(billing_settings, patient_a, doctor):
    """Patient A's completed visit with the treating doctor."""
    return AppointmentFactory(patient=patient_a, doctor=doctor)


@pytest.fixture
def invoice(visit):
    """The visit's invoice, issued by the doctor with the consultation line only."""
    return issued_invoice(appointment=visit)
