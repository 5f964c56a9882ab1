import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import DEFAULT_PASSWORD


def change_data(user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_staff_create_a_user(login, staff):
    response = login(staff).post(
        reverse("admin:accounts_user_add"),
        {
            "email": "reception@example.com",
            "full_name": "Rina Reception",
            "role": "staff",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="reception@example.com")
    assert user.role == Role.STAFF
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_admin_access_for_a_patient_is_refused_with_a_clear_message(login, staff, patient_a):
    url = reverse("admin:accounts_user_change", args=[patient_a.pk])
    response = login(staff).post(url, change_data(patient_a, is_staff="on"))

    assert response.status_code == 200
    assert "Only people with the staff role can open Django Admin" in response.content.decode()
    patient_a.refresh_from_db()
    assert not patient_a.is_staff


@pytest.mark.django_db
def test_staff_search_users_by_email(login, staff, patient_a, patient_b):
    page = login(staff).get(reverse("admin:accounts_user_changelist"), {"q": "bela"})

    assert "bela@example.com" in page.content.decode()
    assert "asha@example.com" not in page.content.decode()
