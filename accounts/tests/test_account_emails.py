"""Account emails (address confirmation, password reset, security notices) reach each
person in the language saved on their account, whatever language the page that
triggered them was read in."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Meera Rao",
    "email": "meera@example.com",
    "phone": "+91 98450 12345",
    "date_of_birth": "1990-04-02",
    "password1": "a-long-Passw0rd-here",
    "password2": "a-long-Passw0rd-here",
}


def link_in(message, path):
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signing_up_in_hindi_from_an_english_page_confirms_in_hindi(client):
    response = client.post(
        reverse("account_signup"), {**SIGN_UP, "language": "hi"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 302, response.text
    (message,) = mail.outbox
    assert message.to == ["meera@example.com"]
    assert message.subject == "[MedConnect] अपने ईमेल पते की पुष्टि करें"
    assert "नमस्ते Meera Rao," in message.body
    assert "यह पुष्टि करने के लिए कि यह पता आपका है, यह लिंक खोलें:" in message.body
    assert "Confirm" not in message.body
    link = link_in(message, "/accounts/confirm-email/")
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_signing_up_in_english_confirms_in_english(client):
    client.post(reverse("account_signup"), {**SIGN_UP, "language": "en"}, HTTP_ACCEPT_LANGUAGE="hi")

    (message,) = mail.outbox
    assert message.subject == "[MedConnect] Confirm your email address"
    assert "To confirm that the address is yours, open this link:" in message.body
    assert not re.search("[\u0900-\u097f]", message.subject + message.body)
    link_in(message, "/accounts/confirm-email/")


def test_a_reset_asked_from_an_english_page_reaches_a_hindi_reader_in_hindi(client):
    asha = UserFactory(email="asha.hi@example.com", full_name="Asha Verma", language="hi")

    client.post(reverse("account_reset_password"), {"email": asha.email}, HTTP_ACCEPT_LANGUAGE="en")

    (message,) = mail.outbox
    assert message.to == [asha.email]
    assert message.subject == "[MedConnect] अपना पासवर्ड रीसेट करें"
    assert "नमस्ते Asha Verma," in message.body
    assert "नया पासवर्ड चुनने के लिए यह लिंक खोलें:" in message.body
    assert "यह लिंक केवल एक बार काम करेगा।" in message.body
    link = link_in(message, "/accounts/password/reset/key/")
    assert client.get(link, follow=True).status_code == 200


def test_a_reset_asked_from_a_hindi_page_reaches_an_english_reader_in_english(client):
    ravi = UserFactory(email="ravi.en@example.com", full_name="Ravi Iyer", language="en")

    client.post(reverse("account_reset_password"), {"email": ravi.email}, HTTP_ACCEPT_LANGUAGE="hi")

    (message,) = mail.outbox
    assert message.subject == "[MedConnect] Reset your password"
    assert "Hello Ravi Iyer," in message.body
    assert "To choose one, open this link:" in message.body
    assert not re.search("[\u0900-\u097f]", message.subject + message.body)
    link_in(message, "/accounts/password/reset/key/")


def test_an_address_without_an_account_is_answered_in_the_language_of_the_page(client):
    client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.com"},
        HTTP_ACCEPT_LANGUAGE="hi",
    )

    (message,) = mail.outbox
    assert message.subject == "[MedConnect] इस ईमेल पते से कोई खाता नहीं है"
    assert "यदि यह आप थे, तो आप यहाँ साइन अप कर सकते हैं:" in message.body
    assert "/accounts/signup/" in message.body


def test_a_password_change_notice_reads_in_the_account_language(client, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    user = UserFactory(full_name="Asha Verma", language="hi")
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "Lantern-Orchard-58",
            "password2": "Lantern-Orchard-58",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[MedConnect] आपका पासवर्ड बदल दिया गया है"
    assert "आपका पासवर्ड बदल दिया गया है।" in message.body
    assert "यदि यह बदलाव आपने नहीं किया" in message.body
    assert User.objects.get(pk=user.pk).check_password("Lantern-Orchard-58")
