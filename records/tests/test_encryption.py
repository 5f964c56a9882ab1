"""Clinical text is encrypted at rest, and survives a key rotation."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from encryption.tests.keys import TEST_ENCRYPTION_KEY
from prescriptions.models import Prescription, PrescriptionItem
from prescriptions.tests.factories import ITEM
from records.models import ConsultationRecord
from records.services import consultation_record_create
from records.tests.factories import AppointmentFactory

SECRET = "Suspected tuberculosis, HIV test positive"


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def record(doctor, patient_a):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    return consultation_record_create(appointment=appointment, author=doctor.user, diagnosis=SECRET)


def test_database_holds_no_plaintext(record, clinical):
    raw = _raw("records_consultationrecord", "diagnosis", record.pk)
    assert SECRET not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert ConsultationRecord.objects.get(pk=record.pk).diagnosis == SECRET
    item = clinical.prescription.items.get()
    assert ITEM["instructions"] not in _raw(
        "prescriptions_prescriptionitem", "instructions", item.pk
    )
    assert "Full blood count" not in _raw("records_document", "description", clinical.document.pk)


def test_rotation_then_old_key_removed_everything_reads(record, clinical, settings):
    new_key = Fernet.generate_key().decode()
    before = _raw("records_consultationrecord", "diagnosis", record.pk)
    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key, TEST_ENCRYPTION_KEY]

    out = io.StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert "Would re-encrypt" in out.getvalue()
    assert _raw("records_consultationrecord", "diagnosis", record.pk) == before

    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "records.ConsultationRecord.diagnosis: " in out.getvalue()
    assert _raw("records_consultationrecord", "diagnosis", record.pk) != before

    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key]
    assert ConsultationRecord.objects.get(pk=record.pk).diagnosis == SECRET
    assert PrescriptionItem.objects.get().instructions == ITEM["instructions"]
    assert Prescription.objects.get().pk == clinical.prescription.pk
    assert clinical.document.__class__.objects.get().description == "Full blood count"

    # Running again finds nothing left to do.
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "Re-encrypted 0 value(s) in total." in out.getvalue()


def test_unknown_key_fails_loudly(record, settings):
    settings.MEDCONNECT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        ConsultationRecord.objects.get(pk=record.pk).diagnosis  # noqa: B018
