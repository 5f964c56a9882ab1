"""Personas shared by every app's tests (see docs/security.md): patient A and B, the
treating doctor, a verified doctor who does not treat A, an unverified doctor,
staff, and anonymous; signed-in clients for the pages and the API; and the data
about patient A that more than one app's tests read."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.tests.factories import StaffFactory, enrol_totp, session_token
from appointments.models import AppointmentStatus
from appointments.tests.factories import (
    AppointmentFactory,
    PastVisitFactory,
    bookable_consultation,
)
from billing.tests.factories import BillingSettingsFactory, issued_invoice
from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory
from encryption.tests.keys import TEST_ENCRYPTION_KEY
from patients.tests.factories import PatientFactory
from prescriptions.services import prescription_issue
from prescriptions.tests.factories import ITEM
from records import services as record_services
from records.tests.factories import signed_record, uploaded_blood_test


@pytest.fixture(autouse=True)
def _english_after_each_test():
    # A request in Hindi leaves Hindi active in the thread; the next test starts in
    # the default language, as a new request would.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _production_like_settings(settings, tmp_path):
    # Tests run with the production rules: two-factor required for doctors and
    # staff, uploads in a throwaway folder, background tasks run at once, a fixed
    # encryption key (debug is off in tests, so no development key is made).
    settings.MEDCONNECT_REQUIRE_MFA = True
    settings.MEDCONNECT_ENCRYPTION_KEYS = [TEST_ENCRYPTION_KEY]
    # Static files come from the apps (finders), never from a collectstatic left by
    # `make bench`: WhiteNoise would index all of it again for every test client.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
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
def slot_cache_on(settings):
    """Free slots and directory pages cached for ten minutes, as with Redis in production."""
    settings.MEDCONNECT_SLOT_CACHE_SECONDS = 600


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
def staff_client(login, staff):
    """A client signed in as staff."""
    return login(staff)


@pytest.fixture
def api():
    """api(user) -> an APIClient sending that user's X-Session-Token; api() -> anonymous."""

    def _api(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_X_SESSION_TOKEN=session_token(user))
        return client

    return _api


@pytest.fixture
def visit_type(doctor):
    """The treating doctor's 30-minute consultation, bookable every day 09:00-17:00
    (bookable_consultation), with the factory's rules: approval needed, two hours'
    notice, cancel and reschedule up to 24 hours before."""
    return bookable_consultation(doctor)


@pytest.fixture
def upcoming(patient_a, doctor):
    """Patient A's confirmed visit with `doctor`, a week ahead (made from the past-visit
    factory, so it shares the doctor's one "Consultation" visit type)."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    return PastVisitFactory(
        doctor=doctor,
        patient=patient_a,
        start=start,
        end=start + datetime.timedelta(minutes=30),
        status=AppointmentStatus.CONFIRMED,
    )


@pytest.fixture
def pending(patient_a, doctor):
    """Patient A's request to see `doctor` in three days, not yet answered."""
    return AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        status=AppointmentStatus.PENDING,
        start=timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3),
    )


@pytest.fixture
def started(patient_a, doctor):
    """Patient A's confirmed visit with `doctor`, begun ten minutes ago."""
    return AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        status=AppointmentStatus.CONFIRMED,
        start=timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=10),
    )


@pytest.fixture
def clinical(patient_a, doctor, unverified_doctor):
    """Patient A's records in every state, with `doctor` treating: a completed visit
    (`done`) with a signed record and a prescription, a visit with a draft record
    (`ongoing`), one with none yet (`fresh`), and a document A uploaded. The unverified
    doctor also once had an appointment with A."""
    done = PastVisitFactory(doctor=doctor, patient=patient_a)
    ongoing = PastVisitFactory(doctor=doctor, patient=patient_a, status=AppointmentStatus.CONFIRMED)
    fresh = PastVisitFactory(doctor=doctor, patient=patient_a, status=AppointmentStatus.CONFIRMED)
    PastVisitFactory(doctor=unverified_doctor, patient=patient_a)
    signed = signed_record(done)
    draft = record_services.consultation_record_create(
        appointment=ongoing, author=doctor.user, presenting_complaint="Headache"
    )
    prescription = prescription_issue(appointment=done, doctor_user=doctor.user, items=[ITEM])
    document = uploaded_blood_test(patient_a, document_date=done.start.date())
    return SimpleNamespace(
        patient=patient_a,
        doctor=doctor,
        done=done,
        ongoing=ongoing,
        fresh=fresh,
        signed=signed,
        draft=draft,
        prescription=prescription,
        document=document,
    )


@pytest.fixture
def billed_visit(patient_a, doctor):
    """One completed visit of patient A with `doctor`, with everything a visit can leave:
    a signed record, a prescription, a document A uploaded and an issued invoice."""
    BillingSettingsFactory()
    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    record = signed_record(visit)
    prescription = prescription_issue(appointment=visit, doctor_user=doctor.user, items=[ITEM])
    document = uploaded_blood_test(patient_a, document_date=visit.start.date())
    invoice = issued_invoice(
        appointment=visit,
        lines=[
            {
                "kind": "lab_test",
                "description": "Blood count",
                "quantity": Decimal("1"),
                "unit_price": Decimal("300.00"),
                "taxable": True,
            }
        ],
    )
    return SimpleNamespace(
        patient=patient_a,
        doctor=doctor,
        visit=visit,
        record=record,
        prescription=prescription,
        document=document,
        invoice=invoice,
    )
