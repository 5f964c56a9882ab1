import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import log_in
from patients.models import PatientProfile

PASSWORD = "Sunflower-Meadow-42"


def signup_data(**overrides):
    data = {
        "full_name": "  Nina   Kapoor ",
        "email": "nina@example.com",
        "phone": "+91 98450 12345",
        "date_of_birth": "1991-04-23",
        "blood_group": "A+",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_signup_creates_patient_with_profile_and_sends_confirmation(client):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="nina@example.com")
    assert user.role == Role.PATIENT
    assert user.full_name == "Nina Kapoor"
    profile = PatientProfile.objects.get(user=user)
    assert str(profile.date_of_birth) == "1991-04-23"
    assert profile.phone == "+91 98450 12345"
    assert profile.blood_group == "A+"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_blood_group_is_optional(client):
    response = client.post(reverse("account_signup"), signup_data(blood_group=""))

    assert response.status_code == 302
    assert PatientProfile.objects.get(user__email="nina@example.com").blood_group == ""


@pytest.mark.django_db
def test_unconfirmed_patient_cannot_reach_dashboard_until_email_confirmed(client):
    client.post(reverse("account_signup"), signup_data())
    link = confirmation_link(mail.outbox[0])
    client.logout()

    response = log_in(client, "nina@example.com", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] != reverse("accounts:dashboard")
    response = client.get(reverse("patients:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    page = client.get(link)
    assert page.status_code == 200
    assert "nina@example.com" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert User.objects.get(email="nina@example.com").emailaddress_set.get().verified

    response = log_in(client, "nina@example.com", PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("patients:dashboard")
    assert "Hello, Nina" in response.content.decode()
    assert "+91 98450 12345" in response.content.decode()


@pytest.mark.django_db
def test_login_with_email_in_other_case_works(client, patient_a):
    response = log_in(client, "ASHA@Example.com", "correct-horse-battery-9")
    assert response.status_code == 302
    assert client.get(reverse("patients:dashboard")).status_code == 200


@pytest.mark.django_db
def test_duplicate_email_is_refused_with_a_clear_message(client, patient_a):
    response = client.post(reverse("account_signup"), signup_data(email="ASHA@example.com"))

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="asha@example.com").count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "The date of birth cannot be in the future."),
        ("phone", "call me", "Enter a phone number of 8 to 20 digits"),
        ("full_name", " ", "This field is required."),
        ("password2", "Different-Password-99", "You must type the same password each time."),
    ],
)
def test_bad_signup_input_shows_message_and_creates_nothing(client, field, value, message):
    response = client.post(reverse("account_signup"), signup_data(**{field: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_posted_role_and_staff_flags_are_ignored(client):
    data = signup_data(role="staff", is_staff="on", is_superuser="on")
    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 302
    user = User.objects.get(email="nina@example.com")
    assert user.role == Role.PATIENT
    assert not user.is_staff
    assert not user.is_superuser
