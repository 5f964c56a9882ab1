"""Staff export appointments and invoices from Django Admin: the start page, the
progress page inside Admin's look, the download; the listing shows metadata only.
Nobody else reaches these pages."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from exports.models import Export, ExportKind, ExportStatus

from .conftest import body_rows

pytestmark = pytest.mark.django_db

ADD = reverse("admin:exports_export_add")
LIST = reverse("admin:exports_export_changelist")


def test_staff_start_watch_and_download_a_period_export(
    staff_client, clinical, django_capture_on_commit_callbacks
):
    page = staff_client.get(ADD)
    assert page.status_code == 200 and "Export appointments or invoices" in page.text
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            ADD,
            {
                "kind": "appointments",
                "date_from": (today - dt.timedelta(days=60)).isoformat(),
                "date_to": today.isoformat(),
            },
        )
    export = Export.objects.get()
    assert response.status_code == 302
    progress = staff_client.get(response["Location"])
    assert progress.status_code == 200
    assert 'id="site-name"' in progress.text  # inside Admin's own page
    assert 'role="progressbar"' in progress.text and "Download CSV" in progress.text
    download = staff_client.get(reverse("admin:exports_export_download", args=[export.pk]))
    rows = body_rows(download)
    assert rows[0][0] == "Appointment" and len(rows) == 5


def test_bad_period_is_a_400_with_a_message(staff_client):
    response = staff_client.post(
        ADD, {"kind": "invoices", "date_from": "2026-03-01", "date_to": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "must not be after" in response.text
    assert not Export.objects.exists()


def test_listing_is_metadata_only_and_other_staff_get_no_file(
    staff_client, doctor_export, clinical, login
):
    listing = staff_client.get(LIST)
    assert listing.status_code == 200
    assert "Treatment history" in listing.text
    assert clinical.patient.full_name not in listing.text
    detail = staff_client.get(reverse("admin:exports_export_change", args=[doctor_export.pk]))
    assert detail.status_code == 200
    assert "Download CSV" not in detail.text and clinical.patient.full_name not in detail.text
    for name in ("download", "progress"):
        url = reverse(f"admin:exports_export_{name}", args=[doctor_export.pk])
        assert staff_client.get(url).status_code == 404
    cancel = reverse("admin:exports_export_cancel", args=[doctor_export.pk])
    assert staff_client.post(cancel).status_code == 404


@pytest.mark.parametrize("who", ["patient_a", "doctor", "anonymous"])
def test_everyone_else_is_refused(request, client, login, who, doctor_export):
    if who == "anonymous":
        browser = client
    else:
        person = request.getfixturevalue(who)
        browser = login(getattr(person, "user", person))
    for url in (
        LIST,
        ADD,
        reverse("admin:exports_export_change", args=[doctor_export.pk]),
        reverse("admin:exports_export_download", args=[doctor_export.pk]),
    ):
        response = browser.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 404, (who, url)


def test_listing_query_count(staff_client, staff, django_assert_num_queries):
    Export.objects.bulk_create(
        [
            Export(
                requested_by=staff,
                kind=ExportKind.APPOINTMENTS,
                date_from=dt.date(2026, 1, 1),
                date_to=dt.date(2026, 1, 31),
                status=ExportStatus.CANCELLED,
            )
            for _ in range(150)
        ]
    )
    staff_client.get(LIST)
    # PostgreSQL reads the table's estimated size first (accounts/admin_base.py).
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        response = staff_client.get(LIST)
    assert response.status_code == 200 and "150 exports" in response.text
