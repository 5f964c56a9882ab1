"""Personas shared by every app's tests (see docs/security.md): patient A and B, the
treating doctor, a verified doctor who does not treat A, an unverified doctor,
staff, and anonymous."""

import pytest
from django.test import Client

from accounts.tests.factories import StaffFactory, enrol_totp
from appointments.tests.factories import bookable_consultation
from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory
from encryption.tests.keys import TEST_ENCRYPTION_KEY
from patients.tests.factories import PatientFactory


@pytest.fixture(autouse=True)
def _production_like_settings(settings, tmp_path):
    # Tests run with the production rules: two-factor required for doctors and
    # staff, uploads in a throwaway folder, background tasks run at once, a fixed
    # encryption key (debug is off in tests, so no development key is made).
    settings.MEDCONNECT_REQUIRE_MFA = True
    settings.MEDCONNECT_ENCRYPTION_KEYS = [TEST_ENCRYPTION_KEY]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private-media", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def patient_a(db):
    return PatientFactory(user__full_name="Asha Patient", user__email="asha@example.com").user


@pytest.fixture
def patient_b(db):
    return PatientFactory(user__full_name="Bela Patient", user__email="bela@example.com").user


@pytest.fixture
def doctor(db):
    """A verified doctor with two-factor enrolled (the treating doctor once booked)."""
    profile = DoctorFactory(user__full_name="Ravi Treating", user__email="ravi@example.com")
    enrol_totp(profile.user)
    return profile


@pytest.fixture
def other_doctor(db):
    profile = DoctorFactory(user__full_name="Olga Other", user__email="olga@example.com")
    enrol_totp(profile.user)
    return profile


@pytest.fixture
def unverified_doctor(db):
    profile = DoctorFactory(
        user__full_name="Uma Pending",
        user__email="uma@example.com",
        verification_status=VerificationStatus.PENDING,
    )
    enrol_totp(profile.user)
    return profile


@pytest.fixture
def staff(db):
    user = StaffFactory(full_name="Sam Staff", email="sam@example.com")
    enrol_totp(user)
    return user


@pytest.fixture
def login():
    """Return a test client signed in as the given user."""

    def _login(user):
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def visit_type(doctor):
    """The treating doctor's 30-minute consultation, bookable every day 09:00-17:00
    (bookable_consultation), with the factory's rules: approval needed, two hours'
    notice, cancel and reschedule up to 24 hours before."""
    return bookable_consultation(doctor)
