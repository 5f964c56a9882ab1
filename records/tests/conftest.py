from types import SimpleNamespace

import pytest

from appointments.models import AppointmentStatus
from prescriptions.services import prescription_issue
from records import services
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


@pytest.fixture
def clinical(patient_a, doctor, unverified_doctor):
    """Patient A treated by `doctor`: a signed record, a draft, a prescription and a
    document A uploaded. The unverified doctor also once had an appointment with A."""
    done = AppointmentFactory(doctor=doctor, patient=patient_a)
    ongoing = AppointmentFactory(
        doctor=doctor, patient=patient_a, status=AppointmentStatus.CONFIRMED
    )
    fresh = AppointmentFactory(doctor=doctor, patient=patient_a, status=AppointmentStatus.CONFIRMED)
    AppointmentFactory(doctor=unverified_doctor, patient=patient_a)
    signed = services.consultation_record_create(
        appointment=done, author=doctor.user, presenting_complaint="Cough", diagnosis="Bronchitis"
    )
    services.consultation_record_sign(record=signed, author=doctor.user)
    draft = services.consultation_record_create(
        appointment=ongoing, author=doctor.user, presenting_complaint="Headache"
    )
    prescription = prescription_issue(appointment=done, doctor_user=doctor.user, items=[ITEM])
    document = services.document_upload(
        patient=patient_a,
        uploader=patient_a,
        uploaded_file=upload("blood-test.pdf", pdf_bytes()),
        kind=DocumentKind.LAB_REPORT,
        document_date=done.start.date(),
        description="Full blood count",
    )
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
