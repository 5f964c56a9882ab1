"""The patient's pages: my appointments, detail with history, cancel, reschedule, video."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AppointmentEvent, AppointmentStatus, Mode
from appointments.tests.factories import AppointmentFactory, book_free_slot, free_slots_ahead
from audit.models import AuditAction, AuditEvent

S = AppointmentStatus


@pytest.fixture
def booking(patient_a, doctor, visit_type):
    """A real booking of patient A, two days or so ahead: past the 24-hour cut-offs."""
    return book_free_slot(patient=patient_a, doctor=doctor, visit_type=visit_type, days_ahead=2)


def detail(appointment):
    return reverse("appointments:detail", args=[appointment.pk])


# My appointments -------------------------------------------------------------------


def test_my_appointments_lists_upcoming_and_history(login, patient_a, patient_b, doctor):
    mine = AppointmentFactory(doctor=doctor, patient=patient_a, reason="Back pain")
    past = AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        start=timezone.now() - dt.timedelta(days=30),
        status=S.COMPLETED,
    )
    AppointmentFactory(doctor=doctor, patient=patient_b)
    response = login(patient_a).get(reverse("appointments:list"))
    assert response.status_code == 200
    assert response.context["upcoming"] == [mine]
    assert list(response.context["page"].object_list) == [mine, past]
    page = response.content.decode()
    assert "Completed" in page and "Confirmed" in page
    assert detail(mine) in page and detail(past) in page


def test_history_is_paginated(login, patient_a, doctor):
    start = timezone.now() - dt.timedelta(days=400)
    for n in range(25):
        AppointmentFactory(
            doctor=doctor,
            patient=patient_a,
            start=start + dt.timedelta(days=n),
            status=S.COMPLETED,
        )
    client = login(patient_a)
    assert len(client.get(reverse("appointments:list")).context["page"].object_list) == 20
    second = client.get(reverse("appointments:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("who", ["doctor", "staff"])
def test_my_appointments_is_for_patients(request, login, who):
    person = request.getfixturevalue(who)
    assert (
        login(getattr(person, "user", person)).get(reverse("appointments:list")).status_code == 404
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("appointments:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Detail ------------------------------------------------------------------------------


def test_patient_sees_details_and_history(login, patient_a, doctor, booking):
    response = login(patient_a).get(detail(booking))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Appointment with Dr. Ravi Treating" in page
    local = booking.start.astimezone(doctor.tz)
    assert local.strftime("%H:%M") in page
    assert "Asia/Kolkata" in page
    assert "Pending" in page
    # The history row: who, from -> to.
    assert "Asha Patient" in page
    assert "New → Pending" in page
    assert "Cancel the appointment" in page
    assert "Choose another time" in page
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


@pytest.mark.parametrize("who", ["doctor", "staff"])
def test_doctor_and_staff_see_it_and_the_view_is_audited(request, login, patient_a, booking, who):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    response = login(user).get(detail(booking))
    assert response.status_code == 200
    assert "Appointment of Asha Patient" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, actor=user, patient=patient_a
    ).exists()


@pytest.mark.parametrize("who", ["patient_b", "other_doctor", "unverified_doctor"])
def test_others_get_404(request, login, booking, who):
    person = request.getfixturevalue(who)
    user = getattr(person, "user", person)
    client = login(user)
    assert client.get(detail(booking)).status_code == 404
    assert client.post(reverse("appointments:cancel", args=[booking.pk])).status_code == 404
    reschedule = reverse("appointments:reschedule", args=[booking.pk])
    assert client.get(reschedule).status_code == 404
    assert client.post(reschedule, {"new_start": "2030-01-01T10:00Z"}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == S.PENDING
    assert AuditEvent.objects.filter(action=AuditAction.DENY, actor=user).count() == 4


def test_anonymous_detail_goes_to_login(client, booking):
    response = client.get(detail(booking))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Cancel -----------------------------------------------------------------------------


def test_patient_cancels_with_optional_reason(login, patient_a, booking):
    client = login(patient_a)
    url = reverse("appointments:cancel", args=[booking.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "Feeling better"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == S.CANCELLED
    assert booking.status_reason == "Feeling better"
    page = client.get(detail(booking)).content.decode()
    assert "The appointment was cancelled." in page
    assert "Pending → Cancelled" in page
    assert "Feeling better" in page


def test_patient_cannot_cancel_past_the_cutoff(login, patient_a, doctor, visit_type):
    soon = AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        visit_type=visit_type,
        start=timezone.now() + dt.timedelta(hours=3),
    )
    client = login(patient_a)
    page = client.get(detail(soon)).content.decode()
    assert "Cancel the appointment" not in page
    assert "too late to change this appointment online" in page
    response = client.post(reverse("appointments:cancel", args=[soon.pk]))
    assert response.status_code == 400
    assert "up to 24 hours before" in response.content.decode()
    soon.refresh_from_db()
    assert soon.status == S.CONFIRMED


def test_cancel_request_without_csrf_is_refused(patient_a, booking):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(patient_a)
    response = client.post(reverse("appointments:cancel", args=[booking.pk]))
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == S.PENDING


# Reschedule -------------------------------------------------------------------------


def test_patient_reschedules_to_another_free_slot(login, patient_a, doctor, visit_type, booking):
    client = login(patient_a)
    url = reverse("appointments:reschedule", args=[booking.pk])
    response = client.get(url)
    assert response.status_code == 200
    offered = [slot for slots in response.context["days"].values() for slot in slots]
    target = offered[-1]
    assert target.start != booking.start
    page = response.content.decode()
    assert f'value="{target.value}"' in page
    old_start = booking.start
    response = client.post(url, {"new_start": target.value, "reason": "Work"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == target.start
    event = AppointmentEvent.objects.filter(appointment=booking).last()
    assert event.from_start == old_start and event.to_start == target.start
    page = client.get(detail(booking)).content.decode()
    assert "moved from" in page


def test_reschedule_to_a_taken_slot_says_so(
    login, patient_a, patient_b, doctor, visit_type, booking
):
    client = login(patient_a)
    url = reverse("appointments:reschedule", args=[booking.pk])
    free = free_slots_ahead(doctor, visit_type, days_ahead=2, days=7)
    target = [s for s in free if s.start != booking.start][-1]
    AppointmentFactory(doctor=doctor, patient=patient_b, visit_type=visit_type, start=target.start)
    response = client.post(url, {"new_start": target.value})
    assert response.status_code == 409
    assert "This slot was just taken." in response.content.decode()
    old = booking.start
    booking.refresh_from_db()
    assert booking.start == old


@pytest.mark.parametrize("value", ["", "yesterday", "2020-01-01T10:00Z", "x" * 100])
def test_reschedule_bad_input_is_4xx_with_message(login, patient_a, booking, value):
    response = login(patient_a).post(
        reverse("appointments:reschedule", args=[booking.pk]), {"new_start": value}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_doctor_and_staff_do_not_get_the_patient_reschedule_page(login, doctor, staff, booking):
    url = reverse("appointments:reschedule", args=[booking.pk])
    assert login(doctor.user).get(url).status_code == 404
    assert login(staff).get(url).status_code == 404


# Video link ------------------------------------------------------------------------


@pytest.fixture
def video_visit(doctor, patient_a):
    return AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        mode=Mode.ONLINE,
        start=timezone.now() + dt.timedelta(minutes=5),
    )


@pytest.mark.parametrize("who", ["patient_a", "doctor"])
def test_video_link_for_patient_and_doctor_once_open(request, login, video_visit, who):
    person = request.getfixturevalue(who)
    page = login(getattr(person, "user", person)).get(detail(video_visit)).content.decode()
    assert video_visit.video_url in page
    assert "Join the video visit" in page


def test_staff_never_gets_the_video_link(login, staff, video_visit):
    page = login(staff).get(detail(video_visit)).content.decode()
    assert video_visit.video_room not in page


def test_video_link_hidden_until_it_opens(login, patient_a, doctor):
    later = AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        mode=Mode.ONLINE,
        start=timezone.now() + dt.timedelta(days=2),
    )
    page = login(patient_a).get(detail(later)).content.decode()
    assert later.video_room not in page
    opens = later.video_opens_at.astimezone(doctor.tz)
    assert f"The video link opens at {opens:%A} {opens.day} {opens:%B}, {opens:%H:%M}" in page


def test_in_person_visit_has_no_video_section(login, patient_a, booking):
    page = login(patient_a).get(detail(booking)).content.decode()
    assert "Video visit" not in page


def test_cancelled_online_visit_hides_the_link(login, patient_a, video_visit):
    Appointment.objects.filter(pk=video_visit.pk).update(status=S.CANCELLED)
    page = login(patient_a).get(detail(video_visit)).content.decode()
    assert video_visit.video_room not in page
