"""A patient's own time zone: chosen in the profile, or their browser's by default."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _profile_data(**extra):
    return {
        "full_name": "Asha Patient",
        "date_of_birth": "1990-04-02",
        "sex": "female",
        "blood_group": "",
        "phone": "+91 98450 12345",
        "address": "",
        "emergency_contact_name": "",
        "emergency_contact_phone": "",
        **extra,
    }


def test_the_patient_sets_their_time_zone(login, patient_a):
    client = login(patient_a)
    page = client.get(reverse("patients:profile")).content.decode()
    assert "My browser&#x27;s time zone" in page and "data-browser-time-zone" in page

    response = client.post(reverse("patients:profile"), _profile_data(time_zone="Asia/Kolkata"))

    assert response.status_code == 302
    patient_a.refresh_from_db()
    assert patient_a.time_zone == "Asia/Kolkata"


def test_an_unknown_zone_is_refused(login, patient_a):
    response = login(patient_a).post(
        reverse("patients:profile"), _profile_data(time_zone="Mars/Olympus")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    patient_a.refresh_from_db()
    assert patient_a.time_zone == ""


def test_the_date_of_birth_stays_required_in_the_profile(login, patient_a):
    response = login(patient_a).post(reverse("patients:profile"), _profile_data(date_of_birth=""))
    assert "This field is required" in response.content.decode()


def test_signup_keeps_the_browsers_time_zone(client):
    from accounts.models import User

    from .test_signup import signup_data

    page = client.get(reverse("account_signup")).content.decode()
    assert "data-browser-time-zone" in page  # preselected by static/js/time-zone.js
    client.post(reverse("account_signup"), signup_data(time_zone="Europe/Berlin"))
    assert User.objects.get(email=signup_data()["email"]).time_zone == "Europe/Berlin"
