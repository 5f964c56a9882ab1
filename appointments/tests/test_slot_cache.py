"""Cached free slots: every schedule change forgets them once it commits."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments.models import Mode
from appointments.services import appointment_book, appointment_cancel
from appointments.slots import schedule_version
from appointments.tests.factories import NOW, at, free_slots_ahead, free_starts_ahead
from directory.tests.factories import doctor_page_url
from schedules.services import availability_rule_delete, time_off_add, visit_type_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("slot_cache_on")]


def test_a_cached_day_is_read_without_the_schedule_queries(doctor, visit_type):
    first = free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        again = free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    assert again == first
    # Only "is the doctor still bookable" is asked; rules, time off and bookings are not.
    assert len(queries.captured_queries) == 1


def test_booking_and_cancelling_change_the_cached_slots(
    doctor, visit_type, patient_a, django_capture_on_commit_callbacks
):
    assert at(1, 10) in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            patient=patient_a,
            doctor=doctor,
            visit_type=visit_type,
            start=at(1, 10),
            mode=Mode.IN_PERSON,
            now=NOW,
        )
    assert at(1, 10) not in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=patient_a, now=NOW)
    assert at(1, 10) in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)


def test_schedule_settings_change_the_cached_slots(
    doctor, visit_type, django_capture_on_commit_callbacks
):
    assert at(1, 10) in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        time_off_add(doctor=doctor, start=at(1, 10), end=at(1, 11))
    assert at(1, 10) not in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        visit_type_save(doctor=doctor, visit_type=visit_type, duration_minutes=60)
    visit_type.refresh_from_db()
    assert at(1, 12) in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    assert at(1, 12, 30) not in free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        for rule in doctor.availability_rules.all():
            availability_rule_delete(doctor=doctor, rule=rule)
    assert free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW) == []


def test_the_version_changes_only_after_the_commit(
    doctor, visit_type, django_capture_on_commit_callbacks
):
    before = schedule_version(doctor.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        time_off_add(doctor=doctor, start=at(1, 10), end=at(1, 11))
        assert schedule_version(doctor.pk) == before
    for callback in callbacks:
        callback()
    assert schedule_version(doctor.pk) != before


def test_no_cache_unless_switched_on(settings, doctor, visit_type):
    settings.MEDCONNECT_SLOT_CACHE_SECONDS = 0
    free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        free_starts_ahead(doctor, visit_type, days_ahead=1, now=NOW)
    assert len(queries.captured_queries) > 1


def test_doctor_page_reuses_its_rendered_slots_until_the_schedule_changes(
    client, doctor, visit_type, patient_a, django_capture_on_commit_callbacks
):
    url = doctor_page_url(doctor)
    first = client.get(url)
    with CaptureQueriesContext(connection) as cached:
        second = client.get(url)
    # The same slot list, without asking for the doctor's bookings again.
    section = first.content.split(b'id="slots-heading"')[1].split(b"</section>\n  </div>")[0]
    assert section in second.content
    assert not any("appointments_appointment" in q["sql"] for q in cached.captured_queries)

    slot = free_slots_ahead(doctor, visit_type, days_ahead=1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(
            patient=patient_a,
            doctor=doctor,
            visit_type=visit_type,
            start=slot.start,
            mode=Mode.IN_PERSON,
        )
    link = f"start={slot.start.isoformat()}".replace("+", "%2B").replace(":", "%3A")
    assert link.encode() in first.content
    assert link.encode() not in client.get(url).content


def test_next_free_slot_is_cached_until_the_schedule_changes(
    doctor, visit_type, patient_a, django_capture_on_commit_callbacks
):
    from appointments.slots import next_free_slots

    first = next_free_slots(doctors=[doctor], now=NOW)[doctor.pk]
    with CaptureQueriesContext(connection) as queries:
        assert next_free_slots(doctors=[doctor], now=NOW)[doctor.pk] == first
    assert len(queries.captured_queries) == 0

    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(
            patient=patient_a,
            doctor=doctor,
            visit_type=visit_type,
            start=first.start,
            mode=Mode.IN_PERSON,
            now=NOW,
        )
    assert next_free_slots(doctors=[doctor], now=NOW)[doctor.pk].start > first.start
    # Once the slot falls inside the minimum notice, it is computed afresh.
    later = first.start - dt.timedelta(minutes=visit_type.min_notice_minutes - 1)
    assert next_free_slots(doctors=[doctor], now=later)[doctor.pk].start > first.start
