import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doctors.services import doctor_photo_clean
from doctors.tests.factories import doctor_profile_data
from records.tests.factories import image_bytes


def give_photo(profile):
    upload = SimpleUploadedFile("face.png", image_bytes(size=(40, 30)), content_type="image/png")
    profile.photo = doctor_photo_clean(upload)
    profile.save()
    return profile


@pytest.mark.django_db
def test_verified_doctors_photo_is_public(client, doctor):
    give_photo(doctor)

    response = client.get(reverse("doctors:photo", args=[doctor.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_unverified_doctors_photo_is_not_served(client, unverified_doctor):
    give_photo(unverified_doctor)

    assert client.get(reverse("doctors:photo", args=[unverified_doctor.pk])).status_code == 404


@pytest.mark.django_db
def test_no_photo_is_404(client, doctor):
    assert client.get(reverse("doctors:photo", args=[doctor.pk])).status_code == 404
    assert client.get(reverse("doctors:photo", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_fake_photo_on_profile_edit_is_refused(login, unverified_doctor):
    fake = SimpleUploadedFile("face.png", b"GIF89a but really text", content_type="image/png")
    response = login(unverified_doctor.user).post(
        reverse("doctors:profile"), doctor_profile_data(unverified_doctor, photo=fake)
    )

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    unverified_doctor.refresh_from_db()
    assert not unverified_doctor.photo
