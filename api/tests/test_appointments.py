"""Search, free slots, booking and the status machine over the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus
from appointments.tests.factories import VisitTypeFactory, weekly_schedule

pytestmark = pytest.mark.django_db


def _first_slot(api, doctor, visit_type):
    """The first free slot five days ahead: well before every cut-off."""
    start = timezone.localdate() + dt.timedelta(days=5)
    response = api().get(
        reverse("api:doctor_slots", args=[doctor.pk]),
        {"visit_type": visit_type.pk, "start": start.isoformat()},
    )
    assert response.status_code == 200
    return response.json()["results"][0]


def test_search_finds_verified_doctors_with_their_next_slot(
    api, visit_type, doctor, unverified_doctor
):
    body = api().get(reverse("api:doctors"), {"q": "Ravi"}).json()
    assert [d["id"] for d in body["results"]] == [doctor.pk]
    assert body["results"][0]["next_slot"] is not None
    assert api().get(reverse("api:doctors"), {"q": "Uma"}).json()["count"] == 0
    assert api().get(reverse("api:doctor", args=[unverified_doctor.pk])).status_code == 404


@pytest.mark.parametrize(
    "params", [{"day": "9"}, {"mode": "teleport"}, {"max_fee": "-1"}, {"specialization": "nope"}]
)
def test_bad_search_filters_are_400(api, params):
    response = api().get(reverse("api:doctors"), params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_slot_range_is_limited(api, visit_type, doctor):
    today = timezone.localdate()
    response = api().get(
        reverse("api:doctor_slots", args=[doctor.pk]),
        {"start": today.isoformat(), "end": (today + dt.timedelta(days=60)).isoformat()},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"end": "2026-01-01", "start": "2026-03-01"}, "end", "before the start"),
        ({"start": "9999-12-31"}, "start", "Enter a date between"),
        ({"end": "9999-12-31"}, "end", "Enter a date between"),
        ({"end": (dt.date.today() + dt.timedelta(days=40)).isoformat()}, "end", "at most 31"),
    ],
)
def test_slot_ranges_at_the_edges_are_400_with_the_reason(
    api, visit_type, doctor, query, field, message
):
    response = api().get(reverse("api:doctor_slots", args=[doctor.pk]), query)
    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]


def test_book_then_cancel(api, visit_type, doctor, patient_a):
    slot = _first_slot(api, doctor, visit_type)
    client = api(patient_a)
    response = client.post(
        reverse("api:appointments"),
        {
            "doctor": doctor.pk,
            "visit_type": visit_type.pk,
            "start": slot["start"],
            "mode": "in_person",
            "reason": "Cough",
            # Fields the caller may not set change nothing.
            "status": "confirmed",
            "patient": 999,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["patient"]["id"] == patient_a.pk

    cancel = client.post(reverse("api:appointment_cancel", args=[body["id"]]), {}, format="json")
    assert cancel.status_code == 200
    assert cancel.json()["status"] == "cancelled"
    again = client.post(reverse("api:appointment_cancel", args=[body["id"]]), {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"


def test_booking_a_taken_slot_is_409(api, visit_type, doctor, patient_a, patient_b):
    slot = _first_slot(api, doctor, visit_type)
    payload = {
        "doctor": doctor.pk,
        "visit_type": visit_type.pk,
        "start": slot["start"],
        "mode": "in_person",
    }
    assert (
        api(patient_a).post(reverse("api:appointments"), payload, format="json").status_code == 201
    )
    response = api(patient_b).post(reverse("api:appointments"), payload, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"doctor": "x", "visit_type": 1, "start": "soon", "mode": "in_person"},
        {"doctor": 10**9, "visit_type": 1, "start": "2030-01-01T10:00:00Z", "mode": "in_person"},
        {"doctor": 1, "visit_type": 1, "start": "2030-01-01T10:00:00Z", "mode": "carrier pigeon"},
    ],
)
def test_bad_bookings_are_400_never_500(api, visit_type, patient_a, payload):
    response = api(patient_a).post(reverse("api:appointments"), payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_off_grid_start_is_400(api, visit_type, doctor, patient_a):
    slot = _first_slot(api, doctor, visit_type)
    start = dt.datetime.fromisoformat(slot["start"]) + dt.timedelta(minutes=7)
    response = api(patient_a).post(
        reverse("api:appointments"),
        {
            "doctor": doctor.pk,
            "visit_type": visit_type.pk,
            "start": start.isoformat(),
            "mode": "in_person",
        },
        format="json",
    )
    assert response.status_code == 400


def test_doctor_booking_as_patient_is_refused(api, visit_type, doctor, other_doctor):
    slot = _first_slot(api, doctor, visit_type)
    response = api(other_doctor.user).post(
        reverse("api:appointments"),
        {
            "doctor": doctor.pk,
            "visit_type": visit_type.pk,
            "start": slot["start"],
            "mode": "online",
        },
        format="json",
    )
    assert response.status_code == 400


def test_doctor_confirms_and_patient_cannot(api, visit_type, doctor, patient_a):
    slot = _first_slot(api, doctor, visit_type)
    created = (
        api(patient_a)
        .post(
            reverse("api:appointments"),
            {
                "doctor": doctor.pk,
                "visit_type": visit_type.pk,
                "start": slot["start"],
                "mode": "online",
            },
            format="json",
        )
        .json()
    )
    url = reverse("api:appointment_confirm", args=[created["id"]])
    assert api(patient_a).post(url).status_code == 404
    response = api(doctor.user).post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert response.json()["video_url"].startswith("https://")
    assert api(doctor.user).post(url).status_code == 409


def test_decline_needs_a_reason(api, visit_type, doctor, patient_a):
    slot = _first_slot(api, doctor, visit_type)
    created = (
        api(patient_a)
        .post(
            reverse("api:appointments"),
            {
                "doctor": doctor.pk,
                "visit_type": visit_type.pk,
                "start": slot["start"],
                "mode": "in_person",
            },
            format="json",
        )
        .json()
    )
    url = reverse("api:appointment_decline", args=[created["id"]])
    assert api(doctor.user).post(url, {}, format="json").status_code == 400
    response = api(doctor.user).post(url, {"reason": "On leave"}, format="json")
    assert response.json()["status"] == "declined"


def test_complete_before_the_visit_is_400(api, upcoming, doctor):
    response = api(doctor.user).post(reverse("api:appointment_complete", args=[upcoming.pk]))
    assert response.status_code == 400
    assert (
        api(doctor.user).post(reverse("api:appointment_no_show", args=[upcoming.pk])).status_code
        == 400
    )


def test_patient_reschedules_to_another_free_slot(api, patient_a, doctor):
    weekly_schedule(doctor)
    visit_type = VisitTypeFactory(doctor=doctor, requires_approval=False)
    client = api(patient_a)
    start = timezone.localdate() + dt.timedelta(days=5)
    slots = client.get(
        reverse("api:doctor_slots", args=[doctor.pk]),
        {"visit_type": visit_type.pk, "start": start.isoformat()},
    ).json()["results"]
    created = client.post(
        reverse("api:appointments"),
        {
            "doctor": doctor.pk,
            "visit_type": visit_type.pk,
            "start": slots[-1]["start"],
            "mode": "in_person",
        },
        format="json",
    ).json()
    url = reverse("api:appointment_reschedule", args=[created["id"]])
    assert (
        api(doctor.user).post(url, {"new_start": slots[-2]["start"]}, format="json").status_code
        == 404
    )
    response = client.post(url, {"new_start": slots[-2]["start"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["start"] != created["start"]


def test_other_patient_cannot_touch_the_appointment(api, upcoming, patient_b, other_doctor):
    for user in (patient_b, other_doctor.user):
        url = reverse("api:appointment_cancel", args=[upcoming.pk])
        assert api(user).post(url, {"reason": "x"}, format="json").status_code == 404
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.CONFIRMED


def test_profile_edit_keeps_read_only_fields(api, doctor):
    client = api(doctor.user)
    response = client.patch(
        reverse("api:me"),
        {
            "city": "Pune",
            "license_id": "HACK-1",
            "verification_status": "verified",
            "role": "staff",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    doctor.refresh_from_db()
    assert doctor.city == "Pune"
    assert doctor.license_id != "HACK-1"
    assert response.json()["role"] == "doctor"


def test_patient_profile_edit_and_invalid_phone(api, patient_a):
    client = api(patient_a)
    assert (
        client.patch(reverse("api:me"), {"phone": "+91 98765 43210"}, format="json").status_code
        == 200
    )
    response = client.patch(reverse("api:me"), {"phone": "call me"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]


def test_notifications_list_and_mark_read(
    api, visit_type, doctor, patient_a, django_capture_on_commit_callbacks
):
    slot = _first_slot(api, doctor, visit_type)
    with django_capture_on_commit_callbacks(execute=True):
        api(patient_a).post(
            reverse("api:appointments"),
            {
                "doctor": doctor.pk,
                "visit_type": visit_type.pk,
                "start": slot["start"],
                "mode": "in_person",
            },
            format="json",
        )
    client = api(doctor.user)
    body = client.get(reverse("api:notifications"), {"unread": "true"}).json()
    assert body["count"] == 1
    notice = body["results"][0]
    assert client.post(reverse("api:notification_read", args=[notice["id"]])).json()["is_read"]
    assert (
        api(patient_a).post(reverse("api:notification_read", args=[notice["id"]])).status_code
        == 404
    )
    assert client.post(reverse("api:notifications_read_all")).json()["unread_count"] == 0
