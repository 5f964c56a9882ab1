"""Every Admin list and change page opens for staff with realistic rows present:
a doctor with a photo in private storage, a billed visit with its record,
prescription, document and invoice, an online visit, notices and authenticators."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appointments.models import Mode
from appointments.tests.factories import AppointmentFactory
from doctors.services import doctor_photo_clean
from records.tests.factories import image_bytes

pytestmark = pytest.mark.django_db


def _give_photo(profile):
    upload = SimpleUploadedFile("face.png", image_bytes(size=(40, 30)), content_type="image/png")
    profile.photo = doctor_photo_clean(upload)
    profile.save()


def test_every_admin_page_opens_with_rows_present(
    staff_client, billed_visit, doctor, unverified_doctor, patient_b
):
    _give_photo(doctor)
    _give_photo(unverified_doctor)
    AppointmentFactory(doctor=doctor, patient=patient_b, mode=Mode.ONLINE)
    failures, opened = [], 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        listing = staff_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        if listing.status_code not in (200, 302):  # a singleton list opens its one row
            failures.append(f"{model._meta.label} list: {listing.status_code}")
        for obj in model_admin.get_queryset(listing.wsgi_request)[:3]:
            url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            response = staff_client.get(url)
            opened += 1
            if response.status_code == 302 and response["Location"].startswith("/admin/"):
                continue  # an Admin that shows its rows on a page of its own (the desk)
            if response.status_code != 200:
                failures.append(f"{model._meta.label} {obj.pk}: {response.status_code}")
    assert failures == []
    assert opened > 20
