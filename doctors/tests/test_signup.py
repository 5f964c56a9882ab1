import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Role, User
from doctors.models import DoctorProfile, VerificationStatus
from doctors.tests.factories import DoctorFactory, SpecializationFactory
from records.tests.factories import image_bytes

PASSWORD = "Stethoscope-Harbour-71"


@pytest.fixture
def specializations(db):
    return [SpecializationFactory(name="Cardiology"), SpecializationFactory(name="Neurology")]


def doctor_signup_data(specs, **overrides):
    data = {
        "full_name": "Meera Shah",
        "email": "meera@example.com",
        "license_id": "  kmc-2019-5521 ",
        "specializations": [s.pk for s in specs],
        "qualifications": "MBBS, DM (Cardiology)",
        "experience_years": "9",
        "practice_name": "Heart Care",
        "practice_address": "7 Residency Road",
        "city": "  bengaluru ",
        "languages": "English, Kannada",
        "consultation_fee": "900",
        "time_zone": "Asia/Kolkata",
        "bio": "Interventional cardiologist.",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_creates_pending_doctor(client, specializations):
    response = client.post(reverse("doctor_signup"), doctor_signup_data(specializations))

    assert response.status_code == 302
    user = User.objects.get(email="meera@example.com")
    assert user.role == Role.DOCTOR
    assert user.full_name == "Meera Shah"
    assert not user.is_staff
    profile = DoctorProfile.objects.get(user=user)
    assert profile.verification_status == VerificationStatus.PENDING
    assert profile.license_id == "KMC-2019-5521"
    assert profile.city == "Bengaluru"
    assert set(profile.specializations.values_list("name", flat=True)) == {
        "Cardiology",
        "Neurology",
    }
    assert not profile.photo
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_with_a_real_png_photo_stores_a_reencoded_jpeg(client, specializations):
    photo = SimpleUploadedFile("me.png", image_bytes(size=(40, 30)), content_type="image/png")
    response = client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, photo=photo)
    )

    assert response.status_code == 302
    profile = DoctorProfile.objects.get(user__email="meera@example.com")
    assert profile.photo
    assert "me.png" not in profile.photo.name
    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 30)


@pytest.mark.django_db
def test_fake_photo_is_refused_with_a_clear_message(client, specializations):
    fake = SimpleUploadedFile("me.png", b"this is not an image at all", content_type="image/png")
    response = client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, photo=fake)
    )

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not User.objects.filter(email="meera@example.com").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_oversized_photo_is_refused_with_the_limit(client, specializations, settings):
    settings.MEDCONNECT_MAX_UPLOAD_BYTES = 1024 * 1024
    big = image_bytes(size=(1200, 1200))
    big += b"\0" * (settings.MEDCONNECT_MAX_UPLOAD_BYTES + 1 - len(big))
    photo = SimpleUploadedFile("big.png", big, content_type="image/png")
    response = client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, photo=photo)
    )

    assert response.status_code == 200
    assert "larger than the 1 MB limit" in response.content.decode()
    assert not DoctorProfile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("license_id", ["AB", "KMC 2019 / 55*21", "-KMC-2019", "x" * 40])
def test_malformed_license_is_a_form_error(client, specializations, license_id):
    data = doctor_signup_data(specializations, license_id=license_id)
    response = client.post(reverse("doctor_signup"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "license ID" in page
    assert "Enter the license ID as issued" in page or "at most 40 characters" in page
    assert not User.objects.filter(email="meera@example.com").exists()


@pytest.mark.django_db
def test_duplicate_license_is_already_registered(client, specializations):
    DoctorFactory(license_id="KMC-2019-5521")
    response = client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, license_id="kmc-2019-5521")
    )

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert not User.objects.filter(email="meera@example.com").exists()
    assert DoctorProfile.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_email_is_refused_with_a_clear_message(client, specializations, patient_a):
    response = client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, email="Asha@Example.com")
    )

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert not DoctorProfile.objects.exists()
    patient_a.refresh_from_db()
    assert patient_a.role == Role.PATIENT


@pytest.mark.django_db
def test_posted_privileged_fields_are_ignored(client, specializations):
    data = doctor_signup_data(
        specializations,
        role="staff",
        is_staff="on",
        is_superuser="on",
        is_verified="on",
        verification_status="verified",
        verification_decided_at="2024-01-01T00:00",
    )
    response = client.post(reverse("doctor_signup"), data)

    assert response.status_code == 302
    user = User.objects.get(email="meera@example.com")
    assert user.role == Role.DOCTOR
    assert not user.is_staff
    assert not user.is_superuser
    profile = user.doctor_profile
    assert profile.verification_status == VerificationStatus.PENDING
    assert profile.verification_decided_at is None
    assert not DoctorProfile.objects.verified().filter(pk=profile.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("specializations", [], "This field is required."),
        ("experience_years", "-1", "greater than or equal to 0"),
        ("consultation_fee", "-5", "greater than or equal to 0"),
        ("time_zone", "Mars/Olympus", "Select a valid choice."),
    ],
)
def test_bad_doctor_fields_show_messages(client, specializations, field, value, message):
    response = client.post(
        reverse("doctor_signup"), doctor_signup_data(specializations, **{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="meera@example.com").exists()


@pytest.mark.django_db
def test_signup_page_shows_the_form(client, specializations):
    response = client.get(reverse("doctor_signup"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Join MedConnect as a doctor" in page
    assert "License ID" in page
    assert "Cardiology" in page
