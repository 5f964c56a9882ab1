import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments.models import AppointmentStatus
from records import services
from records.models import ConsultationRecord, RecordStatus
from records.tests.factories import AppointmentFactory


def test_doctor_writes_signs_amends_and_voids(doctor, patient_a, login):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    client = login(doctor.user)
    start = reverse("records:consultation_start", args=[appointment.pk])
    assert client.get(start).status_code == 200
    response = client.post(
        start, {"presenting_complaint": "Fever", "diagnosis": "Viral fever", "plan": "Paracetamol"}
    )
    record = ConsultationRecord.objects.get()
    assert response["Location"] == reverse("records:record_edit", args=[record.pk])
    assert record.status == RecordStatus.DRAFT
    # The patient does not see a draft.
    assert (
        login(patient_a).get(reverse("records:record_detail", args=[record.pk])).status_code == 404
    )

    client.post(reverse("records:record_sign", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RecordStatus.SIGNED and record.version == 1
    # A signed record is no longer editable as a draft.
    client.post(reverse("records:record_edit", args=[record.pk]), {"diagnosis": "Changed"})
    record.refresh_from_db()
    assert record.diagnosis == "Viral fever"

    client.post(
        reverse("records:record_amend", args=[record.pk]),
        {
            "presenting_complaint": "Fever",
            "diagnosis": "Dengue",
            "plan": "Paracetamol",
            "reason": "NS1 antigen came back positive",
        },
    )
    record.refresh_from_db()
    assert record.diagnosis == "Dengue" and record.version == 2
    page = login(patient_a).get(reverse("records:record_detail", args=[record.pk])).content.decode()
    assert "Dengue" in page and "Viral fever" in page and "NS1 antigen" in page

    client.post(reverse("records:record_void", args=[record.pk]), {"reason": "Wrong patient"})
    record.refresh_from_db()
    assert record.status == RecordStatus.VOIDED and record.void_reason == "Wrong patient"
    assert record.voided_by == doctor.user
    assert ConsultationRecord.objects.count() == 1  # never deleted
    # A voided record frees the appointment for a new one.
    assert (
        client.get(reverse("records:consultation_start", args=[appointment.pk])).status_code == 200
    )


def test_no_record_for_a_cancelled_appointment(doctor, patient_a):
    appointment = AppointmentFactory(
        doctor=doctor, patient=patient_a, status=AppointmentStatus.CANCELLED
    )
    with pytest.raises(ValidationError):
        services.consultation_record_create(appointment=appointment, author=doctor.user, plan="x")


def test_one_live_record_per_appointment(doctor, patient_a):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    services.consultation_record_create(appointment=appointment, author=doctor.user, plan="x")
    with pytest.raises(ValidationError):
        services.consultation_record_create(appointment=appointment, author=doctor.user, plan="y")


def test_void_needs_a_reason_and_signing_needs_text(doctor, patient_a, login):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    record = services.consultation_record_create(appointment=appointment, author=doctor.user)
    with pytest.raises(ValidationError):
        services.consultation_record_sign(record=record, author=doctor.user)
    response = login(doctor.user).post(
        reverse("records:record_void", args=[record.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


def test_script_in_a_record_is_escaped(doctor, patient_a, login):
    appointment = AppointmentFactory(doctor=doctor, patient=patient_a)
    record = services.consultation_record_create(
        appointment=appointment, author=doctor.user, diagnosis="<script>alert(1)</script>"
    )
    services.consultation_record_sign(record=record, author=doctor.user)
    page = login(patient_a).get(reverse("records:record_detail", args=[record.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
