import pytest

from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory


@pytest.fixture
def pending_doctor(db):
    """Vikram Rao, a doctor who signed up and waits for staff to check the license."""
    return DoctorFactory(
        user__full_name="Vikram Rao",
        user__email="vikram@example.com",
        license_id="MMC-2020-1234",
        verification_status=VerificationStatus.PENDING,
    )
