import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import log_in

NEW_PASSWORD = "Lantern-Orchard-58"


def reset_link(message):
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_reset_by_email_sets_a_new_password(client, patient_a):
    response = client.post(reverse("account_reset_password"), {"email": "ASHA@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asha@example.com"]
    link = reset_link(mail.outbox[0])

    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    old = log_in(client, patient_a.email, "correct-horse-battery-9")
    assert old.status_code == 200
    response = log_in(client, patient_a.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("patients:dashboard")).status_code == 200


@pytest.mark.django_db
def test_reset_link_works_only_once(client, patient_a):
    client.post(reverse("account_reset_password"), {"email": patient_a.email})
    link = reset_link(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.get(link, follow=True)
    assert "possibly because it has already been used" in response.content.decode()


@pytest.mark.django_db
def test_unknown_email_gets_the_same_page_and_no_reset_link(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_mismatched_new_passwords_are_refused(client, patient_a):
    client.post(reverse("account_reset_password"), {"email": patient_a.email})
    response = client.get(reset_link(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": "other-Thing-77"})

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
