"""The booking calendar of a doctor's page: a strip of days moved forward and back
with htmx, the first free day chosen, and the waitlist link beside it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.tests.factories import TimeOffFactory, VisitTypeFactory, weekly_schedule
from directory.tests.factories import doctor_page_url

pytestmark = pytest.mark.django_db


def _url(doctor, visit_type, start=None):
    url = reverse("directory:doctor_calendar", args=[doctor.pk, visit_type.pk])
    return url + (f"?start={start.isoformat()}" if start else "")


def _today(doctor):
    return timezone.now().astimezone(doctor.tz).date()


def test_htmx_moves_the_strip_a_week_forward_and_back(client, doctor):
    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor)
    today = _today(doctor)
    week = today + dt.timedelta(days=7)

    response = client.get(_url(doctor, visit_type, week), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # only the calendar is swapped in
    assert f'id="calendar-{visit_type.pk}"' in page
    assert f"?start={today.isoformat()}" in page  # back to this week
    assert f"?start={(week + dt.timedelta(days=7)).isoformat()}" in page
    calendar = response.context["calendar"]
    assert [day.date for day in calendar.days][0] == week
    assert calendar.days[0].selected  # the first free day of that week


def test_without_htmx_the_calendar_is_a_page_of_its_own(client, doctor):
    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor, name="Follow-up")
    response = client.get(_url(doctor, visit_type))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Follow-up with Dr. Ravi Treating" in page and "<html" in page


def test_an_empty_week_points_to_the_next_free_day(client, doctor):
    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor)
    today = _today(doctor)
    back = today + dt.timedelta(days=10)
    TimeOffFactory(
        doctor=doctor,
        start=dt.datetime.combine(today, dt.time.min, tzinfo=doctor.tz),
        end=dt.datetime.combine(back, dt.time.min, tzinfo=doctor.tz),
    )

    response = client.get(doctor_page_url(doctor))

    page = response.content.decode()
    calendar = response.context["calendars"][0]
    # The page opens on the first free day's strip, beyond this week.
    assert calendar.days[0].date == back and calendar.days[0].selected
    empty = client.get(_url(doctor, visit_type, today), HTTP_HX_REQUEST="true")
    assert f"Next free time: {back:%A} {back.day} {back:%B}" in empty.content.decode()
    assert 'data-testid="waitlist-link"' in page


def test_the_strip_stays_within_today_and_the_advance_window(client, doctor):
    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor, max_advance_days=10)
    today = _today(doctor)
    past = client.get(_url(doctor, visit_type, today - dt.timedelta(days=30)))
    assert past.context["calendar"].days[0].date == today
    assert past.context["calendar"].previous is None
    far = client.get(_url(doctor, visit_type, today + dt.timedelta(days=300)))
    assert far.context["calendar"].next is None
    assert (
        "cannot be booked further ahead" in far.content.decode()
        or far.context["calendar"].slot_count
    )


@pytest.mark.parametrize("start", ["tomorrow", "2026-02-31", "9999-99-99"])
def test_a_bad_date_is_a_400(client, doctor, start):
    visit_type = VisitTypeFactory(doctor=doctor)
    response = client.get(_url(doctor, visit_type) + f"?start={start}")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_unknown_or_retired_visit_types_and_hidden_doctors_are_404(
    client, doctor, other_doctor, unverified_doctor
):
    retired = VisitTypeFactory(doctor=doctor, is_active=False)
    elsewhere = VisitTypeFactory(doctor=other_doctor)
    hidden = VisitTypeFactory(doctor=unverified_doctor)
    assert client.get(_url(doctor, retired)).status_code == 404
    assert client.get(_url(doctor, elsewhere)).status_code == 404
    assert client.get(_url(unverified_doctor, hidden)).status_code == 404


def test_the_calendar_costs_the_same_queries_with_many_bookings(
    client, doctor, django_assert_num_queries
):
    from appointments.tests.factories import AppointmentFactory

    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor)
    start = _today(doctor) + dt.timedelta(days=1)
    client.get(_url(doctor, visit_type, start), HTTP_HX_REQUEST="true")
    with django_assert_num_queries(5) as few:
        client.get(_url(doctor, visit_type, start), HTTP_HX_REQUEST="true")
    for hour in range(9, 17):
        AppointmentFactory(
            doctor=doctor,
            visit_type=visit_type,
            start=dt.datetime.combine(start, dt.time(hour), tzinfo=doctor.tz),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(_url(doctor, visit_type, start), HTTP_HX_REQUEST="true")
