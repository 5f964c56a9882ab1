import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, TOTP_SECRET, StaffFactory, log_in
from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory

SETUP = reverse("accounts:security_setup")


@pytest.fixture
def doctor_without_totp(db):
    return DoctorFactory(user__email="no2fa.doc@example.com").user


@pytest.fixture
def staff_without_totp(db):
    return StaffFactory(email="no2fa.staff@example.com")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/doctor/dashboard/", "/dashboard/"])
def test_doctor_without_totp_is_sent_to_security_setup(login, doctor_without_totp, url):
    response = login(doctor_without_totp).get(url)

    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/", "/dashboard/staff/", "/dashboard/"])
def test_staff_without_totp_is_sent_to_security_setup(login, staff_without_totp, url):
    response = login(staff_without_totp).get(url)

    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.django_db
def test_setup_page_explains_and_links_to_enrolment(login, doctor_without_totp):
    page = login(doctor_without_totp).get(SETUP).content.decode()

    assert "Doctors must protect their account with an authenticator app" in page
    assert reverse("mfa_activate_totp") in page
    assert reverse("doctors:profile") in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [
        "doctors:profile",
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
        "accounts:security_setup",
    ],
)
def test_doctor_without_totp_reaches_profile_and_account_pages(login, doctor_without_totp, route):
    client = login(doctor_without_totp)
    response = client.get(reverse(route))

    # allauth may ask to re-enter the password before enrolling; that is still no detour.
    assert response.status_code in (200, 302), route
    if response.status_code == 302:
        assert response["Location"] != SETUP
        assert response["Location"].startswith("/accounts/"), response["Location"]


@pytest.mark.django_db
def test_doctor_and_staff_with_totp_pass(login, doctor, staff):
    assert login(doctor.user).get(reverse("doctor_dashboard")).status_code == 200
    assert login(staff).get("/admin/").status_code == 200
    response = login(doctor.user).get(reverse("accounts:dashboard"))
    assert response["Location"] == reverse("doctor_dashboard")
    response = login(staff).get(reverse("accounts:dashboard"))
    assert response["Location"] == reverse("staff_dashboard")


@pytest.mark.django_db
def test_setup_page_sends_enrolled_people_on(login, doctor, patient_a):
    assert login(doctor.user).get(SETUP)["Location"] == reverse("accounts:dashboard")
    assert login(patient_a).get(SETUP)["Location"] == reverse("accounts:dashboard")


@pytest.mark.django_db
def test_patients_are_never_forced(login, patient_a):
    client = login(patient_a)
    assert client.get(reverse("patients:dashboard")).status_code == 200
    assert client.get(reverse("accounts:dashboard"))["Location"] == reverse("patients:dashboard")


@pytest.mark.django_db
def test_nobody_is_forced_when_the_setting_is_off(login, settings, doctor_without_totp):
    settings.MEDCONNECT_REQUIRE_MFA = False
    staff = StaffFactory(email="other.staff@example.com")

    assert login(doctor_without_totp).get(reverse("doctor_dashboard")).status_code == 200
    assert login(staff).get("/admin/").status_code == 200


@pytest.mark.django_db
def test_pending_doctor_without_totp_is_also_asked(login):
    user = DoctorFactory(verification_status=VerificationStatus.PENDING).user

    assert login(user).get(reverse("doctor_dashboard"))["Location"] == SETUP


def current_code(secret):
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db
def test_totp_enrolment_round_trip_then_login_asks_for_the_code(client, doctor_without_totp):
    email = doctor_without_totp.email
    log_in(client, email, DEFAULT_PASSWORD)
    assert client.get(reverse("doctor_dashboard"))["Location"] == SETUP

    # allauth asks for the password again before a security change.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=doctor_without_totp).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=doctor_without_totp, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get(reverse("doctor_dashboard")).status_code == 200

    # Signing in again now takes the code as a second step.
    client.post(reverse("account_logout"))
    response = log_in(client, email, DEFAULT_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("doctor_dashboard")).status_code == 302
    cache.clear()  # allauth refuses a code twice; the period may not have moved on yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("doctor_dashboard")).status_code == 200


@pytest.mark.django_db
def test_second_step_with_the_seeded_secret(client, doctor):
    response = log_in(client, doctor.user.email, DEFAULT_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get(reverse("doctor_dashboard")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(reverse("doctor_dashboard")).status_code == 200
