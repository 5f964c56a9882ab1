"""Signing in through allauth's headless API and calling the REST API with the token;
the browser session cookie with CSRF; two-factor, session expiry and rate limits."""

import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from accounts.middleware import SESSION_LAST_SEEN_KEY
from accounts.tests.factories import DEFAULT_PASSWORD, TOTP_SECRET, session_token
from doctors.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db

LOGIN = "/_allauth/app/v1/auth/login"
SESSION = "/_allauth/app/v1/auth/session"


def _login(client, email):
    response = client.post(LOGIN, {"email": email, "password": DEFAULT_PASSWORD}, format="json")
    return response


def test_login_with_the_headless_api_then_call_the_api_with_the_token(patient_a):
    client = APIClient()
    response = _login(client, patient_a.email)
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]

    api = APIClient()
    api.credentials(HTTP_X_SESSION_TOKEN=token)
    me = api.get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["email"] == patient_a.email
    assert me.json()["role"] == "patient"

    # Logging out through the headless API ends the token.
    logout = APIClient()
    logout.credentials(HTTP_X_SESSION_TOKEN=token)
    assert logout.delete(SESSION).status_code == 401
    assert api.get(reverse("api:me")).status_code == 401


def test_doctor_login_asks_for_the_totp_code_before_issuing_a_usable_token(doctor):
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    client = APIClient()
    response = _login(client, doctor.user.email)
    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["mfa_authenticate"].get("is_pending")
    token = response.json()["meta"]["session_token"]

    code = f"{hotp_value(TOTP_SECRET, next(yield_hotp_counters_from_time())):06d}"
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    done = client.post("/_allauth/app/v1/auth/2fa/authenticate", {"code": code}, format="json")
    assert done.status_code == 200, done.content
    token = done.json()["meta"]["session_token"]

    api = APIClient()
    api.credentials(HTTP_X_SESSION_TOKEN=token)
    assert api.get(reverse("api:appointments")).status_code == 200


def test_anonymous_gets_401_not_403(api):
    response = api().get(reverse("api:appointments"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_wrong_token_is_401(api):
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN="not-a-session")
    assert client.get(reverse("api:me")).status_code == 401


def test_public_endpoints_need_no_login(api):
    client = api()
    assert client.get(reverse("api:specializations")).status_code == 200
    assert client.get(reverse("api:doctors")).status_code == 200


def test_doctor_without_two_factor_gets_403_on_patient_data_but_sees_their_profile(api):
    doctor = DoctorFactory()
    client = api(doctor.user)
    response = client.get(reverse("api:appointments"))
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]
    assert client.get(reverse("api:me")).status_code == 200


def test_session_cookie_works_and_writes_need_the_csrf_token(patient_a, upcoming):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(patient_a)
    assert client.get(reverse("api:appointments")).json()["count"] == 1
    url = reverse("api:appointment_cancel", args=[upcoming.pk])
    assert client.post(url, {}, format="json").status_code == 403
    upcoming.refresh_from_db()
    assert upcoming.status == "confirmed"


def test_an_idle_token_session_expires(api, patient_a, settings):
    from importlib import import_module

    token = session_token(patient_a)
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    assert client.get(reverse("api:me")).status_code == 200
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=token)
    store[SESSION_LAST_SEEN_KEY] = time.time() - settings.MEDCONNECT_SESSION_IDLE_SECONDS - 5
    store.save()
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_throttled_requests_get_429(api, patient_a, monkeypatch):
    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"}
    )
    monkeypatch.setattr(
        AnonRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"}
    )
    client = api(patient_a)
    codes = [client.get(reverse("api:notifications")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get(reverse("api:notifications")).json()["code"] == "throttled"
    anonymous = api()
    codes = [anonymous.get(reverse("api:specializations")).status_code for _ in range(3)]
    assert codes[-1] == 429
