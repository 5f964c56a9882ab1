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


def test_visit_type_first_then_a_week_of_days_with_the_first_free_day_chosen(client, doctor):
    weekly_schedule(doctor)
    VisitTypeFactory(doctor=doctor, name="First visit", duration_minutes=60)
    VisitTypeFactory(doctor=doctor, name="Follow-up", duration_minutes=20)
    VisitTypeFactory(doctor=doctor, name="Retired", is_active=False)
    response = client.get(doctor_page_url(doctor))
    page = response.content.decode()
    calendars = response.context["calendars"]
    assert [c.visit_type.name for c in calendars] == ["Follow-up", "First visit"]
    assert "Retired" not in page
    assert page.index("1. Choose the visit") < page.index("2. Choose a day and a time")
    assert all(len(c.days) == 7 for c in calendars)
    chosen = [day for day in calendars[1].days if day.selected]
    assert len(chosen) == 1 and chosen[0] == next(day for day in calendars[1].days if day.slots)
    assert "Asia/Kolkata" in page
    slot = chosen[0].slots[0]
    assert slot.start.astimezone(doctor.tz).strftime("%H:%M") in page
    link = (
        f"{reverse('appointments:book')}?doctor={doctor.pk}&amp;visit_type={calendars[1].visit_type.pk}"
        f"&amp;start={slot.value.replace(':', '%3A').replace('+', '%2B')}"
    )
    assert link in page


def test_slot_link_opens_the_booking_form(login, patient_a, doctor):
    weekly_schedule(doctor)
    VisitTypeFactory(doctor=doctor)
    calendar = login(patient_a).get(doctor_page_url(doctor)).context["calendars"][0]
    slot = next(slot for day in calendar.days for slot in day.slots)
    response = login(patient_a).get(
        reverse("appointments:book"),
        {"doctor": doctor.pk, "visit_type": calendar.visit_type.pk, "start": slot.value},
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
