"""An export's life: queued, running with its progress written every N rows, done with
a file for 24 hours, failed with its reason, cancelled mid-run with its partial file
removed, and expired by the periodic job with the clock past its window."""

import datetime as dt
import os
import tempfile

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from exports import services, sources
from exports.models import Export, ExportKind, ExportStatus
from operations.schedule import job_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    """The folder the worker writes partial files to, watched by the test."""
    folder = tmp_path / "partial"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _stored(settings_obj):
    root = settings_obj.STORAGES["default"]["OPTIONS"]["location"]
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files if "exports" in d]


def test_done_export_has_a_file_a_hash_and_a_24_hour_window(own_export, settings, private_temp):
    assert own_export.status == ExportStatus.DONE
    assert own_export.file.name.startswith("exports/") and own_export.size > 0
    assert len(own_export.sha256) == 64
    window = own_export.expires_at - own_export.finished_at
    assert (
        window
        == dt.timedelta(hours=settings.MEDCONNECT_EXPORT_RETENTION_HOURS)
        == dt.timedelta(hours=24)
    )
    assert list(private_temp.iterdir()) == []


def test_progress_is_written_every_n_rows_not_every_row(
    settings, queued_export, monkeypatch, private_temp
):
    settings.MEDCONNECT_EXPORT_PROGRESS_EVERY = 2
    seen = []
    real = services._progress

    def spy(export_id):
        report = real(export_id)

        def wrapped(done):
            report(done)
            seen.append(Export.objects.get(pk=export_id).rows_done)

        return wrapped

    monkeypatch.setattr(services, "_progress", spy)
    assert services.export_run(export_id=queued_export.pk) == ExportStatus.DONE
    queued_export.refresh_from_db()
    total = queued_export.rows_total
    assert seen == [*range(2, total + 1, 2), total] or seen == list(range(2, total + 1, 2))


def test_cancel_while_running_stops_and_removes_the_partial_file(
    settings, queued_export, monkeypatch, private_temp
):
    settings.MEDCONNECT_EXPORT_PROGRESS_EVERY = 1
    real_rows = sources.Source.rows

    def rows_then_cancel(self, chunk_size):
        for n, row in enumerate(real_rows(self, chunk_size)):
            if n == 2:  # the person clicks "Cancel export" while rows are written
                services.export_cancel(export=queued_export, actor=queued_export.requested_by)
                assert len(list(private_temp.iterdir())) == 1  # the partial file
            yield row

    monkeypatch.setattr(sources.Source, "rows", rows_then_cancel)
    assert services.export_run(export_id=queued_export.pk) == ExportStatus.CANCELLED
    queued_export.refresh_from_db()
    assert queued_export.status == ExportStatus.CANCELLED
    assert queued_export.rows_done == 2  # stopped at the next progress check
    assert not queued_export.file
    assert list(private_temp.iterdir()) == []
    assert _stored(settings) == []


def test_cancelled_before_it_starts_is_skipped(queued_export):
    services.export_cancel(export=queued_export, actor=queued_export.requested_by)
    assert services.export_run(export_id=queued_export.pk) == "skipped"


def test_a_failure_is_kept_with_its_reason(queued_export, monkeypatch, private_temp, login):
    def broken(export):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sources, "source_for", broken)
    assert services.export_run(export_id=queued_export.pk) == ExportStatus.FAILED
    queued_export.refresh_from_db()
    assert queued_export.status == ExportStatus.FAILED
    assert "unexpected error (RuntimeError)" in queued_export.error
    assert "disk on fire" not in queued_export.error  # internals stay in the log
    assert list(private_temp.iterdir()) == []
    page = login(queued_export.requested_by).get(reverse("exports:detail", args=[queued_export.pk]))
    assert "unexpected error (RuntimeError)" in page.text


def test_a_doctor_no_longer_treating_gets_a_failure_not_the_file(
    run, clinical, queued_export, settings
):
    export = Export.objects.create(
        requested_by=clinical.doctor.user,
        kind=ExportKind.PATIENT_HISTORY,
        patient=clinical.patient,
    )
    settings.MEDCONNECT_TREATING_MONTHS = 0
    clinical.patient.appointments.update(status="completed")
    assert services.export_run(export_id=export.pk) == ExportStatus.FAILED
    export.refresh_from_db()
    assert export.error == "You may no longer export this record." and not export.file


def test_expiry_job_deletes_files_past_their_window(
    own_export, monkeypatch, login, django_capture_on_commit_callbacks
):
    path = own_export.file.path
    assert os.path.exists(path)
    just_before = own_export.expires_at - dt.timedelta(seconds=1)
    assert services.export_expire_due(now=just_before) == 0
    # The clock stands one second past the window when the job runs.
    frozen = own_export.expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    job = job_named("export-expiry")
    assert job.task == "exports.tasks.expire_exports" and job.seconds == 15 * 60
    from exports.tasks import expire_exports

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_exports.call() == 1
    own_export.refresh_from_db()
    assert own_export.status == ExportStatus.EXPIRED and not own_export.file
    assert not os.path.exists(path)
    page = login(own_export.requested_by).get(
        reverse("exports:download", args=[own_export.pk]), follow=True
    )
    assert "This export has expired" in page.text
    assert expire_exports.call() == 0


def test_a_file_past_its_window_is_refused_even_before_the_job(own_export, monkeypatch, api):
    frozen = own_export.expires_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    response = api(own_export.requested_by).get(
        reverse("api:export_download", args=[own_export.pk])
    )
    assert response.status_code == 409 and "expired" in response.json()["detail"]


def test_a_damaged_file_is_refused(own_export, api):
    with open(own_export.file.path, "ab") as handle:
        handle.write(b"tampered")
    response = api(own_export.requested_by).get(
        reverse("api:export_download", args=[own_export.pk])
    )
    assert response.status_code == 409 and "damaged" in response.json()["detail"]


def test_at_most_three_open_exports_per_person(clinical):
    for _ in range(settings.MEDCONNECT_EXPORT_MAX_OPEN):
        Export.objects.create(
            requested_by=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already have 3 exports"):
        services.export_start(
            requester=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
        )


def test_an_export_whose_worker_is_gone_fails_at_the_sweep(queued_export):
    later = queued_export.created_at + dt.timedelta(hours=24, seconds=1)
    services.export_expire_due(now=later - dt.timedelta(seconds=2))
    queued_export.refresh_from_db()
    assert queued_export.status == ExportStatus.QUEUED
    services.export_expire_due(now=later)
    queued_export.refresh_from_db()
    assert queued_export.status == ExportStatus.FAILED
    assert "did not finish in time" in queued_export.error


def test_the_file_is_written_in_the_language_it_was_asked_in(run, clinical):
    from django.utils import translation

    with translation.override("hi"):
        export = run(
            requester=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
        )
    assert export.language == "hi"
    assert export.status == ExportStatus.DONE
