"""Public doctor search: every filter, sorting, paging, bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import ModeOffer, Weekday
from appointments.tests.factories import (
    AvailabilityRuleFactory,
    VisitTypeFactory,
    bookable_consultation,
    weekly_schedule,
)
from doctors.models import VerificationStatus
from doctors.tests.factories import DoctorFactory, SpecializationFactory

pytestmark = pytest.mark.django_db

URL = reverse("directory:search")


def names(response):
    return [doctor.user.full_name for doctor in response.context["page"].object_list]


@pytest.fixture
def cardio():
    return SpecializationFactory(name="Cardiology")


@pytest.fixture
def derma():
    return SpecializationFactory(name="Dermatology")


def test_anonymous_sees_verified_doctors_only(client, doctor, unverified_doctor):
    DoctorFactory(
        user__full_name="Rita Rejected",
        verification_status=VerificationStatus.REJECTED,
        rejection_reason="License not found",
    )
    DoctorFactory(user__full_name="Ivan Inactive", user__is_active=False)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Ravi Treating"]
    page = response.content.decode()
    assert "Uma Pending" not in page
    assert "Rita Rejected" not in page
    assert "Ivan Inactive" not in page


def test_result_shows_what_a_patient_needs(client, doctor, cardio):
    doctor.specializations.add(cardio)
    bookable_consultation(doctor)
    page = client.get(URL).content.decode()
    assert "Dr. Ravi Treating" in page
    assert "Cardiology" in page and "General Medicine" in page
    assert "MBBS, MD" in page
    assert "City Care Clinic" in page and "Bengaluru" in page
    assert "₹500.00" in page
    assert "Next free slot" in page
    assert "(Asia/Kolkata)" in page
    assert reverse("directory:doctor", args=[doctor.pk]) in page


def test_next_free_slot_is_in_the_doctors_zone(client):
    london = DoctorFactory(user__full_name="Lara London", time_zone="Europe/London")
    bookable_consultation(london)
    response = client.get(URL)
    slot = response.context["page"].object_list[0].next_slot
    local = slot.start.astimezone(london.tz)
    assert local.hour >= 9  # weekly hours are 09:00-17:00 London time
    assert local.strftime("%H:%M") in response.content.decode()
    assert "(Europe/London)" in response.content.decode()


def test_doctor_without_slots_says_so(client, doctor):
    page = client.get(URL).content.decode()
    assert "No free slot in the next 14 days" in page


def test_filter_by_name(client, doctor, other_doctor):
    assert names(client.get(URL, {"q": "ravi"})) == ["Ravi Treating"]
    assert names(client.get(URL, {"q": "  olga   other "})) == ["Olga Other"]


def test_filter_by_specialization(client, doctor, other_doctor, cardio, derma):
    other_doctor.specializations.set([cardio])
    assert names(client.get(URL, {"specialization": "cardiology"})) == ["Olga Other"]
    assert names(client.get(URL, {"specialization": "dermatology"})) == []


def test_filter_by_qualification(client, doctor, other_doctor):
    other_doctor.qualifications = "MBBS, DNB (Paediatrics)"
    other_doctor.save()
    assert names(client.get(URL, {"qualification": "dnb"})) == ["Olga Other"]


def test_filter_by_day_available(client, doctor, other_doctor):
    AvailabilityRuleFactory(doctor=doctor, weekday=Weekday.MONDAY)
    AvailabilityRuleFactory(doctor=other_doctor, weekday=Weekday.SATURDAY)
    assert names(client.get(URL, {"day": Weekday.SATURDAY})) == ["Olga Other"]
    assert names(client.get(URL, {"day": Weekday.MONDAY})) == ["Ravi Treating"]
    assert names(client.get(URL, {"day": Weekday.SUNDAY})) == []


def test_filter_by_mode_needs_a_visit_type_and_a_window_allowing_it(client):
    both = DoctorFactory(user__full_name="Bea Both")
    bookable_consultation(both)
    clinic_only = DoctorFactory(user__full_name="Carl Clinic")
    VisitTypeFactory(doctor=clinic_only, mode=ModeOffer.IN_PERSON)
    weekly_schedule(clinic_only)
    online_rule_only = DoctorFactory(user__full_name="Vic Video")
    VisitTypeFactory(doctor=online_rule_only, mode=ModeOffer.IN_PERSON)
    weekly_schedule(online_rule_only, mode=ModeOffer.ONLINE)
    no_visit_type = DoctorFactory(user__full_name="Nora Nothing")
    weekly_schedule(no_visit_type)
    assert both and no_visit_type
    assert names(client.get(URL, {"mode": "online", "sort": "name"})) == ["Bea Both"]
    assert names(client.get(URL, {"mode": "in_person", "sort": "name"})) == [
        "Bea Both",
        "Carl Clinic",
    ]


def test_day_and_mode_must_hold_in_the_same_window(client, doctor):
    VisitTypeFactory(doctor=doctor)
    AvailabilityRuleFactory(doctor=doctor, weekday=Weekday.MONDAY, mode=ModeOffer.ONLINE)
    AvailabilityRuleFactory(doctor=doctor, weekday=Weekday.TUESDAY, mode=ModeOffer.IN_PERSON)
    assert names(client.get(URL, {"day": Weekday.MONDAY, "mode": "online"})) == ["Ravi Treating"]
    assert names(client.get(URL, {"day": Weekday.MONDAY, "mode": "in_person"})) == []


def test_filter_by_city(client, doctor, other_doctor):
    other_doctor.city = "Pune"
    other_doctor.save()
    assert names(client.get(URL, {"city": "pune"})) == ["Olga Other"]
    assert names(client.get(URL, {"city": "Chennai"})) == []


def test_filter_by_maximum_fee(client, doctor, other_doctor):
    other_doctor.consultation_fee = Decimal("1200")
    other_doctor.save()
    assert names(client.get(URL, {"max_fee": "500"})) == ["Ravi Treating"]
    assert names(client.get(URL, {"max_fee": "1200", "sort": "fee"})) == [
        "Ravi Treating",
        "Olga Other",
    ]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"max_fee": "abc"}, "max_fee"),
        ({"max_fee": "-5"}, "max_fee"),
        ({"day": "9"}, "day"),
        ({"day": "monday"}, "day"),
        ({"mode": "teleport"}, "mode"),
        ({"specialization": "no-such-thing"}, "specialization"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_bad_filter_values_are_a_message_not_an_error(client, doctor, params, field):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Some filters could not be used" in response.content.decode()
    # The other filters still apply and the page still lists doctors.
    assert names(response) == ["Ravi Treating"]


def test_bad_page_number_shows_a_page(client, doctor):
    assert client.get(URL, {"page": "abc"}).status_code == 200
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_sort_by_next_free_slot_is_the_default(client):
    later = DoctorFactory(user__full_name="Anna Later")
    sooner = DoctorFactory(user__full_name="Zed Sooner")
    none = DoctorFactory(user__full_name="Bob Never")
    tomorrow = (timezone.now().astimezone(sooner.tz) + dt.timedelta(days=1)).weekday()
    in_three_days = (timezone.now().astimezone(later.tz) + dt.timedelta(days=3)).weekday()
    bookable_consultation(sooner, weekday=tomorrow)
    bookable_consultation(later, weekday=in_three_days)
    assert none
    assert names(client.get(URL)) == ["Zed Sooner", "Anna Later", "Bob Never"]


def test_sort_by_fee_experience_and_name(client):
    DoctorFactory(user__full_name="Cara C", consultation_fee=300, experience_years=5)
    DoctorFactory(user__full_name="Abe A", consultation_fee=900, experience_years=30)
    DoctorFactory(user__full_name="Bo B", consultation_fee=100, experience_years=12)
    assert names(client.get(URL, {"sort": "fee"})) == ["Bo B", "Cara C", "Abe A"]
    assert names(client.get(URL, {"sort": "experience"})) == ["Abe A", "Bo B", "Cara C"]
    assert names(client.get(URL, {"sort": "name"})) == ["Abe A", "Bo B", "Cara C"]


def test_paginated_by_twenty_keeping_the_filters(client):
    DoctorFactory.create_batch(25, city="Mysuru")
    response = client.get(URL, {"city": "Mysuru", "sort": "name"})
    assert len(response.context["page"].object_list) == 20
    page = response.content.decode()
    assert "city=Mysuru&amp;sort=name&amp;page=2" in page
    second = client.get(URL, {"city": "Mysuru", "sort": "name", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_photo_shown_through_the_photo_view(client, doctor):
    doctor.photo.name = "doctor-photos/x.jpg"
    doctor.save()
    page = client.get(URL).content.decode()
    assert reverse("doctors:photo", args=[doctor.pk]) in page
    assert 'alt="Photo of Dr. Ravi Treating"' in page


def test_htmx_request_gets_only_the_results(client, doctor, other_doctor):
    response = client.get(URL, {"q": "olga"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Dr. Olga Other" in page and "Dr. Ravi Treating" not in page
    assert 'id="search-status"' in page and "1 doctor found" in page


def test_htmx_request_with_a_bad_filter_lists_the_error(client, doctor):
    response = client.get(URL, {"max_fee": "abc"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Maximum fee (INR): Enter a number." in response.content.decode()
