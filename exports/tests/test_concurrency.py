"""Exports under concurrent requests, on PostgreSQL: one person's starts are counted
under a lock, and a cancel racing the end of a run leaves either a finished export
with its file or a cancelled one with no file at all."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appointments.tests.factories import PastVisitFactory, run_at_once, run_together
from doctors.tests.factories import DoctorFactory
from exports import services
from exports.models import Export, ExportKind, ExportStatus
from patients.tests.factories import PatientFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]


@pytest.fixture
def queue_only(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_many_starts_at_once_open_at_most_the_limit(queue_only, settings):
    patient = PatientFactory().user
    results = run_at_once(
        8,
        lambda _i: services.export_start(
            requester=patient, kind=ExportKind.PATIENT_HISTORY, patient=patient
        ),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 8 - settings.MEDCONNECT_EXPORT_MAX_OPEN
    assert Export.objects.count() == settings.MEDCONNECT_EXPORT_MAX_OPEN


@pytest.mark.parametrize("round_", range(4))
def test_cancel_racing_the_finish_never_leaves_a_file_behind(queue_only, settings, round_):
    patient = PatientFactory().user
    doctor = DoctorFactory()
    for _ in range(30):
        PastVisitFactory(doctor=doctor, patient=patient)
    settings.MEDCONNECT_EXPORT_PROGRESS_EVERY = 5
    export = services.export_start(
        requester=patient, kind=ExportKind.PATIENT_HISTORY, patient=patient
    )
    ran, cancelled = run_together(
        lambda: services.export_run(export_id=export.pk),
        lambda: services.export_cancel(export=export, actor=patient),
    )
    export.refresh_from_db()
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    stored = [f for _d, _s, files in os.walk(root) for f in files]
    if export.status == ExportStatus.DONE:
        assert isinstance(cancelled, ValidationError)
        assert export.file and os.path.exists(export.file.path)
    else:
        assert export.status == ExportStatus.CANCELLED and not export.file
        assert stored == []
