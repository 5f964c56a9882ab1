"""The analytics API: the clinic's figures for staff, the practice figures for the
doctor, monthly reports for their owners; 401 anonymous, 404 everyone else."""

import datetime as dt

import pytest

from analytics.models import ReportAudience
from analytics.services import monthly_report_claim_and_generate, monthly_report_generate

DASHBOARD = "/api/v1/analytics/dashboard/"
PRACTICE = "/api/v1/analytics/practice/"
REPORTS = "/api/v1/analytics/reports/"


def test_staff_read_the_clinic_figures(api, staff, clinic, doctor):
    response = api(staff).get(DASHBOARD)
    assert response.status_code == 200
    data = response.json()
    assert data["current"]["totals"]["booked"] == 15
    assert data["current"]["totals"]["no_show"] == 5
    assert {row["name"] for row in data["by_doctor"]} == {"Ravi Treating", "Olga Other"}
    assert [c["name"] for c in data["charts"]] == [
        "appointments",
        "revenue",
        "utilization",
        "specializations",
    ]
    filtered = api(staff).get(DASHBOARD, {"doctor": doctor.pk}).json()
    assert filtered["current"]["totals"]["booked"] == 10


def test_the_dashboard_api_is_for_staff_only(api, doctor, patient_a, clinic):
    assert api().get(DASHBOARD).status_code == 401
    for user in (doctor.user, patient_a):
        assert api(user).get(DASHBOARD).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-02-30"},
        {"start": "2026-10-01", "end": "2026-01-01"},
        {"doctor": "1e9"},
        {"mode": "x"},
        {"start": "2000-01-01"},
    ],
)
def test_bad_input_is_a_400(api, staff, clinic, params):
    response = api(staff).get(DASHBOARD, params)
    assert response.status_code == 400


def test_the_doctor_reads_their_practice_figures(api, doctor, other_doctor, patient_a, clinic):
    data = api(doctor.user).get(PRACTICE).json()
    assert data["current"]["totals"]["booked"] == 10
    assert "by_doctor" not in data
    assert api(other_doctor.user).get(PRACTICE).json()["current"]["totals"]["booked"] == 5
    assert api(patient_a).get(PRACTICE).status_code == 404
    assert api().get(PRACTICE).status_code == 401


def test_reports_list_and_download(api, doctor, other_doctor, patient_a, staff, clinic):
    month = (clinic.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    own, _ = monthly_report_claim_and_generate(
        doctor=doctor, month=month, audience=ReportAudience.DOCTOR
    )
    clinic_copy = monthly_report_generate(
        doctor=doctor, month=month, audience=ReportAudience.STAFF, actor=staff
    )
    mine = api(doctor.user).get(REPORTS).json()
    assert [r["id"] for r in mine["results"]] == [own.pk]
    assert [r["id"] for r in api(staff).get(REPORTS).json()["results"]] == [clinic_copy.pk]
    assert api(other_doctor.user).get(REPORTS).json()["results"] == []
    assert api(patient_a).get(REPORTS).status_code == 404
    assert api().get(REPORTS).status_code == 401

    url = f"{REPORTS}{own.pk}/file/"
    response = api(doctor.user).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    for user in (other_doctor.user, patient_a, staff):
        assert api(user).get(url).status_code == 404
    assert api(staff).get(f"{REPORTS}{clinic_copy.pk}/file/").status_code == 200
    assert api(doctor.user).get(f"{REPORTS}{clinic_copy.pk}/file/").status_code == 404


def test_reports_list_query_count(api, doctor, clinic, django_assert_max_num_queries):
    from analytics.models import MonthlyReport

    for n in range(12):
        MonthlyReport.objects.create(
            doctor=doctor, month=dt.date(2025, n + 1, 1), audience=ReportAudience.DOCTOR
        )
    client = api(doctor.user)
    with django_assert_max_num_queries(10):
        response = client.get(REPORTS)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 12
