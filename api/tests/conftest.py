"""API test helpers: signed-in API clients (allauth session tokens) and patient A's
clinical record, seen by the personas of the root conftest."""

from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from rest_framework.test import APIClient

from appointments.models import AppointmentStatus
from billing.tests.factories import BillingSettingsFactory, issued_invoice
from encryption.tests.keys import TEST_ENCRYPTION_KEY
from prescriptions.services import prescription_issue
from records import services as record_services
from records.models import DocumentKind
from records.tests.factories import AppointmentFactory, pdf_bytes, upload

ITEM = {
    "drug": "Amoxicillin",
    "strength": "500 mg",
    "form": "Capsule",
    "dose": "1 capsule",
    "frequency": "Three times a day",
    "route": "Oral",
    "duration": "5 days",
    "quantity": "15",
    "instructions": "After food",
}


@pytest.fixture(autouse=True)
def _encryption_keys(settings):
    settings.MEDCONNECT_ENCRYPTION_KEYS = [TEST_ENCRYPTION_KEY]


def session_token(user):
    """A headless-API session token for `user`, as /_allauth/app/v1/auth/login issues."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


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
def clinical(patient_a, doctor):
    """Patient A treated by `doctor`: a signed record, a prescription, a document A
    uploaded and an issued invoice, all of one completed visit."""
    BillingSettingsFactory()
    visit = AppointmentFactory(doctor=doctor, patient=patient_a)
    record = record_services.consultation_record_create(
        appointment=visit, author=doctor.user, presenting_complaint="Cough", diagnosis="Bronchitis"
    )
    record_services.consultation_record_sign(record=record, author=doctor.user)
    prescription = prescription_issue(appointment=visit, doctor_user=doctor.user, items=[ITEM])
    document = record_services.document_upload(
        patient=patient_a,
        uploader=patient_a,
        uploaded_file=upload("blood-test.pdf", pdf_bytes()),
        kind=DocumentKind.LAB_REPORT,
        document_date=visit.start.date(),
        description="Full blood count",
    )
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


@pytest.fixture
def upcoming(patient_a, doctor):
    """Patient A's confirmed visit with `doctor`, a week ahead."""
    import datetime

    from django.utils import timezone

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    return AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        start=start,
        end=start + datetime.timedelta(minutes=30),
        status=AppointmentStatus.CONFIRMED,
    )
