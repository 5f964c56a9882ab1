import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, get_resolver, reverse

from accounts.tests.factories import DEFAULT_PASSWORD, enrol_totp, log_in
from doctors.models import DoctorProfile, VerificationStatus
from doctors.tests.factories import DoctorFactory, doctor_profile_data
from records.tests.factories import image_bytes


@pytest.fixture
def rejected_doctor(db):
    profile = DoctorFactory(
        user__full_name="Rita Rejected",
        user__email="rita@example.com",
        verification_status=VerificationStatus.REJECTED,
        rejection_reason="The license number does not match the council register.",
    )
    enrol_totp(profile.user)
    return profile


@pytest.mark.django_db
def test_pending_doctor_logs_in_and_sees_pending_verification(client):
    # A pending doctor without two-factor yet: signs in, lands on the setup page
    # that tells them their license is pending, and may edit the profile.
    profile = DoctorFactory(
        user__email="new.doc@example.com", verification_status=VerificationStatus.PENDING
    )
    response = log_in(client, "new.doc@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:security_setup")
    page = response.content.decode()
    assert "Pending verification." in page
    assert profile.license_id in page
    assert reverse("doctors:profile") in page
    assert client.get(reverse("doctors:profile")).status_code == 200


@pytest.mark.django_db
def test_pending_doctor_with_two_factor_sees_pending_on_dashboard(login, unverified_doctor):
    response = login(unverified_doctor.user).get(reverse("doctor_dashboard"))

    assert response.status_code == 200
    assert "Pending verification." in response.content.decode()


@pytest.mark.django_db
def test_rejected_doctor_sees_the_reason(login, rejected_doctor):
    response = login(rejected_doctor.user).get(reverse("doctors:profile"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Verification rejected." in page
    assert "does not match the council register" in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["unverified_doctor", "rejected_doctor"])
def test_unverified_doctor_edits_profile_but_not_license_or_status(request, login, persona):
    profile = request.getfixturevalue(persona)
    status_before = profile.verification_status
    license_before = profile.license_id
    data = doctor_profile_data(
        profile,
        license_id="HACKED-0001",
        verification_status="verified",
        is_verified="on",
        role="staff",
    )
    response = login(profile.user).post(reverse("doctors:profile"), data, follow=True)

    assert response.status_code == 200
    assert "Your profile was saved." in response.content.decode()
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.user.full_name == "Uma Pending-Rao"
    assert profile.practice_name == "Bone & Joint Centre"
    assert profile.city == "Mumbai"
    assert profile.license_id == license_before
    assert profile.verification_status == status_before
    assert profile.user.role == "doctor"
    assert not profile.user.is_staff


@pytest.mark.django_db
def test_profile_edit_shows_current_values(login, unverified_doctor):
    page = login(unverified_doctor.user).get(reverse("doctors:profile")).content.decode()

    assert "City Care Clinic" in page
    assert "12 MG Road" in page
    assert unverified_doctor.license_id in page


@pytest.mark.django_db
def test_bad_profile_input_changes_nothing(login, unverified_doctor):
    before = DoctorProfile.objects.values().get(pk=unverified_doctor.pk)
    data = doctor_profile_data(unverified_doctor, experience_years="200", consultation_fee="abc")
    response = login(unverified_doctor.user).post(reverse("doctors:profile"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "less than or equal to 70" in page
    assert "Enter a number." in page
    assert DoctorProfile.objects.values().get(pk=unverified_doctor.pk) == before


@pytest.mark.django_db
def test_profile_photo_replaces_with_a_reencoded_image(login, unverified_doctor):
    photo = SimpleUploadedFile("face.png", image_bytes(size=(40, 30)), content_type="image/png")
    data = doctor_profile_data(unverified_doctor, photo=photo)
    login(unverified_doctor.user).post(reverse("doctors:profile"), data)

    unverified_doctor.refresh_from_db()
    assert unverified_doctor.photo.name.endswith(".jpg")


@pytest.mark.django_db
def test_profile_page_is_404_for_patients_and_staff(login, patient_a, staff):
    assert login(patient_a).get(reverse("doctors:profile")).status_code == 404
    assert login(staff).get(reverse("doctor_dashboard")).status_code == 404


PATIENT_DATA_NAMESPACES = ("appointments", "records", "prescriptions", "billing", "messaging")
# Pages of the appointments app that hold no patient data: the public search and
# a doctor's own schedule settings.
NO_PATIENT_DATA = re.compile(r"^appointments:(search|doctor|availability|visit_type|time_off)")


def _patient_data_routes():
    """Named routes of the patient side and the clinical apps that exist today."""
    names = ["patients:dashboard", "patients:profile"]
    resolver = get_resolver()
    for namespace in PATIENT_DATA_NAMESPACES:
        if namespace not in resolver.namespace_dict:
            continue
        sub = resolver.namespace_dict[namespace][1]
        for key in sub.reverse_dict:
            if isinstance(key, str):
                names.append(f"{namespace}:{key}")
    return sorted(set(names))


def _sample_url(name, patient):
    for args in ([], [patient.pk], [patient.pk, "conditions"], [patient.pk, "conditions", 1]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["unverified_doctor", "rejected_doctor"])
def test_unverified_doctor_reaches_no_patient_data(request, login, patient_a, persona):
    profile = request.getfixturevalue(persona)
    client = login(profile.user)
    for name in ("patients:dashboard", "patients:profile"):
        assert client.get(reverse(name)).status_code == 404, name
    checked = 0
    for name in _patient_data_routes():
        url = _sample_url(name, patient_a)
        if url is None:
            continue
        response = client.get(url)
        checked += 1
        if NO_PATIENT_DATA.match(name):
            assert "asha@example.com" not in response.content.decode(errors="replace"), name
            continue
        assert response.status_code in (403, 404, 405), f"{name} {url}: {response.status_code}"
    assert checked >= 2
    assert mail.outbox == []
