import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from notifications.models import CalendarFeed, Notification, calendar_token_digest
from notifications.services import notification_send


def notify(user, title="Appointment confirmed", url="", **extra):
    return notification_send(
        recipient=user, kind="test", title=title, url=url, email=False, **extra
    )


@pytest.mark.django_db
def test_list_shows_own_notifications_newest_first(login, patient_a, patient_b):
    notify(patient_a, title="First notice")
    notify(patient_a, title="Second notice")
    notify(patient_b, title="Someone else's notice")

    response = login(patient_a).get(reverse("notifications:list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Second notice") < page.index("First notice")
    assert "Someone else&#x27;s notice" not in page and "Someone else's notice" not in page
    assert page.count("Unread: ") == 2


@pytest.mark.django_db
def test_empty_list_says_so(login, patient_a):
    page = login(patient_a).get(reverse("notifications:list")).content.decode()

    assert "You have no notifications." in page


@pytest.mark.django_db
def test_list_is_paginated(login, patient_a):
    for i in range(30):
        notify(patient_a, title=f"Notice {i:02d}")

    client = login(patient_a)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Notice 29" in page
    assert "Notice 04" not in page
    assert "Page 1 of 2" in page
    page = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert "Notice 04" in page
    assert client.get(reverse("notifications:list"), {"page": "zzz"}).status_code == 200


@pytest.mark.django_db
def test_mark_read_goes_to_the_link(login, patient_a):
    notice = notify(patient_a, url="/patient/")

    response = login(patient_a).post(reverse("notifications:read", args=[notice.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/patient/"
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["", "https://evil.example/", "//evil.example/"])
def test_mark_read_never_leaves_the_site(login, patient_a, url):
    notice = notify(patient_a, url=url)

    response = login(patient_a).post(reverse("notifications:read", args=[notice.pk]))

    assert response["Location"] == reverse("notifications:list")


@pytest.mark.django_db
def test_someone_elses_notification_cannot_be_marked_read(login, patient_a, patient_b):
    theirs = notify(patient_b, url="/patient/secret/")

    response = login(patient_a).post(reverse("notifications:read", args=[theirs.pk]))

    assert response["Location"] == reverse("notifications:list")
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_read_needs_post(login, patient_a):
    notice = notify(patient_a)

    response = login(patient_a).get(reverse("notifications:read", args=[notice.pk]))

    assert response.status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.django_db
def test_mark_all_read_touches_only_own_unread(login, patient_a, patient_b):
    earlier = timezone.now() - timezone.timedelta(days=1)
    already = notify(patient_a)
    Notification.objects.filter(pk=already.pk).update(read_at=earlier)
    notify(patient_a)
    notify(patient_a)
    theirs = notify(patient_b)

    response = login(patient_a).post(reverse("notifications:read_all"), follow=True)

    assert "Marked 2 notification(s) as read." in response.content.decode()
    assert not Notification.objects.for_user(patient_a).unread().exists()
    already.refresh_from_db()
    assert already.read_at == earlier
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_unread_count_shows_in_the_navbar(login, patient_a, patient_b):
    for _ in range(3):
        notify(patient_a)
    notify(patient_b)
    client = login(patient_a)

    page = client.get(reverse("patients:dashboard")).content.decode()
    assert 'data-testid="unread-count">3<' in page

    client.post(reverse("notifications:read_all"))
    page = client.get(reverse("patients:dashboard")).content.decode()
    assert 'data-testid="unread-count"' not in page


@pytest.mark.django_db
def test_doctor_without_two_factor_is_sent_to_enrol_before_reading_notifications(login):
    # Notices name patients and visit times; the license decision also comes by email.
    user = UserFactory(email="doc.no2fa@example.com", role=Role.DOCTOR)
    notify(user, title="New request from Asha Patient")

    response = login(user).get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:security_setup")


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_notifications(
    login, patient_a, django_assert_num_queries
):
    Notification.objects.bulk_create(
        [Notification(recipient=patient_a, kind="test", title=f"N{i}") for i in range(60)]
        + [
            # Appointment notices carry an email context and a calendar file.
            Notification(
                recipient=patient_a,
                kind="appointment_confirmed",
                title=f"A{i}",
                email_template="appointment_confirmed",
                email_context={"appointment": {"id": i, "doctor_name": "Dr. X"}},
                ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            )
            for i in range(60)
        ]
    )
    client = login(patient_a)
    client.get(reverse("notifications:list"))  # session stamps written once

    # session, user, page count, page rows, navbar unread count
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "Page 1 of 5" in response.content.decode()


def test_account_menu_leads_to_waitlists_and_the_calendar_feed(login, patient_a, doctor):
    patient_page = login(patient_a).get(reverse("notifications:list")).content.decode()
    assert reverse("waitlist:list") in patient_page
    assert reverse("notifications:calendar") in patient_page
    doctor_page = login(doctor.user).get(reverse("notifications:list")).content.decode()
    assert reverse("notifications:calendar") in doctor_page
    assert reverse("waitlist:list") not in doctor_page


@pytest.mark.django_db
def test_settings_page_creates_and_shows_the_feed_url(patient_a, login, settings):
    settings.MEDCONNECT_SITE_URL = "https://clinic.example.com"
    client = login(patient_a)
    page = client.get(reverse("notifications:calendar")).content.decode()
    assert "Create my calendar address" in page

    client.post(reverse("notifications:calendar"))

    feed = CalendarFeed.objects.get(user=patient_a)
    page = client.get(reverse("notifications:calendar")).content.decode()
    assert f"https://clinic.example.com/calendar/{feed.token}.ics" in page
    assert feed.token_digest == calendar_token_digest(feed.token)
    assert feed.token not in feed.token_digest


@pytest.mark.django_db
def test_settings_page_is_for_patients_and_doctors(staff, login):
    assert login(staff).get(reverse("notifications:calendar")).status_code == 404
