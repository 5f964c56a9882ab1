import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, log_in

TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.mark.django_db
def test_login_page_is_public(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_shows_a_message(client, patient_a):
    response = log_in(client, patient_a.email, "wrong-password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_is_refused_after_five_failures_even_with_the_right_password(client, patient_a):
    for _ in range(5):
        response = log_in(client, patient_a.email, "wrong-password")
        assert TOO_MANY not in response.content.decode()

    response = log_in(client, patient_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The limit is per email address: another person still signs in.
    other = Client()
    assert log_in(other, "bela@example.com", "nope").status_code == 200


@pytest.mark.django_db
def test_limit_applies_whatever_the_case_of_the_email(client, patient_a):
    for variant in ["asha@example.com", "ASHA@example.com", "Asha@Example.com"] * 2:
        log_in(client, variant, "wrong-password")

    response = log_in(client, "asha@example.com", DEFAULT_PASSWORD)
    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_admin_sign_in_is_held_to_the_same_limit(client, staff):
    for _ in range(5):
        log_in(client, staff.email, "wrong-password")

    response = client.get(reverse("admin:login"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    response = client.post(
        response.redirect_chain[-1][0], {"login": staff.email, "password": DEFAULT_PASSWORD}
    )
    assert TOO_MANY in response.content.decode()
    assert (
        client.get("/admin/", follow=True)
        .redirect_chain[-1][0]
        .startswith(reverse("account_login"))
    )


@pytest.mark.django_db
def test_session_key_changes_at_login(client, patient_a):
    client.get(reverse("account_login"))
    session = client.session
    session["probe"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = log_in(client, patient_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.session["_auth_user_id"] == str(patient_a.pk)
    # The old key is worth nothing.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stale.get(reverse("patients:dashboard")).status_code == 302


@pytest.mark.django_db
def test_session_cookie_ends_with_the_browser(client, patient_a):
    log_in(client, patient_a.email, DEFAULT_PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]

    assert cookie["httponly"]
    assert not cookie["max-age"]
    assert not cookie["expires"]


@pytest.mark.django_db
def test_logout_ends_the_session(client, patient_a):
    log_in(client, patient_a.email, DEFAULT_PASSWORD)
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("patients:dashboard")).status_code == 200

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get(reverse("patients:dashboard")).status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get(reverse("patients:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_dashboard_sends_each_role_home(login, patient_a, doctor, staff):
    assert login(patient_a).get("/dashboard/")["Location"] == reverse("patients:dashboard")
    assert login(doctor.user).get("/dashboard/")["Location"] == reverse("doctor_dashboard")
    assert login(staff).get("/dashboard/")["Location"] == reverse("staff_dashboard")
