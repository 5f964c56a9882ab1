"""A patient exports their treatment history: starts it from their record's Exports
tab, watches the progress bar move while the worker runs it, and downloads the CSV."""

import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from appointments.tests.factories import PastVisitFactory
from doctors.tests.factories import DoctorFactory
from exports import services
from exports.models import Export
from patients.tests.factories import PatientFactory
from records.tests.factories import signed_record

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def worker_later(settings):
    """The export waits in the queue until the journey runs the worker's step itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDCONNECT_EXPORT_POLL_SECONDS = 1


def test_patient_exports_watches_progress_and_downloads(
    transactional_db, live_server, signed_in_page, worker_later
):
    patient = PatientFactory(user__full_name="Asha Patient").user
    doctor = DoctorFactory(user__full_name="Ravi Treating")
    signed_record(PastVisitFactory(doctor=doctor, patient=patient))

    page = signed_in_page(patient)
    page.goto(live_server.url + reverse("records:patient", args=[patient.pk]))
    page.get_by_role("navigation", name="Health record sections").get_by_role(
        "link", name="Exports"
    ).click()
    page.get_by_role("button", name="Export my treatment history").click()

    bar = page.get_by_role("progressbar", name="Export progress")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel export")).to_be_visible()
    assert_accessible(page)

    # The worker's step: the queued export runs, and the polled bar follows.
    export = Export.objects.get()
    assert services.export_run(export_id=export.pk) == "done"
    expect(bar).to_have_attribute("aria-valuenow", "100")
    download_button = page.get_by_role("link", name="Download CSV")
    expect(download_button).to_be_visible()
    expect(page.get_by_text("Ready to download")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel export")).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][:3] == ["Section", "Date", "Doctor"]
    assert any(r[0] == "Consultation" and r[5] == "Bronchitis" for r in rows)

    page.goto(live_server.url + reverse("exports:list"))
    expect(page.get_by_role("cell", name="Ready to download")).to_be_visible()
    assert_accessible(page)
