"""Every export and download is in the audit trail; one holding a patient's data made
or downloaded by someone else shows in that patient's "Who viewed my record"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from exports.models import ExportKind

pytestmark = pytest.mark.django_db


def _events(export, action):
    return AuditEvent.objects.filter(
        object_type="exports.export", object_id=str(export.pk), action=action
    )


def test_doctors_export_and_download_show_in_who_viewed(
    doctor_export, clinical, login, django_capture_on_commit_callbacks
):
    doctor = login(clinical.doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert doctor.get(reverse("exports:download", args=[doctor_export.pk])).status_code == 200
    viewed = _events(doctor_export, AuditAction.VIEW).get()
    downloaded = _events(doctor_export, AuditAction.DOWNLOAD).get()
    assert viewed.patient == downloaded.patient == clinical.patient
    assert downloaded.actor == clinical.doctor.user and downloaded.path.endswith("/download/")
    page = login(clinical.patient).get(reverse("records:who_viewed"))
    assert f"Viewed Treatment history export #{doctor_export.pk}" in page.text
    assert f"Downloaded Treatment history export #{doctor_export.pk}" in page.text
    assert "Dr. Ravi Treating" in page.text


def test_patients_own_export_is_audited_but_not_listed_as_someone_else(own_export, clinical, login):
    login(clinical.patient).get(reverse("exports:download", args=[own_export.pk]))
    assert _events(own_export, AuditAction.VIEW).get().actor == clinical.patient
    assert _events(own_export, AuditAction.DOWNLOAD).get().actor == clinical.patient
    page = login(clinical.patient).get(reverse("records:who_viewed"))
    assert "Treatment history export" not in page.text


def test_staff_period_export_shows_in_each_patients_log(
    run, staff, clinical, patient_b, doctor, staff_client, login, django_capture_on_commit_callbacks
):
    from appointments.tests.factories import PastVisitFactory

    PastVisitFactory(doctor=doctor, patient=patient_b)
    today = timezone.localdate()
    export = run(
        requester=staff,
        kind=ExportKind.APPOINTMENTS,
        date_from=today - dt.timedelta(days=365),
        date_to=today + dt.timedelta(days=30),
    )
    assert _events(export, AuditAction.CREATE).get().actor == staff
    patients = set(_events(export, AuditAction.VIEW).values_list("patient__email", flat=True))
    assert patients == {"asha@example.com", "bela@example.com"}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.get(reverse("admin:exports_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert _events(export, AuditAction.DOWNLOAD).filter(patient=patient_b).exists()
    page = login(patient_b).get(reverse("records:who_viewed"))
    assert f"Appointments export #{export.pk}" in page.text and "Sam Staff" in page.text
