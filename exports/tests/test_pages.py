"""The export pages, for the person who asked and for everyone else: a history is
started by the patient or a doctor who treats them; an export is seen, polled,
downloaded and cancelled by its requester only (404 for everyone else)."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from exports.models import Export, ExportStatus

from .conftest import body_rows

pytestmark = pytest.mark.django_db

OTHERS = ["patient_b", "doctor", "other_doctor", "staff"]


def _client(request, login, client, who):
    if who == "anonymous":
        return client
    person = request.getfixturevalue(who)
    return login(getattr(person, "user", person))


@pytest.mark.parametrize("who", ["patient_a", "doctor"])
def test_patient_and_treating_doctor_start_a_history_export(
    request, login, client, clinical, who, django_capture_on_commit_callbacks
):
    browser = _client(request, login, client, who)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("exports:patient_history", args=[clinical.patient.pk]))
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert 'role="progressbar"' in page.text and 'aria-valuenow="100"' in page.text
    assert 'aria-live="polite"' in page.text
    assert "Download CSV" in page.text


@pytest.mark.parametrize("who", ["patient_b", "other_doctor", "unverified_doctor", "staff"])
def test_nobody_else_exports_a_patients_history(request, login, client, clinical, who):
    browser = _client(request, login, client, who)
    response = browser.post(reverse("exports:patient_history", args=[clinical.patient.pk]))
    assert response.status_code == 404
    assert not Export.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DENY, patient=clinical.patient).exists()


def test_anonymous_is_sent_to_sign_in(client, own_export, clinical):
    urls = [
        reverse("exports:list"),
        reverse("exports:detail", args=[own_export.pk]),
        reverse("exports:download", args=[own_export.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    response = client.post(reverse("exports:patient_history", args=[clinical.patient.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_requester_sees_polls_and_downloads(login, own_export):
    browser = login(own_export.requested_by)
    detail = browser.get(reverse("exports:detail", args=[own_export.pk]))
    assert detail.status_code == 200 and "Ready to download" in detail.text
    poll = browser.get(reverse("exports:progress", args=[own_export.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 286  # finished: htmx stops polling
    assert "Download CSV" in poll.text
    download = browser.get(reverse("exports:download", args=[own_export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    rows = body_rows(download)
    assert rows[0][0] == "Section" and len(rows) == own_export.rows_total + 1


@pytest.mark.parametrize("who", OTHERS)
def test_others_get_404_for_someone_elses_export(request, login, client, own_export, who):
    browser = _client(request, login, client, who)
    for name in ("detail", "progress", "download"):
        url = reverse(f"exports:{name}", args=[own_export.pk])
        assert browser.get(url, HTTP_HX_REQUEST="true").status_code == 404, (who, name)
    assert browser.post(reverse("exports:cancel", args=[own_export.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.DENY, object_type="exports.export", object_id=str(own_export.pk)
    ).exists()
    # Nor does the list show it.
    assert f"/exports/{own_export.pk}/" not in browser.get(reverse("exports:list")).text


def test_running_export_polls_and_can_be_cancelled(login, queued_export):
    browser = login(queued_export.requested_by)
    detail = browser.get(reverse("exports:detail", args=[queued_export.pk]))
    assert 'hx-trigger="every 2s"' in detail.text and "Cancel export" in detail.text
    Export.objects.filter(pk=queued_export.pk).update(
        status=ExportStatus.RUNNING, rows_total=4000, rows_done=1000
    )
    poll = browser.get(reverse("exports:progress", args=[queued_export.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200
    assert 'aria-valuenow="25"' in poll.text and "1,000 of 4,000 rows" in poll.text
    response = browser.post(reverse("exports:cancel", args=[queued_export.pk]), follow=True)
    assert "cancelled" in response.text
    queued_export.refresh_from_db()
    assert queued_export.status == ExportStatus.CANCELLED
    again = browser.post(reverse("exports:cancel", args=[queued_export.pk]), follow=True)
    assert "already finished" in again.text


def test_a_download_before_the_file_is_ready_says_so(login, queued_export):
    browser = login(queued_export.requested_by)
    response = browser.get(reverse("exports:download", args=[queued_export.pk]), follow=True)
    assert response.status_code == 200
    assert "not ready to download" in response.text


def test_a_failed_export_shows_its_reason(login, queued_export):
    Export.objects.filter(pk=queued_export.pk).update(
        status=ExportStatus.FAILED, error="The database went away."
    )
    page = login(queued_export.requested_by).get(reverse("exports:detail", args=[queued_export.pk]))
    assert "The export failed:" in page.text and "The database went away." in page.text


def test_patient_starts_from_the_records_area(login, clinical):
    browser = login(clinical.patient)
    record = browser.get(reverse("records:patient", args=[clinical.patient.pk]))
    assert reverse("exports:list") in record.text
    page = browser.get(reverse("exports:list"))
    assert "Export my treatment history" in page.text


def test_doctor_starts_from_the_patients_record_page(login, clinical):
    page = login(clinical.doctor.user).get(reverse("records:patient", args=[clinical.patient.pk]))
    assert reverse("exports:patient_history", args=[clinical.patient.pk]) in page.text


def test_exports_list_query_count(login, run, clinical, django_assert_num_queries):
    from exports.models import ExportKind

    for _ in range(3):
        run(requester=clinical.patient, kind=ExportKind.PATIENT_HISTORY, patient=clinical.patient)
    Export.objects.bulk_create(
        [
            Export(
                requested_by=clinical.patient,
                kind=ExportKind.PATIENT_HISTORY,
                patient=clinical.patient,
                status=ExportStatus.CANCELLED,
            )
            for _ in range(40)
        ]
    )
    browser = login(clinical.patient)
    browser.get(reverse("exports:list"))
    with django_assert_num_queries(5):
        response = browser.get(reverse("exports:list"))
    assert response.text.count('href="/exports/') >= 25
