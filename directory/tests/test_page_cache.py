"""The doctor search and a doctor's page are reused rendered until they would change:
every change a visitor could notice shows at once, and the frame around the cached
content stays the visitor's own."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.tests.factories import (
    VisitTypeFactory,
    book_free_slot,
    bookable_consultation,
    free_slots_ahead,
    weekly_schedule,
)
from directory import page_cache
from directory.tests.factories import doctor_page_url
from doctors.services import doctor_profile_update, doctor_verify
from schedules.services import availability_rule_save, time_off_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("slot_cache_on")]
SEARCH = reverse("directory:search")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as a committed transaction would: its on-commit steps run too."""

    def _commit(change, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return _commit


def main(content):
    """The page's main content, without the frame (whose CSRF token changes)."""
    return content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def next_slot_text(content):
    match = re.search(r'<p class="fw-semibold mb-2">([^<]+)', content.decode())
    return match.group(1).strip()


def test_a_repeated_search_is_answered_without_the_database(
    client, doctor, visit_type, django_assert_num_queries
):
    first = client.get(SEARCH, {"q": "Ravi"})
    with django_assert_num_queries(0):
        second = client.get(SEARCH, {"q": "Ravi"})
    assert second.status_code == 200
    assert "Dr. Ravi Treating" in second.content.decode()
    assert next_slot_text(second.content) == next_slot_text(first.content)


def test_a_booking_moves_the_next_free_slot_shown_by_search(
    client, commit, doctor, visit_type, patient_a
):
    slot = free_slots_ahead(doctor, visit_type, days=13)[0]
    before = next_slot_text(client.get(SEARCH).content)
    assert slot.start.astimezone(doctor.tz).strftime("%H:%M") in before
    commit(
        book_free_slot, patient=patient_a, doctor=doctor, visit_type=visit_type, start=slot.start
    )
    assert next_slot_text(client.get(SEARCH).content) != before


def test_time_off_changes_the_doctor_page_at_once(client, commit, doctor, visit_type):
    slot = free_slots_ahead(doctor, visit_type, days=13)[0]
    link = f"start={slot.value}".replace(":", "%3A").replace("+", "%2B")
    assert link in client.get(doctor_page_url(doctor)).content.decode()
    commit(time_off_add, doctor=doctor, start=slot.start, end=slot.end)
    assert link not in client.get(doctor_page_url(doctor)).content.decode()


def test_a_repeated_doctor_page_is_answered_without_the_database(
    client, doctor, visit_type, django_assert_num_queries
):
    first = client.get(doctor_page_url(doctor))
    with django_assert_num_queries(0):
        second = client.get(doctor_page_url(doctor))
    assert second.status_code == 200
    assert second.content.count(b"btn-outline-primary btn-sm") == first.content.count(
        b"btn-outline-primary btn-sm"
    )


def test_profile_changes_reach_search_and_the_doctor_page_at_once(
    client, commit, doctor, visit_type
):
    assert "City Care Clinic" in client.get(SEARCH).content.decode()
    assert "City Care Clinic" in client.get(doctor_page_url(doctor)).content.decode()
    commit(
        doctor_profile_update,
        profile=doctor,
        full_name="Ravi Treating",
        specializations=list(doctor.specializations.all()),
        practice_name="Lakeside Heart Centre",
    )
    for url in (SEARCH, doctor_page_url(doctor)):
        page = client.get(url).content.decode()
        assert "Lakeside Heart Centre" in page
        assert "City Care Clinic" not in page


def test_a_suspended_doctor_leaves_search_and_the_page_is_gone(client, commit, doctor, visit_type):
    assert "Dr. Ravi Treating" in client.get(SEARCH).content.decode()
    assert client.get(doctor_page_url(doctor)).status_code == 200
    doctor.user.is_active = False
    commit(doctor.user.save)
    assert "Dr. Ravi Treating" not in client.get(SEARCH).content.decode()
    assert client.get(doctor_page_url(doctor)).status_code == 404


def test_a_newly_verified_doctor_is_listed_at_once(client, commit, staff, unverified_doctor):
    name = unverified_doctor.user.full_name
    assert name not in client.get(SEARCH).content.decode()
    commit(doctor_verify, doctor=unverified_doctor, decided_by=staff)
    assert name in client.get(SEARCH).content.decode()


def test_a_new_weekly_window_reaches_the_day_filter(client, commit, doctor):
    VisitTypeFactory(doctor=doctor)
    weekly_schedule(doctor, weekdays=[0])
    sunday = {"day": "6"}
    assert "Dr. Ravi Treating" not in client.get(SEARCH, sunday).content.decode()
    commit(
        availability_rule_save,
        doctor=doctor,
        weekday=6,
        start_time=dt.time(9),
        end_time=dt.time(12),
        mode="both",
    )
    assert "Dr. Ravi Treating" in client.get(SEARCH, sunday).content.decode()


def test_the_htmx_results_and_the_whole_page_are_kept_apart(client, doctor, visit_type):
    whole = client.get(SEARCH).content.decode()
    partial = client.get(SEARCH, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in whole and "Filters" in whole
    assert "<html" not in partial and "Filters" not in partial
    assert "Dr. Ravi Treating" in partial
    assert "<html" in client.get(SEARCH).content.decode()


def test_bad_filters_are_never_kept(client, doctor, visit_type):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(SEARCH, {"max_fee": "cheap"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"max_fee": "cheap"})
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    assert len(queries.captured_queries) > 0  # computed again, not taken from the cache


def test_the_frame_around_cached_content_is_the_visitors_own(
    client, login, doctor, visit_type, patient_a, other_doctor
):
    from django.test import Client

    anonymous = [client.get(doctor_page_url(doctor)), Client().get(doctor_page_url(doctor))]
    tokens = {re.search(rb'"X-CSRFToken": "([^"]+)"', r.content).group(1) for r in anonymous}
    assert len(tokens) == 2  # each visitor's own CSRF token around the same content
    assert b"Join the waitlist" in anonymous[0].content
    assert b"Sign in" in anonymous[0].content

    patient_page = login(patient_a).get(doctor_page_url(doctor)).content.decode()
    assert "Join the waitlist" in patient_page
    assert patient_a.full_name in patient_page or "Sign out" in patient_page
    # Doctors are not offered the waitlist, whatever page visitors before them saw.
    assert b"Join the waitlist" not in login(other_doctor.user).get(doctor_page_url(doctor)).content


def test_cached_content_runs_out_when_its_first_slot_would(client, doctor, visit_type, monkeypatch):
    client.get(doctor_page_url(doctor))
    slot = free_slots_ahead(doctor, visit_type, days=13)[0]
    later = slot.start - dt.timedelta(minutes=visit_type.min_notice_minutes - 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(doctor_page_url(doctor)).content.decode()
    link = f"start={slot.value}".replace(":", "%3A").replace("+", "%2B")
    assert link not in page  # inside the notice now: recomputed, no longer offered


def test_signing_in_does_not_forget_the_directory(
    doctor, visit_type, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import update_last_login

    before = page_cache.directory_version()
    with django_capture_on_commit_callbacks(execute=True):
        update_last_login(None, doctor.user)  # what every sign-in saves
    doctor.user.refresh_from_db()
    assert doctor.user.last_login is not None
    assert page_cache.directory_version() == before
    with django_capture_on_commit_callbacks(execute=True):
        doctor.user.full_name = "Ravi Renamed"
        doctor.user.save()
    assert page_cache.directory_version() != before  # a real account change does


def test_warming_computes_every_verified_doctors_page_ahead(
    client, doctor, visit_type, other_doctor, unverified_doctor, django_assert_num_queries
):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("warm_directory_cache", stdout=out)
    assert "Warmed 2 doctors (1 with a free slot in the next 14 days)" in out.getvalue()
    with django_assert_num_queries(0):
        page = client.get(doctor_page_url(doctor))
    assert page.status_code == 200
    assert "Consultation" in page.content.decode()
    assert client.get(doctor_page_url(unverified_doctor)).status_code == 404


def test_warming_without_a_shared_cache_says_so(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.MEDCONNECT_SLOT_CACHE_SECONDS = 0
    out = StringIO()
    call_command("warm_directory_cache", stdout=out)
    assert "nothing to do" in out.getvalue()


def test_a_search_not_showing_the_booked_doctor_stays_cached(
    client, commit, doctor, visit_type, other_doctor, patient_a, django_assert_num_queries
):
    bookable_consultation(other_doctor)
    # Sorted by name: the page depends on the schedules of the doctors it shows only.
    only_other = {"q": other_doctor.user.full_name, "sort": "name"}
    first = main(client.get(SEARCH, only_other).content)
    assert "Dr. Ravi Treating" not in first
    slot = free_slots_ahead(doctor, visit_type, days=13)[0]
    commit(
        book_free_slot, patient=patient_a, doctor=doctor, visit_type=visit_type, start=slot.start
    )
    # Another doctor's booking: this search is still right, and served as it was.
    with django_assert_num_queries(0):
        again = main(client.get(SEARCH, only_other).content)
    assert again == first
    with django_assert_num_queries(0):
        assert main(client.get(SEARCH, only_other).content) == first


def test_a_search_sorted_by_next_slot_follows_any_booking(
    client, commit, doctor, visit_type, other_doctor, patient_a, django_assert_num_queries
):
    """Sorted by next free slot, the order depends on every listed doctor: a booking of
    any of them recomputes the page, from the stored availability."""
    bookable_consultation(other_doctor)
    only_other = {"q": other_doctor.user.full_name}
    first = main(client.get(SEARCH, only_other).content)
    with django_assert_num_queries(0):
        assert main(client.get(SEARCH, only_other).content) == first
    slot = free_slots_ahead(doctor, visit_type, days=13)[0]
    commit(
        book_free_slot, patient=patient_a, doctor=doctor, visit_type=visit_type, start=slot.start
    )
    with django_assert_num_queries(7):
        assert main(client.get(SEARCH, only_other).content) == first
