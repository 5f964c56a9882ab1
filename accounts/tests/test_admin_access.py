import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_allauth_login(client):
    response = client.get("/admin/", follow=True)

    # Admin's own login page is only a hop: it forwards to allauth's.
    assert response.redirect_chain[-1][0] == reverse("account_login") + "?next=%2Fadmin%2F"
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()


@pytest.mark.django_db
def test_admin_login_page_goes_to_the_allauth_login(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.django_db
def test_admin_login_form_post_does_not_bypass_allauth(client, staff):
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": "correct-horse-battery-9"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["patient_a", "doctor"])
def test_patients_and_doctors_cannot_open_admin(request, login, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    client = login(user)
    elsewhere = client.get("/no-such-page/")
    for url in (
        "/admin/",
        "/admin/login/",
        "/admin/doctors/doctorprofile/",
        "/admin/accounts/user/",
    ):
        response = client.get(url)
        # The same answer as any other page they may not reach.
        assert response.status_code == 404, url
        assert response.content == elsewhere.content
        assert "MedConnect administration" not in response.content.decode()


@pytest.mark.django_db
def test_staff_without_two_factor_is_sent_to_security_setup(login):
    user = StaffFactory(email="new.staff@example.com")
    client = login(user)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:security_setup")
    response = client.get("/admin/doctors/doctorprofile/")
    assert response["Location"] == reverse("accounts:security_setup")
    page = client.get(reverse("accounts:security_setup")).content.decode()
    assert "Clinic staff must protect their account" in page


@pytest.mark.django_db
def test_staff_with_two_factor_gets_in(login, staff):
    response = login(staff).get("/admin/")

    assert response.status_code == 200
    assert "MedConnect administration" in response.content.decode()


@pytest.mark.django_db
def test_staff_dashboard_shows_queue_counts(login, staff, unverified_doctor, doctor):
    page = login(staff).get(reverse("staff_dashboard")).content.decode()

    assert 'data-testid="pending-count">1<' in page
    assert "licenses waiting for verification" in page
