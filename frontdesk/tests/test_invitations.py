"""A walk-in patient is invited to claim their account by email or by a link the desk
sends by SMS; the link works once and names the served site."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import log_in
from frontdesk.models import AccountInvitation

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8103"
PASSWORD = "a-long-claim-pass-77"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.MEDCONNECT_SITE_URL = SITE


def _invite(staff_client, patient, email=""):
    return staff_client.post(reverse("admin:frontdesk_invite", args=[patient.pk]), {"email": email})


def _link_path(text):
    match = re.search(re.escape(SITE) + r"(/welcome/claim/[^\s\"<]+/)", text)
    assert match, text
    return match.group(1)


def test_an_emailed_invitation_lets_the_patient_claim_with_a_confirmed_address(
    staff_client, walk_in, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(staff_client, walk_in, "kiran@example.com")
    assert response.status_code == 302

    [message] = mail.outbox
    assert message.to == ["kiran@example.com"]
    assert message.subject == "[MedConnect] Your account at MedConnect Clinic"
    path = _link_path(message.body)
    page = client.get(path)
    assert page.status_code == 200
    assert "Welcome, Kiran Walkin" in page.content.decode()
    response = client.post(
        path, {"email": "kiran@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    walk_in.refresh_from_db()
    assert walk_in.has_usable_password() and walk_in.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=walk_in).verified
    assert AccountInvitation.objects.get(patient=walk_in).claimed_at is not None
    # Signed in at once; the link is spent.
    assert log_in(client, "kiran@example.com", PASSWORD).status_code == 302
    assert client.get(path).status_code == 404


def test_an_sms_link_is_shown_to_the_desk_and_the_new_address_is_confirmed_at_sign_in(
    staff_client, walk_in, client
):
    response = _invite(staff_client, walk_in)

    assert response.status_code == 200
    assert mail.outbox == []
    page = response.content.decode()
    path = _link_path(page)
    assert "Send this link to +91 98450 11111" in page
    invitation = AccountInvitation.objects.get(patient=walk_in)
    assert invitation.channel == "link" and path not in str(invitation.__dict__)

    client.post(path, {"email": "kiran@example.com", "password1": PASSWORD, "password2": PASSWORD})

    address = EmailAddress.objects.get(user=walk_in)
    assert address.email == "kiran@example.com" and not address.verified


def test_a_wrong_or_used_link_is_a_404(client, walk_in):
    assert client.get("/welcome/claim/MQ/not-a-token/").status_code == 404
    assert client.get("/welcome/claim/%%%/x/").status_code == 404


def test_an_address_already_in_use_is_refused(staff_client, walk_in, patient_a):
    response = _invite(staff_client, walk_in, patient_a.email)
    assert response.status_code == 400
    assert "Another account already uses this email address." in response.content.decode()


def test_a_weak_password_is_refused_on_the_claim_page(staff_client, walk_in, client):
    path = _link_path(_invite(staff_client, walk_in).content.decode())
    response = client.post(path, {"email": "k@example.com", "password1": "123", "password2": "123"})
    assert response.status_code == 400
    walk_in.refresh_from_db()
    assert not walk_in.has_usable_password()


def test_a_patient_with_an_account_is_not_invited(staff_client, patient_a):
    response = _invite(staff_client, patient_a, "new@example.com")
    assert "Asha Patient already signs in to their account." in response.content.decode()
    patient_a.refresh_from_db()
    assert patient_a.email == "asha@example.com"


def test_the_invitation_is_written_in_the_patients_language(
    staff_client, walk_in, django_capture_on_commit_callbacks
):
    """The desk works in English; a patient saved as reading Hindi is invited in Hindi."""
    walk_in.language = "hi"
    walk_in.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(staff_client, walk_in, "kiran@example.com")
    [message] = mail.outbox
    assert message.subject == "[MedConnect] MedConnect Clinic में आपका खाता"
