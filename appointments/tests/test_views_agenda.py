"""The doctor's agenda, pending requests and the two dashboards' appointment lists."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory, local_time

S = AppointmentStatus
AGENDA = reverse("appointments:agenda")


def test_day_view_in_the_doctors_zone(login, doctor, patient_a, patient_b):
    day = dt.date(2030, 3, 12)
    # 00:30 local on 12 March is still 11 March in UTC: it belongs to the 12th here.
    early = AppointmentFactory(
        doctor=doctor, patient=patient_a, start=local_time(doctor, day, 0, 30)
    )
    late = AppointmentFactory(
        doctor=doctor, patient=patient_b, start=local_time(doctor, day, 23, 0)
    )
    AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        start=local_time(doctor, day, 23, 59) + dt.timedelta(minutes=31),
    )
    response = login(doctor.user).get(AGENDA, {"date": "2030-03-12"})
    assert response.status_code == 200
    assert list(response.context["days"][day]) == [early, late]
    page = response.content.decode()
    assert "00:30" in page and "23:00" in page
    assert "Asha Patient" in page and "Bela Patient" in page
    assert "Tuesday 12 March 2030" in page


def test_week_view_runs_monday_to_sunday(login, doctor, patient_a):
    wednesday = dt.date(2030, 3, 13)
    monday = dt.date(2030, 3, 11)
    sunday = dt.date(2030, 3, 17)
    first = AppointmentFactory(
        doctor=doctor, patient=patient_a, start=local_time(doctor, monday, 9)
    )
    last = AppointmentFactory(
        doctor=doctor, patient=patient_a, start=local_time(doctor, sunday, 18)
    )
    AppointmentFactory(
        doctor=doctor, patient=patient_a, start=local_time(doctor, sunday + dt.timedelta(1), 9)
    )
    response = login(doctor.user).get(AGENDA, {"date": wednesday.isoformat(), "view": "week"})
    days = response.context["days"]
    assert list(days) == [monday + dt.timedelta(n) for n in range(7)]
    assert days[monday] == [first] and days[sunday] == [last]
    page = response.content.decode()
    assert "Week of 11 March 2030" in page
    assert "date=2030-03-06&amp;view=week" in page  # previous week
    assert "date=2030-03-20&amp;view=week" in page  # next week


def test_other_doctors_appointments_are_not_in_my_agenda(login, doctor, other_doctor, patient_a):
    day = dt.date(2030, 3, 12)
    AppointmentFactory(
        doctor=other_doctor, patient=patient_a, start=local_time(other_doctor, day, 10)
    )
    response = login(doctor.user).get(AGENDA, {"date": "2030-03-12"})
    assert response.context["days"][day] == []
    assert "Asha Patient" not in response.content.decode()


def test_agenda_uses_the_doctors_own_zone(login, doctor, patient_a):
    doctor.time_zone = "America/New_York"
    doctor.save()
    day = dt.date(2030, 3, 12)
    visit = AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        start=local_time(doctor, day, 20),  # 01:00 UTC on the 13th
    )
    response = login(doctor.user).get(AGENDA, {"date": "2030-03-12"})
    assert response.context["days"][day] == [visit]
    assert "20:00" in response.content.decode()
    assert visit.start.astimezone(ZoneInfo("UTC")).day == 13


@pytest.mark.parametrize("params", [{"date": "soon"}, {"date": "2030-02-30"}, {"view": "year"}])
def test_bad_agenda_input_shows_today_with_a_message(login, doctor, params):
    response = login(doctor.user).get(AGENDA, params)
    assert response.status_code == 200
    assert "showing today instead" in response.content.decode()
    assert response.context["day"] == timezone.now().astimezone(doctor.tz).date()


@pytest.mark.parametrize("who", ["patient_a", "staff", "unverified_doctor"])
def test_agenda_and_requests_are_for_verified_doctors(request, login, who):
    person = request.getfixturevalue(who)
    client = login(getattr(person, "user", person))
    assert client.get(AGENDA).status_code == 404
    assert client.get(reverse("appointments:pending")).status_code == 404


def test_anonymous_agenda_goes_to_login(client):
    assert client.get(AGENDA)["Location"].startswith(reverse("account_login"))


def test_pending_requests_list(login, doctor, other_doctor, patient_a, patient_b):
    waiting = AppointmentFactory(doctor=doctor, patient=patient_a, status=S.PENDING, reason="Rash")
    AppointmentFactory(doctor=doctor, patient=patient_b, status=S.CONFIRMED)
    AppointmentFactory(doctor=other_doctor, patient=patient_b, status=S.PENDING)
    AppointmentFactory(
        doctor=doctor,
        patient=patient_b,
        status=S.PENDING,
        start=timezone.now() - dt.timedelta(days=2),
    )
    response = login(doctor.user).get(reverse("appointments:pending"))
    assert list(response.context["page"].object_list) == [waiting]
    page = response.content.decode()
    assert "Asha Patient" in page and "Rash" in page
    assert reverse("appointments:confirm", args=[waiting.pk]) in page


# Dashboards -------------------------------------------------------------------------


def test_doctor_dashboard_shows_today_and_pending_count(login, doctor, patient_a, patient_b):
    now = timezone.now().astimezone(doctor.tz)
    today = now.date()
    AppointmentFactory(doctor=doctor, patient=patient_a, start=local_time(doctor, today, 0, 0))
    AppointmentFactory(doctor=doctor, patient=patient_b, status=S.PENDING)
    AppointmentFactory(doctor=doctor, patient=patient_b, status=S.PENDING)
    page = login(doctor.user).get(reverse("doctor_dashboard")).content.decode()
    assert "Asha Patient" in page
    assert 'Requests waiting for you <span class="badge text-bg-warning">2</span>' in page


def test_unverified_doctor_dashboard_has_no_patient_data(login, unverified_doctor, patient_a):
    today = timezone.now().astimezone(unverified_doctor.tz).date()
    AppointmentFactory(
        doctor=unverified_doctor,
        patient=patient_a,
        start=local_time(unverified_doctor, today, 0, 0),
    )
    page = login(unverified_doctor.user).get(reverse("doctor_dashboard")).content.decode()
    assert "Asha Patient" not in page
    assert "once your license is verified" in page


def test_patient_dashboard_lists_next_appointments(login, patient_a, patient_b, doctor):
    mine = [AppointmentFactory(doctor=doctor, patient=patient_a) for _ in range(6)]
    AppointmentFactory(doctor=doctor, patient=patient_b, reason="Not yours")
    AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        status=S.CANCELLED,
        start=timezone.now() + dt.timedelta(days=20),
    )
    response = login(patient_a).get(reverse("patients:dashboard"))
    assert response.context["upcoming"] == mine[:5]
    page = response.content.decode()
    assert reverse("appointments:detail", args=[mine[0].pk]) in page
    assert reverse("appointments:detail", args=[mine[5].pk]) not in page
    assert "All my appointments" in page


def test_patient_dashboard_without_appointments(login, patient_a):
    page = login(patient_a).get(reverse("patients:dashboard")).content.decode()
    assert "You have no upcoming appointments." in page
    assert reverse("directory:search") in page


def test_the_week_is_a_grid_by_hour_with_cancelled_visits_hidden(
    login, doctor, patient_a, patient_b
):
    today = timezone.now().astimezone(doctor.tz).date()
    monday = today - dt.timedelta(days=today.weekday())
    AppointmentFactory(doctor=doctor, patient=patient_a, start=local_time(doctor, monday, 9, 30))
    AppointmentFactory(
        doctor=doctor, patient=patient_b, status=S.CANCELLED, start=local_time(doctor, monday, 11)
    )
    client = login(doctor.user)
    url = reverse("appointments:agenda")

    page = client.get(url, {"date": monday.isoformat(), "view": "week"}).content.decode()

    grid = page[page.index('data-testid="week-grid"') :]
    assert '<th scope="row" class="agenda-hour">09:00</th>' in grid
    assert "09:30 Asha Patient" in grid
    assert "Bela Patient" not in grid
    assert "1 cancelled or declined visit hidden." in page

    shown = client.get(url, {"date": monday.isoformat(), "view": "week", "cancelled": "1"})
    assert "11:00 Bela Patient" in shown.content.decode()
