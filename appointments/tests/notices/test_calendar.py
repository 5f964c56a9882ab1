"""The "Add to calendar" file and the private calendar feed of appointments."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from appointments.services import appointment_cancel, appointment_confirm
from appointments.tests.factories import AppointmentFactory
from notifications.models import CalendarFeed
from notifications.services import calendar_feed_create_or_rotate


def feed_path(feed):
    return reverse("calendar_feed", kwargs={"token": feed.token})


def uids(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.events}, calendar


@pytest.mark.django_db
def test_add_to_calendar_download_for_the_patient_and_the_doctor(
    book_slot, treating_cardiologist, patient_a, login
):
    appointment = book_slot()
    url = reverse("appointments:ics", args=[appointment.pk])

    for user in (patient_a, treating_cardiologist.user):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        calendar = Calendar.from_ical(response.content)
        [event] = calendar.events
        assert event.decoded("DTSTART") == appointment.start
        assert event["SEQUENCE"] == 0

    detail = login(patient_a).get(reverse("appointments:detail", args=[appointment.pk]))
    assert url in detail.content.decode()


@pytest.mark.django_db
def test_add_to_calendar_is_404_for_outsiders(book_slot, patient_b, other_doctor, login):
    appointment = book_slot()
    url = reverse("appointments:ics", args=[appointment.pk])

    for user in (patient_b, other_doctor.user):
        assert login(user).get(url).status_code == 404


@pytest.mark.django_db
def test_the_feed_shows_own_appointments_and_parses(
    book_slot, treating_cardiologist, patient_a, patient_b, client
):
    mine = book_slot()
    appointment_confirm(appointment=mine, actor=treating_cardiologist.user)
    cancelled = book_slot(index=3)
    appointment_cancel(appointment=cancelled, actor=patient_a)
    theirs = book_slot(index=5, patient=patient_b)
    long_ago = AppointmentFactory(
        doctor=treating_cardiologist,
        patient=patient_a,
        start=timezone.now() - dt.timedelta(days=90),
        status="completed",
    )
    feed = calendar_feed_create_or_rotate(user=patient_a)

    response = client.get(feed_path(feed))  # calendar apps do not sign in

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found, calendar = uids(response)
    assert calendar["METHOD"] == "PUBLISH"
    assert any(f"appointment-{mine.pk}@" in uid for uid in found)
    assert any(f"appointment-{cancelled.pk}@" in uid for uid in found)
    assert not any(f"appointment-{theirs.pk}@" in uid for uid in found)
    assert not any(f"appointment-{long_ago.pk}@" in uid for uid in found)
    by_uid = {str(e["UID"]): e for e in calendar.events}
    event = next(e for uid, e in by_uid.items() if f"-{cancelled.pk}@" in uid)
    assert str(event["STATUS"]) == "CANCELLED"
    event = next(e for uid, e in by_uid.items() if f"-{mine.pk}@" in uid)
    assert event.decoded("DTSTART") == mine.start
    assert "Asha Patient" not in str(event["SUMMARY"])  # the patient sees the doctor's name
    assert "Dr. Ravi Treating" in str(event["SUMMARY"])


@pytest.mark.django_db
def test_the_doctors_feed_shows_their_patients(book_slot, treating_cardiologist, patient_a, client):
    appointment = book_slot()
    feed = calendar_feed_create_or_rotate(user=treating_cardiologist.user)

    _found, calendar = uids(client.get(feed_path(feed)))

    [event] = calendar.events
    assert str(event["UID"]).startswith(f"appointment-{appointment.pk}@")
    assert "Asha Patient" in str(event["SUMMARY"])


@pytest.mark.django_db
def test_regenerating_kills_the_old_url(patient_a, login, client):
    old = calendar_feed_create_or_rotate(user=patient_a)
    old_path = feed_path(old)
    assert client.get(old_path).status_code == 200

    login(patient_a).post(reverse("notifications:calendar"))

    new = CalendarFeed.objects.get(user=patient_a)
    assert new.rotated_at is not None
    assert client.get(old_path).status_code == 404
    assert client.get(feed_path(new)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nope", "x" * 43, ""])
def test_unknown_tokens_are_404(client, patient_a, token):
    calendar_feed_create_or_rotate(user=patient_a)

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 404


@pytest.mark.django_db
def test_someone_elses_token_shows_nothing_of_yours(book_slot, patient_a, patient_b, client):
    mine = book_slot()
    their_feed = calendar_feed_create_or_rotate(user=patient_b)

    found, _calendar = uids(client.get(feed_path(their_feed)))

    assert not any(f"appointment-{mine.pk}@" in uid for uid in found)
    assert found == set()


@pytest.mark.django_db
def test_a_deactivated_account_has_no_feed(patient_a, client):
    feed = calendar_feed_create_or_rotate(user=patient_a)
    patient_a.is_active = False
    patient_a.save()

    assert client.get(feed_path(feed)).status_code == 404


@pytest.mark.django_db
def test_an_unverified_doctors_feed_shows_no_patients(unverified_doctor, client):
    AppointmentFactory(doctor=unverified_doctor)
    feed = calendar_feed_create_or_rotate(user=unverified_doctor.user)

    _found, calendar = uids(client.get(feed_path(feed)))

    assert calendar.events == []


@pytest.mark.django_db
def test_feed_query_count_does_not_grow_with_appointments(
    treating_cardiologist, patient_a, client, django_assert_num_queries
):
    for _ in range(30):
        AppointmentFactory(doctor=treating_cardiologist, patient=patient_a)
    feed = calendar_feed_create_or_rotate(user=patient_a)

    # the feed and its owner, the appointments with doctor, patient and visit type
    with django_assert_num_queries(2):
        response = client.get(feed_path(feed))
    assert len(Calendar.from_ical(response.content).events) == 30
