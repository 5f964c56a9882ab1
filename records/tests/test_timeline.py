import datetime

import pytest
from django.urls import reverse

from audit.models import AuditAction
from audit.services import audit_record
from prescriptions.tests.factories import PrescriptionFactory, PrescriptionItemFactory
from records.models import Document, DocumentKind, RecordStatus
from records.tests.factories import AppointmentFactory, ConsultationRecordFactory


def _fill(doctor, patient, n):
    for i in range(n):
        appointment = AppointmentFactory(doctor=doctor, patient=patient)
        ConsultationRecordFactory(
            appointment=appointment, status=RecordStatus.SIGNED, signed_at=appointment.end
        )
        prescription = PrescriptionFactory(appointment=appointment)
        PrescriptionItemFactory(prescription=prescription, position=1)
        PrescriptionItemFactory(prescription=prescription, position=2)
        Document.objects.create(
            patient=patient,
            uploaded_by=patient,
            kind=DocumentKind.OTHER,
            document_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            description=f"Note {i}",
            file=f"documents/aa/bb/{i}",
            original_filename=f"note-{i}.txt",
            content_type="text/plain",
            size=1,
            sha256="0" * 64,
        )


def test_timeline_shows_everything_newest_first(clinical, login):
    page = login(clinical.patient).get(reverse("records:timeline", args=[clinical.patient.pk]))
    entries = page.context["page"].object_list
    assert {e.kind for e in entries} == {"appointment", "record", "prescription", "document"}
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    # The patient does not see the doctor's draft; the doctor does.
    assert clinical.draft not in [e.obj for e in entries]
    doctor_view = login(clinical.doctor.user).get(
        reverse("records:timeline", args=[clinical.patient.pk])
    )
    assert clinical.draft in [e.obj for e in doctor_view.context["page"].object_list]


def test_timeline_filters(clinical, login):
    client = login(clinical.patient)
    url = reverse("records:timeline", args=[clinical.patient.pk])
    entries = client.get(url, {"kind": "prescription"}).context["page"].object_list
    assert [e.obj for e in entries] == [clinical.prescription]
    far_future = (datetime.date.today() + datetime.timedelta(days=3650)).isoformat()
    assert list(client.get(url, {"date_from": far_future}).context["page"].object_list) == []
    response = client.get(url, {"date_from": "2024-05-02", "date_to": "2024-05-01"})
    assert "The end date is before the start date." in response.content.decode()


@pytest.mark.parametrize("who", ["patient", "doctor"])
def test_timeline_query_count_does_not_grow(
    patient_a, doctor, login, django_assert_num_queries, who
):
    _fill(doctor, patient_a, 30)
    client = login(patient_a if who == "patient" else doctor.user)
    url = reverse("records:timeline", args=[patient_a.pk])
    client.get(url)  # warm the session
    # session, user, patient, 4 kinds, unread notices; a doctor adds two-factor,
    # profile, treating check and the audit row.
    expected = 8 if who == "patient" else 12
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50


def test_documents_list_query_count(patient_a, doctor, login, django_assert_num_queries):
    _fill(doctor, patient_a, 30)
    client = login(patient_a)
    url = reverse("records:documents", args=[patient_a.pk])
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_who_viewed_my_record(clinical, other_doctor, login, django_assert_num_queries):
    doctor = login(clinical.doctor.user)
    doctor.get(reverse("records:record_detail", args=[clinical.signed.pk]))
    doctor.get(reverse("prescriptions:pdf", args=[clinical.prescription.pk]))
    # A refused attempt is in the audit trail but is not a "view".
    login(other_doctor.user).get(reverse("records:timeline", args=[clinical.patient.pk]))
    patient = login(clinical.patient)
    patient.get(reverse("records:timeline", args=[clinical.patient.pk]))  # own views are not listed

    response = patient.get(reverse("records:who_viewed"))
    events = list(response.context["page"].object_list)
    assert [e.action for e in events] == [AuditAction.DOWNLOAD, AuditAction.VIEW]
    assert all(e.actor == clinical.doctor.user for e in events)
    page = response.content.decode()
    assert "Dr. Ravi Treating" in page and "Downloaded" in page

    for _ in range(40):
        audit_record(
            actor=clinical.doctor.user,
            action=AuditAction.VIEW,
            patient=clinical.patient,
            object_type="records.timeline",
        )
    with django_assert_num_queries(5):
        patient.get(reverse("records:who_viewed"))


def test_who_viewed_is_for_patients_only(doctor, login):
    assert login(doctor.user).get(reverse("records:who_viewed")).status_code == 404
