"""Query budgets: the inbox, a thread of 1,000 messages and the API lists cost the same
with many rows; the navigation badge costs nothing for people without messages."""

import pytest
from django.urls import reverse

from doctors.tests.factories import DoctorFactory

from ..models import Message, Participant, Thread, ThreadKind
from .factories import connect

# Session, user, two-factor, profile; count, page, participants with their users;
# the navigation badges (one query for both).
INBOX_QUERIES = 8
# Token, user, two-factor, profile, ...; count, page, participants.
INBOX_API_QUERIES = 11
# Session, user, two-factor; the thread with participants and users; profiles and the
# connection (may they post?); count, page, attachments; read receipt; the badges.
THREAD_PAGE_QUERIES = 15
MESSAGES_API_QUERIES = 14


def _many_threads(doctor, count):
    """`count` threads of `doctor` with colleagues (bulk, as seed_scale writes them)."""
    for _ in range(count):
        colleague = DoctorFactory()
        connect(doctor, colleague)
        thread = Thread.objects.create(
            kind=ThreadKind.DIRECT, subject="Case", created_by=doctor.user
        )
        Participant.objects.bulk_create(
            [
                Participant(thread=thread, user=doctor.user, unread_count=2),
                Participant(thread=thread, user=colleague.user),
            ]
        )
        Message.objects.create(thread=thread, sender=colleague.user, body="Hello")


def _thousand_messages(colleague_thread, doctor, other_doctor):
    senders = [doctor.user, other_doctor.user]
    Message.objects.bulk_create(
        [
            Message(thread=colleague_thread, sender=senders[i % 2], body=f"message {i}")
            for i in range(999)
        ]
    )


def test_inbox_page(doctor, login, django_assert_num_queries):
    _many_threads(doctor, 30)
    client = login(doctor.user)
    client.get(reverse("messaging:inbox"))  # warm the session
    with django_assert_num_queries(INBOX_QUERIES):
        response = client.get(reverse("messaging:inbox"))
    assert response.content.decode().count('class="list-group-item') == 25


def test_inbox_api(doctor, api, django_assert_num_queries):
    _many_threads(doctor, 30)
    client = api(doctor.user)
    with django_assert_num_queries(INBOX_API_QUERIES):
        response = client.get(reverse("api:threads"))
    assert response.json()["count"] == 30 and len(response.json()["results"]) == 25


def test_thread_page_of_1000_messages(
    colleague_thread, doctor, other_doctor, login, django_assert_num_queries
):
    _thousand_messages(colleague_thread, doctor, other_doctor)
    client = login(doctor.user)
    url = reverse("messaging:thread", args=[colleague_thread.pk])
    client.get(url)  # warm the session
    with django_assert_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count('class="card message') == 50


def test_messages_api_of_1000_messages(
    colleague_thread, doctor, other_doctor, api, django_assert_num_queries
):
    _thousand_messages(colleague_thread, doctor, other_doctor)
    client = api(doctor.user)
    url = reverse("api:thread_messages", args=[colleague_thread.pk])
    with django_assert_num_queries(MESSAGES_API_QUERIES):
        response = client.get(url, {"page_size": 100})
    assert response.json()["count"] == 1000 and len(response.json()["results"]) == 100


def _without_badge(settings):
    templates = [dict(settings.TEMPLATES[0])]
    options = dict(templates[0]["OPTIONS"])
    options["context_processors"] = [
        p for p in options["context_processors"] if not p.startswith("messaging.")
    ]
    templates[0]["OPTIONS"] = options
    settings.TEMPLATES = templates


def _count(client, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session writes it; count a later one
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_the_badge_adds_no_query_for_people_without_messages(
    who, staff, login, client, settings, django_assert_num_queries
):
    browser = login(staff) if who == "staff" else client
    url = reverse("staff_dashboard") if who == "staff" else reverse("home")
    with_badge = _count(browser, url, django_assert_num_queries)
    _without_badge(settings)
    assert _count(browser, url, django_assert_num_queries) == with_badge


@pytest.mark.parametrize("who", ["patient", "doctor", "pending"])
def test_the_badge_adds_no_query_for_patients_and_doctors(
    who,
    patient_a,
    other_doctor,
    unverified_doctor,
    colleague_thread,
    login,
    settings,
    django_assert_num_queries,
):
    people = {"patient": patient_a, "doctor": other_doctor.user, "pending": unverified_doctor.user}
    user = people[who]
    client = login(user)
    url = reverse("notifications:list")
    with_badge = _count(client, url, django_assert_num_queries)
    page = client.get(url).content.decode()
    assert ('data-testid="unread-messages"' in page) == (who == "doctor")
    assert ("Messages" in page) == (who != "pending")
    _without_badge(settings)
    assert _count(client, url, django_assert_num_queries) == with_badge
