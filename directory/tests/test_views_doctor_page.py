"""Public doctor page: profile and free slots of the next 14 days per visit type."""

import pytest
from django.urls import reverse

from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from directory.tests.factories import doctor_page_url
from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_profile(client, doctor):
    doctor.bio = "Family doctor for twenty years."
    doctor.save()
    response = client.get(doctor_page_url(doctor))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Dr. Ravi Treating",
        "MBBS, MD",
        "10 years",
        "City Care Clinic",
        "12 MG Road",
        "English, Hindi",
        "Family doctor for twenty years.",
        "₹500.00",
        "License verified",
    ):
        assert text in page
    assert "does not take online bookings yet" in page


def test_free_slots_per_visit_type_grouped_by_day(client, doctor):
    weekly_schedule(doctor)
    VisitTypeFactory(doctor=doctor, name="First visit", duration_minutes=60)
    VisitTypeFactory(doctor=doctor, name="Follow-up", duration_minutes=20)
    VisitTypeFactory(doctor=doctor, name="Retired", is_active=False)
    response = client.get(doctor_page_url(doctor))
    page = response.content.decode()
    entries = response.context["visit_type_slots"]
    assert [e.visit_type.name for e in entries] == ["Follow-up", "First visit"]
    assert "Retired" not in page
    assert len(entries[0].days) == 14
    assert "Asia/Kolkata" in page
    slot = next(slot for slots in entries[1].days.values() for slot in slots)
    assert slot.start.astimezone(doctor.tz).strftime("%H:%M") in page
    link = (
        f"{reverse('appointments:book')}?doctor={doctor.pk}&amp;visit_type={entries[1].visit_type.pk}"
        f"&amp;start={slot.value.replace(':', '%3A').replace('+', '%2B')}"
    )
    assert link in page


def test_slot_link_opens_the_booking_form(login, patient_a, doctor):
    weekly_schedule(doctor)
    VisitTypeFactory(doctor=doctor)
    entry = login(patient_a).get(doctor_page_url(doctor)).context["visit_type_slots"][0]
    slot = next(slot for slots in entry.days.values() for slot in slots)
    response = login(patient_a).get(
        reverse("appointments:book"),
        {"doctor": doctor.pk, "visit_type": entry.visit_type.pk, "start": slot.value},
    )
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"verification_status": VerificationStatus.PENDING},
        {"verification_status": VerificationStatus.REJECTED, "rejection_reason": "Expired"},
        {"user__is_active": False},
    ],
)
def test_not_found_unless_verified_and_active(client, login, patient_a, kwargs):
    hidden = DoctorFactory(**kwargs)
    assert client.get(doctor_page_url(hidden)).status_code == 404
    assert login(patient_a).get(doctor_page_url(hidden)).status_code == 404


def test_unknown_doctor_is_404(client):
    assert client.get(reverse("directory:doctor", args=[999999])).status_code == 404
