"""/api/v1/exports/: start, poll, download, cancel; 401 anonymous, 404 for others."""

import pytest
from django.urls import reverse

from exports.models import Export, ExportStatus

from .conftest import body_rows

pytestmark = pytest.mark.django_db

LIST = reverse("api:exports")


def _person(request, who):
    person = request.getfixturevalue(who)
    return getattr(person, "user", person)


def test_patient_starts_polls_and_downloads_own_history(
    api, clinical, django_capture_on_commit_callbacks
):
    client = api(clinical.patient)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(LIST, {"kind": "patient_history"}, format="json")
    assert started.status_code == 201
    assert started.json()["status"] == "queued"
    export_id = started.json()["id"]
    polled = client.get(reverse("api:export", args=[export_id])).json()
    assert polled["status"] == "done" and polled["percent"] == 100
    assert polled["rows_done"] == polled["rows_total"] > 0
    assert polled["download_url"] == reverse("api:export_download", args=[export_id])
    download = client.get(polled["download_url"])
    assert download.status_code == 200
    assert body_rows(download)[0][0] == "Section"
    listed = client.get(LIST).json()
    assert [e["id"] for e in listed["results"]] == [export_id]


def test_treating_doctor_exports_a_patient_they_treat(
    api, clinical, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(clinical.doctor.user).post(
            LIST, {"kind": "patient_history", "patient": clinical.patient.pk}, format="json"
        )
    assert response.status_code == 201
    assert Export.objects.get().status == ExportStatus.DONE


@pytest.mark.parametrize("who", ["patient_b", "other_doctor", "staff"])
def test_others_cannot_export_the_patients_history(request, api, clinical, who):
    response = api(_person(request, who)).post(
        LIST, {"kind": "patient_history", "patient": clinical.patient.pk}, format="json"
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_staff_exports_a_period_and_others_may_not(
    api, staff, patient_a, doctor, clinical, django_capture_on_commit_callbacks
):
    body = {"kind": "appointments", "date_from": "2024-01-01", "date_to": "2030-12-31"}
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(LIST, body, format="json")
    assert response.status_code == 201
    for person in (patient_a, doctor.user):
        assert api(person).post(LIST, body, format="json").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "appointments"}, "first and the last day"),
        (
            {"kind": "invoices", "date_from": "2026-02-01", "date_to": "2026-01-01"},
            "must not be after",
        ),
        ({"kind": "appointments", "date_from": "1000-01-01", "date_to": "2026-01-01"}, "between"),
        ({"kind": "everything"}, "not a valid choice"),
        ({"kind": "patient_history", "patient": "x"}, "valid integer"),
    ],
)
def test_bad_input_is_a_400_with_a_message(api, staff, body, message):
    response = api(staff).post(LIST, body, format="json")
    assert response.status_code == 400
    assert message in str(response.json())


def test_anonymous_gets_401(api, own_export):
    client = api()
    assert client.get(LIST).status_code == 401
    assert client.post(LIST, {"kind": "patient_history"}, format="json").status_code == 401
    assert client.get(reverse("api:export", args=[own_export.pk])).status_code == 401
    assert client.get(reverse("api:export_download", args=[own_export.pk])).status_code == 401
    assert client.post(reverse("api:export_cancel", args=[own_export.pk])).status_code == 401


@pytest.mark.parametrize("who", ["patient_b", "doctor", "other_doctor", "staff"])
def test_others_export_ids_are_404(request, api, own_export, who):
    client = api(_person(request, who))
    assert client.get(reverse("api:export", args=[own_export.pk])).status_code == 404
    assert client.get(reverse("api:export_download", args=[own_export.pk])).status_code == 404
    assert client.post(reverse("api:export_cancel", args=[own_export.pk])).status_code == 404
    assert client.get(LIST).json()["results"] == []


def test_cancel_and_download_conflicts(api, queued_export):
    client = api(queued_export.requested_by)
    not_ready = client.get(reverse("api:export_download", args=[queued_export.pk]))
    assert not_ready.status_code == 409 and "not ready" in not_ready.json()["detail"]
    cancelled = client.post(reverse("api:export_cancel", args=[queued_export.pk]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(reverse("api:export_cancel", args=[queued_export.pk]))
    assert again.status_code == 409


def test_exports_list_query_count(api, clinical, django_assert_num_queries):
    from exports.models import ExportKind

    Export.objects.bulk_create(
        [
            Export(
                requested_by=clinical.patient,
                kind=ExportKind.PATIENT_HISTORY,
                patient=clinical.patient,
            )
            for _ in range(60)
        ]
    )
    client = api(clinical.patient)
    client.get(LIST)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 25
