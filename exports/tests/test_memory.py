"""An export's memory does not grow with its rows: rows are read in chunks and written
as they come. The peak of traced allocations over an export of 4N appointments stays
close to the peak over N (a list of every row would make it about four times as much).
The large run is measured by `manage.py export_bench` (README, Exports)."""

import datetime as dt
import gc
import tracemalloc

import pytest

from appointments.tests.factories import bookable_consultation
from exports import services
from exports.bench import appointments_bulk_make
from exports.models import Export, ExportKind, ExportStatus
from patients.tests.factories import bulk_patients

pytestmark = pytest.mark.django_db

N = 400


def _peak_of_export(staff, rows_from, rows_to):
    export = Export.objects.create(
        requested_by=staff,
        kind=ExportKind.APPOINTMENTS,
        date_from=rows_from,
        date_to=rows_to,
    )
    gc.collect()
    tracemalloc.start()
    try:
        status = services.export_run(export_id=export.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == ExportStatus.DONE
    export.refresh_from_db()
    return export.rows_done, peak


def test_peak_memory_does_not_grow_with_the_rows(settings, staff, doctor):
    settings.MEDCONNECT_EXPORT_CHUNK_SIZE = 50
    settings.MEDCONNECT_EXPORT_PROGRESS_EVERY = 50
    visit_type = bookable_consultation(doctor)
    patients = bulk_patients(20)
    first = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    # N visits in 2021, 4N in 2022 (hourly, so N = 400 fits in a month).
    appointments_bulk_make(
        count=N, doctor=doctor, patients=patients, visit_type=visit_type, first=first
    )
    appointments_bulk_make(
        count=4 * N,
        doctor=doctor,
        patients=patients,
        visit_type=visit_type,
        first=first.replace(year=2022),
    )
    small_period = (dt.date(2020, 12, 31), dt.date(2021, 12, 31))
    large_period = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    _peak_of_export(staff, *small_period)  # warm-up: imports, translations, caches
    rows_small, peak_small = _peak_of_export(staff, *small_period)
    rows_large, peak_large = _peak_of_export(staff, *large_period)
    assert (rows_small, rows_large) == (N, 4 * N)
    assert peak_large < peak_small * 1.5, (peak_small, peak_large)
