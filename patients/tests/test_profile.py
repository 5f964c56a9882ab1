import datetime

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from patients.models import PatientProfile


def profile_data(**overrides):
    data = {
        "full_name": "Asha Verma",
        "date_of_birth": "1988-03-14",
        "sex": "female",
        "blood_group": "B+",
        "phone": "+91 98450 11111",
        "address": "4 Lake View, Pune",
        "emergency_contact_name": "Kiran Verma",
        "emergency_contact_phone": "+91 98450 22222",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_patient_sees_own_profile_form(login, patient_a):
    response = login(patient_a).get(reverse("patients:profile"))

    assert response.status_code == 200
    assert "My profile" in response.content.decode()
    assert "Asha Patient" in response.content.decode()


@pytest.mark.django_db
def test_patient_edits_profile(login, patient_a):
    client = login(patient_a)
    response = client.post(reverse("patients:profile"), profile_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("patients:dashboard")
    page = response.content.decode()
    assert "Your profile was saved." in page
    assert "Kiran Verma" in page
    profile = PatientProfile.objects.get(user=patient_a)
    assert profile.date_of_birth == datetime.date(1988, 3, 14)
    assert profile.sex == "female"
    assert profile.address == "4 Lake View, Pune"
    profile.user.refresh_from_db()
    assert profile.user.full_name == "Asha Verma"
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, patient=patient_a)
    assert event.actor == patient_a
    assert "address" in event.detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "The date of birth cannot be in the future."),
        ("date_of_birth", "1800-01-01", "Enter a date of birth within the last 130 years."),
        ("date_of_birth", "not a date", "Enter a valid date."),
        ("phone", "12ab", "Enter a phone number of 8 to 20 digits"),
        ("emergency_contact_phone", "x", "Enter a phone number of 8 to 20 digits"),
        ("sex", "robot", "Select a valid choice."),
        ("blood_group", "Z+", "Select a valid choice."),
    ],
)
def test_bad_profile_input_shows_message_and_changes_nothing(
    login, patient_a, field, value, message
):
    before = PatientProfile.objects.values().get(user=patient_a)
    response = login(patient_a).post(reverse("patients:profile"), profile_data(**{field: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert PatientProfile.objects.values().get(user=patient_a) == before
    patient_a.refresh_from_db()
    assert patient_a.full_name == "Asha Patient"
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


@pytest.mark.django_db
def test_posted_user_field_cannot_move_the_profile(login, patient_a, patient_b):
    client = login(patient_a)
    client.post(reverse("patients:profile"), profile_data(user=patient_b.pk))

    assert PatientProfile.objects.get(user=patient_b).address == ""
    assert PatientProfile.objects.get(user=patient_a).address == "4 Lake View, Pune"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["patients:dashboard", "patients:profile"])
def test_patient_pages_are_404_for_everyone_but_patients(
    login, doctor, unverified_doctor, staff, route
):
    for user in (doctor.user, unverified_doctor.user, staff):
        assert login(user).get(reverse(route)).status_code == 404
        assert login(user).post(reverse(route), profile_data()).status_code == 404


@pytest.mark.django_db
def test_patient_dashboard_shows_own_details_only(login, patient_a, patient_b):
    page = login(patient_a).get(reverse("patients:dashboard")).content.decode()

    assert "asha@example.com" in page
    assert "bela@example.com" not in page


@pytest.mark.django_db
def test_an_account_without_a_profile_is_asked_to_complete_it(login):
    from accounts.tests.factories import UserFactory

    user = UserFactory(full_name="Headless Signup")  # signed up through the API
    client = login(user)

    response = client.get(reverse("patients:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("patients:profile")
    assert "Please complete your profile first." in response.content.decode()

    response = client.post(reverse("patients:profile"), profile_data(full_name="Hema Signup"))
    assert response.status_code == 302
    profile = PatientProfile.objects.get(user=user)
    assert profile.phone == "+91 98450 11111"
    assert profile.emergency_contact_name == "Kiran Verma"
    user.refresh_from_db()
    assert user.full_name == "Hema Signup"
    assert client.get(reverse("patients:dashboard")).status_code == 200


@pytest.mark.django_db
def test_completing_a_profile_needs_birth_date_and_phone(login):
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    response = login(user).post(
        reverse("patients:profile"), profile_data(phone="", date_of_birth="")
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PatientProfile.objects.filter(user=user).exists()
