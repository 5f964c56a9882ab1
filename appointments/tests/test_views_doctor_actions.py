"""The doctor's actions on an appointment, and staff cancelling with a reason."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentEvent, AppointmentStatus
from appointments.tests.factories import AppointmentFactory

S = AppointmentStatus


def url(name, appointment):
    return reverse(f"appointments:{name}", args=[appointment.pk])


def test_doctor_sees_the_actions_a_pending_request_allows(login, doctor, pending):
    page = login(doctor.user).get(url("detail", pending)).content.decode()
    assert ">Confirm<" in page
    assert ">Decline<" in page
    assert "Mark completed" not in page
    assert "Choose another time" not in page


def test_doctor_confirms(login, doctor, pending):
    client = login(doctor.user)
    assert client.get(url("confirm", pending)).status_code == 405
    response = client.post(url("confirm", pending))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED
    event = AppointmentEvent.objects.get(appointment=pending, to_status=S.CONFIRMED)
    assert event.actor == doctor.user
    assert "The appointment is confirmed." in client.get(response["Location"]).content.decode()


def test_confirm_from_the_requests_list_returns_there(login, doctor, pending):
    response = login(doctor.user).post(url("confirm", pending), {"next": "pending"})
    assert response["Location"] == reverse("appointments:pending")
    response = login(doctor.user).post(url("confirm", pending), {"next": "https://evil.example"})
    assert response.status_code == 400  # already confirmed; never an outside redirect


def test_decline_needs_a_reason(login, doctor, pending):
    client = login(doctor.user)
    response = client.post(url("decline", pending), {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    client.post(url("decline", pending), {"reason": "Fully booked that week"})
    pending.refresh_from_db()
    assert pending.status == S.DECLINED
    assert pending.status_reason == "Fully booked that week"


def test_complete_and_no_show_once_the_visit_started(login, doctor, patient_a, started):
    client = login(doctor.user)
    page = client.get(url("detail", started)).content.decode()
    assert "Mark completed" in page and "Mark no-show" in page
    client.post(url("complete", started))
    started.refresh_from_db()
    assert started.status == S.COMPLETED
    other = AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        start=timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3),
    )
    client.post(url("no_show", other))
    other.refresh_from_db()
    assert other.status == S.NO_SHOW


def test_complete_before_the_visit_is_refused_with_a_message(login, doctor, pending):
    client = login(doctor.user)
    client.post(url("confirm", pending))
    response = client.post(url("complete", pending))
    assert response.status_code == 400
    assert "This visit has not started yet." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED


def test_illegal_transition_is_a_message(login, doctor, pending):
    client = login(doctor.user)
    client.post(url("decline", pending), {"reason": "No"})
    response = client.post(url("confirm", pending))
    assert response.status_code == 400
    assert "cannot be marked confirmed" in response.content.decode()


def test_doctor_cancels_with_a_reason(login, doctor, pending):
    client = login(doctor.user)
    response = client.post(url("cancel", pending), {"reason": ""})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    client.post(url("cancel", pending), {"reason": "Called away to surgery"})
    pending.refresh_from_db()
    assert pending.status == S.CANCELLED
    assert pending.status_reason == "Called away to surgery"


@pytest.mark.parametrize("action", ["confirm", "decline", "complete", "no_show"])
def test_only_the_doctor_may_use_doctor_actions(
    login, patient_a, patient_b, other_doctor, unverified_doctor, staff, pending, action
):
    for user in (patient_a, patient_b, other_doctor.user, unverified_doctor.user, staff):
        response = login(user).post(url(action, pending), {"reason": "x"})
        assert response.status_code == 404, user
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_unverified_doctor_cannot_see_their_own_appointments(login, unverified_doctor, patient_a):
    mine = AppointmentFactory(doctor=unverified_doctor, patient=patient_a, status=S.PENDING)
    client = login(unverified_doctor.user)
    assert client.get(url("detail", mine)).status_code == 404
    assert client.post(url("confirm", mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.status == S.PENDING


def test_staff_cancels_with_a_reason(login, staff, pending):
    client = login(staff)
    page = client.get(url("detail", pending)).content.decode()
    assert "Cancel the appointment" in page
    assert ">Confirm<" not in page
    assert client.post(url("cancel", pending)).status_code == 400
    response = client.post(url("cancel", pending), {"reason": "Clinic closed (flooding)"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.CANCELLED
    event = AppointmentEvent.objects.get(appointment=pending, to_status=S.CANCELLED)
    assert event.actor == staff
    assert event.reason == "Clinic closed (flooding)"


def test_history_shows_who_when_and_why(login, doctor, patient_a, pending):
    client = login(doctor.user)
    client.post(url("decline", pending), {"reason": "On leave"})
    page = login(patient_a).get(url("detail", pending)).content.decode()
    assert "Dr. Ravi Treating" in page
    assert "Pending → Declined" in page
    assert "On leave" in page
