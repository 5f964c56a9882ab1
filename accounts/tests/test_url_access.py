"""Every page needs a signed-in person, except a short public list.

The walk covers every route the project has, including the ones added later:
a new public page must be added to PUBLIC on purpose.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

PUBLIC = {
    "home",
    "health",
    # The language picker: a visitor chooses before signing in.
    "set_language",
    "account_signup",
    "doctor_signup",
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "directory:search",
    "directory:doctor",
    "directory:doctor_calendar",
    # A walk-in patient claims the account the front desk made, from the link sent.
    "frontdesk:claim",
    "doctors:photo",
    # The API's side of the public pages: its description, and the directory of
    # verified doctors with their free slots (also as FHIR Schedule / Slot).
    "api:schema",
    "api:docs",
    "api:redoc",
    "api:specializations",
    "api:doctors",
    "api:doctor",
    "api:doctor_slots",
    "fhir:metadata",
    # The assistant answers anyone in general terms and invites them to sign in;
    # a patient's own conversations need them signed in.
    "assistant:chat",
    "assistant:panel",
    "assistant:send",
    "api:assistant_message",
    "fhir:schedules",
    "fhir:slots",
    # allauth headless: what the sign-in API offers (login methods, open signup).
    "headless:app:config",
    "headless:browser:config",
}

# Steps of the sign-in flows that answer anonymous visitors with a redirect
# or an explanation but show nothing of anyone's account.
SIGN_IN_FLOW = {
    "account_logout",
    "account_inactive",
    "account_signup_closed",
    "account_reauthenticate",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_trust",
    "account_login_code_confirm",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_verify_phone",
    "account_confirm_password_reset_code",
    "account_password_reset_code",
}

SAMPLE_BY_CONVERTER = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "sample",
}


def _route_sample(route):
    def sub(match):
        return SAMPLE_BY_CONVERTER.get(match.group(1) or "str", "1")

    return re.sub(r"<(?:(\w+):)?\w+>", sub, route)


def _regex_sample(regex):
    sample = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    # Named groups: the first alternative when it lists words, else a digit.
    sample = re.sub(
        r"\(\?P<\w+>([^()]*)\)",
        lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|]+", m.group(1)) else "1",
        sample,
    )
    return sample.replace("\\", "")


def _sample(pattern):
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "regex") and not hasattr(pattern.pattern, "_route"):
        return _regex_sample(text)
    return _route_sample(text)


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}{ns}:" if ns else namespace
            yield from walk(pattern.url_patterns, prefix + _sample(pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield name, "/" + prefix + _sample(pattern)


def all_routes():
    routes = {}
    for name, url in walk(get_resolver().url_patterns):
        try:
            resolve(url)
        except Resolver404:
            continue
        routes.setdefault(url, name)
    return sorted(routes.items())


def test_the_walk_finds_the_known_routes():
    urls = dict(all_routes())
    names = set(urls.values())
    assert {"home", "health", "patients:dashboard", "doctors:profile", "admin:index"} <= names
    assert "notifications:read" in names
    assert len(urls) > 50


def _is_login_redirect(response):
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/accounts/login/") or location.startswith("/admin/login/")
    )


def _is_refused(name, response):
    if _is_login_redirect(response) or response.status_code in (401, 403, 404, 405):
        return True
    # The headless sign-in API answers an anonymous client without a flow in
    # progress with 400 (missing input) or 409 (nothing to confirm): no data.
    return name.startswith("headless:") and 400 <= response.status_code < 500


@pytest.mark.django_db
def test_anonymous_get_is_sent_to_login_except_public_pages(client):
    leaks = []
    for url, name in all_routes():
        if name in PUBLIC or name in SIGN_IN_FLOW or url.startswith("/static/"):
            continue
        if name == "admin:login":
            continue  # forwards to allauth's login page, checked in test_admin_access
        response = client.get(url)
        if _is_refused(name, response):
            continue
        leaks.append(f"{url} ({name or 'unnamed'}): {response.status_code}")
    assert leaks == []


@pytest.mark.django_db
def test_anonymous_post_is_sent_to_login_too(client):
    leaks = []
    for url, name in all_routes():
        if name in PUBLIC or name in SIGN_IN_FLOW or name == "admin:login":
            continue
        response = client.post(url, {})
        if _is_refused(name, response):
            continue
        leaks.append(f"{url} ({name or 'unnamed'}): {response.status_code}")
    assert leaks == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/health/", "/accounts/signup/", "/accounts/signup/doctor/", "/accounts/login/"]
)
def test_public_pages_answer_anonymous_visitors(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_password_reset_request_page_is_public(client):
    assert client.get("/accounts/password/reset/").status_code == 200
