"""Every account page has the site's look: Bootstrap form fields through crispy forms,
headings and buttons in sentence case, inside the site's frame."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = ["account_login", "account_reset_password"]
SIGNED_IN_PAGES = ["account_change_password", "account_email", "mfa_index", "account_logout"]


def _check(page):
    assert 'aria-label="Main"' in page  # the site's navigation
    for title_case in (
        "Sign In",
        "Sign Out",
        "Change Password",
        "Email Addresses",
        "Password Reset",
    ):
        assert title_case not in page, title_case


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_sign_in_and_reset_pages_are_styled(client, name):
    page = client.get(reverse(name)).content.decode()
    _check(page)
    assert "form-control" in page and 'class="btn btn-primary' in page


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_account_pages_of_a_signed_in_person_are_styled(login, patient_a, name):
    page = login(patient_a).get(reverse(name)).content.decode()
    _check(page)
    assert 'class="btn btn-' in page


def test_the_sign_in_page_reads_sign_in(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "<title>Sign in · MedConnect</title>" in page
    assert '<h1 class="h3 mb-3">Sign in</h1>' in page
    assert "<p>" not in page.split("<form")[1].split("</form>")[0][:200]  # not as_p


def test_the_empty_sign_in_form_is_rendered_once_per_language(client, monkeypatch):
    from accounts.templatetags import account_pages

    monkeypatch.setattr(account_pages, "_rendered_fields", {})
    calls = []
    real = account_pages.as_crispy_form
    monkeypatch.setattr(
        account_pages, "as_crispy_form", lambda form: calls.append(type(form)) or real(form)
    )
    url = reverse("account_login")
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert len(calls) == 1
    assert 'name="login"' in first and 'name="password"' in second
    hindi = client.get(url, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert len(calls) == 2
    assert "पासवर्ड" in hindi
    # A form sent back with an error is the visitor's own: built afresh, never kept.
    response = client.post(url, {"login": "nobody@example.com", "password": "wrong-password"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="nobody@example.com"' in page
    assert len(calls) == 3
    assert 'value="nobody@example.com"' not in client.get(url).content.decode()
    assert len(calls) == 3
