"""The network's own scenario: patient A's treating doctor (`doctor`) refers A to a
connected colleague (`specialist`) who has weekly hours and a consultation type."""

import pytest

from accounts.tests.factories import enrol_totp
from appointments.tests.factories import bookable_consultation
from doctors.tests.factories import DoctorFactory
from network import referrals as svc

from .factories import refer


@pytest.fixture
def specialist(db):
    profile = DoctorFactory(user__full_name="Sara Specialist", user__email="sara@example.com")
    enrol_totp(profile.user)
    return profile


@pytest.fixture
def specialist_visit_type(specialist):
    return bookable_consultation(specialist)


@pytest.fixture
def awaiting(clinical, specialist):
    """A referral of patient A to the specialist, waiting for A's consent."""
    return refer(clinical, specialist)


@pytest.fixture
def sent(awaiting, clinical):
    """The same referral after A agreed."""
    return svc.referral_consent(referral=awaiting, actor=clinical.patient, agree=True)


@pytest.fixture
def accepted(sent, specialist):
    return svc.referral_accept(referral=sent, actor=specialist.user)
