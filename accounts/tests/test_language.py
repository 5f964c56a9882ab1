"""The language a person reads MedConnect in: the browser's for a visitor, the one they
pick (picker on every page, field on the sign-up form), saved on their account and
applied at each sign-in."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_the_language_their_browser_asks_for(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="hi,en;q=0.5")
    assert '<html lang="hi">' in page.text
    assert "सत्यापित डॉक्टर खोजें" in page.text
    assert page["Content-Language"] == "hi"
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.text
    assert "Find a verified doctor" in english.text


def test_every_page_has_a_language_picker_that_works_without_script(client):
    page = client.get(reverse("home"))
    assert 'data-testid="language-picker"' in page.text
    assert f'action="{reverse("set_language")}"' in page.text
    assert '<label for="language-picker" class="visually-hidden">Language</label>' in page.text
    assert '<option value="hi" lang="hi">हिंदी</option>' in page.text


def test_a_visitor_picking_hindi_gets_it_on_the_next_page(client):
    response = client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="hi">' in page.text


def test_a_signed_in_person_picking_hindi_has_it_saved_on_their_account(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    user.refresh_from_db()
    assert user.language == "hi"


def test_the_saved_language_applies_at_sign_in_whatever_the_browser_says(client):
    user = UserFactory(language="hi")
    client.force_login(user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="hi">' in page.text
    assert "साइन आउट करें" in page.text


def test_an_unknown_language_is_not_saved(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_the_picker_only_takes_a_post(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_sign_up_in_hindi_saves_hindi_and_confirms_in_hindi(client):
    form = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="hi")
    assert '<option value="hi" selected>' in form.text
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Meera Rao",
            "email": "meera@example.com",
            "phone": "+91 98450 12345",
            "date_of_birth": "1990-04-02",
            "password1": "a-long-Passw0rd-here",
            "password2": "a-long-Passw0rd-here",
            "language": "hi",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302, response.text
    from accounts.models import User

    assert User.objects.get(email="meera@example.com").language == "hi"
    assert len(mail.outbox) == 1


def test_sign_up_without_the_field_keeps_the_page_language(client):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Kiran Das",
            "email": "kiran@example.com",
            "phone": "+91 98450 12346",
            "date_of_birth": "1990-04-02",
            "password1": "a-long-Passw0rd-here",
            "password2": "a-long-Passw0rd-here",
        },
        HTTP_ACCEPT_LANGUAGE="hi",
    )
    from accounts.models import User

    assert User.objects.get(email="kiran@example.com").language == "hi"
