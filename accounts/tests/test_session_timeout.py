import time

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from accounts.tests.factories import DEFAULT_PASSWORD, log_in


@pytest.fixture
def signed_in(client, patient_a):
    # A real sign-in, then one page so the middleware stamps the session.
    log_in(client, patient_a.email, DEFAULT_PASSWORD)
    assert client.get(reverse("patients:dashboard")).status_code == 200
    return client


def set_stamps(client, **stamps):
    session = client.session
    session.update(stamps)
    session.save()


@pytest.mark.django_db
def test_first_request_stamps_the_session(signed_in):
    session = signed_in.session
    assert abs(session[SESSION_STARTED_KEY] - time.time()) < 60
    assert abs(session[SESSION_LAST_SEEN_KEY] - time.time()) < 60


@pytest.mark.django_db
def test_idle_session_is_signed_out_with_a_message(signed_in):
    set_stamps(signed_in, **{SESSION_LAST_SEEN_KEY: time.time() - 16 * 60})

    response = signed_in.get(reverse("patients:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after a period of inactivity." in page
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get(reverse("patients:dashboard")).status_code == 302


@pytest.mark.django_db
def test_activity_within_the_idle_window_keeps_the_session(signed_in):
    set_stamps(signed_in, **{SESSION_LAST_SEEN_KEY: time.time() - 14 * 60})

    assert signed_in.get(reverse("patients:dashboard")).status_code == 200
    # The request refreshed the stamp, so the session is good for another 15 minutes.
    assert time.time() - signed_in.session[SESSION_LAST_SEEN_KEY] < 60


@pytest.mark.django_db
def test_session_ends_after_its_absolute_lifetime_even_when_active(signed_in, settings):
    now = time.time()
    set_stamps(
        signed_in,
        **{
            SESSION_STARTED_KEY: now - settings.MEDCONNECT_SESSION_MAX_AGE_SECONDS - 60,
            SESSION_LAST_SEEN_KEY: now - 30,
        },
    )

    response = signed_in.get(reverse("patients:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    page = signed_in.get(response["Location"]).content.decode()
    assert "Your session has expired. Please sign in again." in page
    assert "_auth_user_id" not in signed_in.session


@pytest.mark.django_db
def test_idle_limit_follows_the_setting(signed_in, settings):
    settings.MEDCONNECT_SESSION_IDLE_SECONDS = 60
    set_stamps(signed_in, **{SESSION_LAST_SEEN_KEY: time.time() - 120})

    assert signed_in.get(reverse("patients:dashboard")).status_code == 302


@pytest.mark.django_db
def test_anonymous_visitors_are_not_touched(client):
    assert client.get(reverse("home")).status_code == 200
    assert SESSION_STARTED_KEY not in client.session
