"""The doctor's practice page: their own figures and charts only."""

import csv
import io

import pytest

URL = "/practice/"


def test_the_doctor_sees_their_own_figures(login, doctor, clinic):
    response = login(doctor.user).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "My practice" in page
    assert 'data-testid="fig-booked">10<' in page
    assert 'data-testid="fig-no-show">5<' in page
    assert "Utilization by weekday and hour" in page
    # Never the other doctor's rows nor the clinic tables.
    assert "Olga Other" not in page
    assert 'data-testid="by-doctor"' not in page


def test_the_other_doctor_sees_only_theirs(login, other_doctor, clinic):
    page = login(other_doctor.user).get(URL).content.decode()
    assert 'data-testid="fig-booked">5<' in page


@pytest.mark.parametrize("who", ["patient_a", "staff", "unverified_doctor"])
def test_others_get_a_404(login, clinic, who, request):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    assert login(user).get(URL).status_code == 404
    assert login(user).get(URL + "csv/appointments/").status_code == 404


def test_the_practice_csv(login, doctor, clinic):
    response = login(doctor.user).get(URL + "csv/appointments/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Day"
    assert sum(int(row[-1]) for row in rows[1:]) == 10


def test_bad_period_is_a_400(login, doctor, clinic):
    response = login(doctor.user).get(URL, {"start": "yesterday"})
    assert response.status_code == 400
    assert login(doctor.user).get(URL + "csv/revenue/", {"end": "x"}).status_code == 400


def test_practice_query_count(login, doctor, clinic, django_assert_max_num_queries):
    client = login(doctor.user)
    with django_assert_max_num_queries(15):
        assert client.get(URL, {"start": "2026-01-01", "end": "2026-12-31"}).status_code == 200
