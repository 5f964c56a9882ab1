"""Exports as the personas ask for them, run at once by the immediate task backend
once the request's transaction commits, and the CSV they produced."""

import csv
import io

import pytest

from exports import services
from exports.models import Export, ExportKind


def csv_rows(export):
    """The rows of the export's file (header first), as a spreadsheet would read them."""
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def body_rows(response):
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(**export_start kwargs) -> the export, after its task ran."""

    def _run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            export = services.export_start(**kwargs)
        export.refresh_from_db()
        return export

    return _run


@pytest.fixture
def own_export(run, clinical):
    """Patient A's finished export of their own treatment history."""
    return run(
        requester=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
    )


@pytest.fixture
def doctor_export(run, clinical):
    """The treating doctor's finished export of patient A's history."""
    return run(
        requester=clinical.doctor.user, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
    )


@pytest.fixture
def queued_export(clinical):
    """Patient A's export, queued and not yet run (its task never enqueued)."""
    return Export.objects.create(
        requested_by=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient
    )
