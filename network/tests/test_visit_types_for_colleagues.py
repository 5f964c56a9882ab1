"""A visit type for colleagues is never offered to patients: not in search, the doctor's
page, booking, the patient API, FHIR Slot, the waitlist, the front desk or the
assistant's suggestions. The doctor's patient visit type next to it stays offered."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, ModeOffer
from appointments.tests.factories import VisitTypeFactory, free_starts_ahead, weekly_schedule
from assistant.slots import soonest_free_slots
from availability.models import FreeSlot
from availability.selectors import next_free_slots
from directory.selectors import doctor_free_slots
from frontdesk.selectors import bookable_visit_types
from waitlist.forms import JoinForm
from waitlist.services import WaitlistError, waitlist_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(doctor):
    """The doctor offers patients an in-person Consultation, and colleagues an online
    Case discussion that could be booked sooner (no notice)."""
    weekly_schedule(doctor)
    consultation = VisitTypeFactory(
        doctor=doctor, name="Consultation", duration_minutes=30, mode=ModeOffer.IN_PERSON
    )
    talk = VisitTypeFactory(
        doctor=doctor,
        name="Case discussion",
        duration_minutes=20,
        mode=ModeOffer.ONLINE,
        min_notice_minutes=0,
        for_colleagues=True,
    )
    return consultation, talk


def test_the_slot_engine_still_lays_out_its_slots_for_colleagues(doctor, offers):
    _consultation, talk = offers
    assert FreeSlot.objects.filter(visit_type=talk).exists()


def test_the_next_free_slot_is_a_patients_one(doctor, offers):
    consultation, talk = offers
    slot = next_free_slots(doctors=[doctor])[doctor.pk]
    assert slot is not None and slot.visit_type_id == consultation.pk
    found = soonest_free_slots(limit=5)
    assert [s.visit_type_id for d, s in found if d.pk == doctor.pk] == [consultation.pk]


def test_search_and_the_doctors_page_show_only_patient_visit_types(client, doctor, offers):
    consultation, talk = offers
    online = client.get(reverse("directory:search"), {"mode": "online"})
    assert b"Ravi Treating" not in online.content  # only the colleagues' type is online
    page = client.get(reverse("directory:doctor", args=[doctor.pk]))
    assert b"Consultation" in page.content and b"Case discussion" not in page.content
    by_type = doctor_free_slots(doctor=doctor)
    assert [row.visit_type.pk for row in by_type] == [consultation.pk]


def test_the_booking_page_and_api_refuse_it(login, api, doctor, offers, patient_a):
    _consultation, talk = offers
    start = free_starts_ahead(doctor, talk)[0]
    page = login(patient_a).get(
        reverse("appointments:book"),
        {"doctor": doctor.pk, "visit_type": talk.pk, "start": start.isoformat()},
    )
    assert page.status_code == 404
    booked = api(patient_a).post(
        "/api/v1/appointments/",
        {"doctor": doctor.pk, "visit_type": talk.pk, "start": start.isoformat(), "mode": "online"},
        format="json",
    )
    assert booked.status_code == 400
    assert not Appointment.objects.exists()


def test_the_patient_api_lists_neither_the_type_nor_its_slots(api, doctor, offers):
    consultation, talk = offers
    detail = api().get(f"/api/v1/doctors/{doctor.pk}/").json()
    assert [vt["id"] for vt in detail["visit_types"]] == [consultation.pk]
    assert (
        api().get(f"/api/v1/doctors/{doctor.pk}/slots/", {"visit_type": talk.pk}).status_code == 400
    )
    slots = api().get(f"/api/v1/doctors/{doctor.pk}/slots/").json()
    rows = slots["results"] if isinstance(slots, dict) else slots
    assert rows and {row["visit_type"] for row in rows} == {consultation.pk}


def test_fhir_slots_are_the_patients_ones(api, doctor, offers):
    consultation, talk = offers
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    response = api().get(
        "/fhir/Slot",
        {
            "schedule": f"Schedule/{doctor.pk}",
            "start": [f"ge{day.isoformat()}", f"lt{(day + dt.timedelta(days=1)).isoformat()}"],
            "status": "free",
        },
        HTTP_ACCEPT="application/fhir+json",
    )
    assert response.status_code == 200
    slots = [entry["resource"] for entry in response.json()["entry"]]
    assert slots
    assert {s["serviceType"][0]["text"] for s in slots} == {"Consultation"}


def test_the_waitlist_and_the_front_desk_do_not_offer_it(doctor, offers, patient_a):
    consultation, talk = offers
    assert list(JoinForm(doctor=doctor).fields["visit_type"].queryset) == [consultation]
    today = timezone.now().astimezone(doctor.tz).date()
    with pytest.raises(WaitlistError):
        waitlist_join(
            patient=patient_a,
            doctor=doctor,
            visit_type=talk,
            date_from=today + dt.timedelta(days=1),
            date_to=today + dt.timedelta(days=3),
        )
    desk = dict(bookable_visit_types())
    assert desk[doctor] == [consultation]


def test_the_visit_type_page_offers_a_new_type_for_colleagues_online(login, doctor):
    client = login(doctor.user)
    listing = client.get(reverse("schedules:visit_types"))
    assert b"New visit type for colleagues" in listing.content
    form = client.get(reverse("schedules:visit_type_new"), {"for_colleagues": "1"})
    assert b'name="for_colleagues"' in form.content
    assert form.context["form"].initial["mode"] == ModeOffer.ONLINE
    assert form.context["form"].initial["for_colleagues"] is True
