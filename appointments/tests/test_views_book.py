"""Booking page: a patient confirms a free slot; nobody else can book."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, Mode, ModeOffer
from appointments.tests.factories import (
    AppointmentFactory,
    VisitTypeFactory,
    free_slots_ahead,
    free_starts_ahead,
    weekly_schedule,
)


def book_url(doctor, visit_type, start):
    query = f"doctor={doctor.pk}&visit_type={visit_type.pk}&start={start.isoformat()}"
    return reverse("appointments:book") + "?" + query.replace("+", "%2B")


@pytest.fixture
def slot(doctor, visit_type):
    return free_slots_ahead(doctor, visit_type, days=7)[0]


def test_patient_sees_confirmation_form(login, patient_a, doctor, visit_type, slot):
    response = login(patient_a).get(book_url(doctor, visit_type, slot.start))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dr. Ravi Treating" in page
    assert "Consultation (30 minutes)" in page
    local = slot.start.astimezone(doctor.tz)
    assert local.strftime("%H:%M") in page
    assert "Asia/Kolkata" in page
    assert 'name="reason"' in page
    assert 'value="online"' in page and 'value="in_person"' in page


def test_mode_choice_is_limited_to_the_slot_modes(login, patient_a, doctor):
    weekly_schedule(doctor, mode=ModeOffer.ONLINE)
    online_only = VisitTypeFactory(doctor=doctor, name="Video follow-up", mode=ModeOffer.BOTH)
    slot = free_slots_ahead(doctor, online_only, days=7)[0]
    client = login(patient_a)
    page = client.get(book_url(doctor, online_only, slot.start)).content.decode()
    assert 'value="online"' in page
    assert 'value="in_person"' not in page
    response = client.post(book_url(doctor, online_only, slot.start), {"mode": "in_person"})
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_patient_books_a_slot(login, patient_a, doctor, visit_type, slot):
    client = login(patient_a)
    response = client.post(
        book_url(doctor, visit_type, slot.start), {"mode": "in_person", "reason": "Cough"}
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", args=[appointment.pk])
    assert appointment.patient == patient_a
    assert appointment.doctor == doctor
    assert appointment.start == slot.start
    assert appointment.reason == "Cough"
    assert appointment.status == AppointmentStatus.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "Your request was sent" in page


def test_posted_fields_the_form_does_not_own_change_nothing(
    login, patient_a, patient_b, doctor, other_doctor, visit_type, slot
):
    response = login(patient_a).post(
        book_url(doctor, visit_type, slot.start),
        {
            "mode": "in_person",
            "patient": patient_b.pk,
            "doctor": other_doctor.pk,
            "status": AppointmentStatus.CONFIRMED,
            "start": (slot.start + dt.timedelta(days=1)).isoformat(),
            "video_room": "chosen-by-me",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.patient == patient_a
    assert appointment.doctor == doctor
    assert appointment.start == slot.start
    assert appointment.status == AppointmentStatus.PENDING
    assert appointment.video_room is None


def test_slot_taken_shows_message_and_next_free_slots(
    login, patient_a, patient_b, doctor, visit_type
):
    first, second = free_slots_ahead(doctor, visit_type, days=7)[:2]
    client = login(patient_a)
    url = book_url(doctor, visit_type, first.start)
    assert client.get(url).status_code == 200
    # Someone else takes it between the patient's look and their click.
    AppointmentFactory(doctor=doctor, visit_type=visit_type, patient=patient_b, start=first.start)
    response = client.post(url, {"mode": "in_person"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "This slot was just taken." in page
    assert second.value.replace("+", "%2B").replace(":", "%3A") in page
    assert Appointment.objects.filter(patient=patient_a).count() == 0


def test_a_taken_slot_link_says_so_on_get(login, patient_a, patient_b, doctor, visit_type, slot):
    AppointmentFactory(doctor=doctor, visit_type=visit_type, patient=patient_b, start=slot.start)
    response = login(patient_a).get(book_url(doctor, visit_type, slot.start))
    assert response.status_code == 200
    assert "This slot was just taken." in response.content.decode()
    assert 'name="reason"' not in response.content.decode()


def test_unverified_email_gets_the_service_message(login, patient_a, doctor, visit_type, slot):
    EmailAddress.objects.filter(user=patient_a).update(verified=False)
    response = login(patient_a).post(book_url(doctor, visit_type, slot.start), {"mode": "online"})
    assert response.status_code == 400
    assert "Confirm your email address before booking." in response.content.decode()
    assert not Appointment.objects.exists()


def test_policy_refusal_is_a_message_not_an_error(login, patient_a, doctor, visit_type):
    too_soon = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=30)
    response = login(patient_a).get(book_url(doctor, visit_type, too_soon))
    assert response.status_code == 200
    assert "cannot be booked" in response.content.decode() or "ahead" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "doctor=abc&visit_type=1&start=2026-01-01T10:00Z",
        "doctor=1&visit_type=1&start=not-a-date",
        "doctor=1&visit_type=&start=2026-01-01T10:00Z",
    ],
)
def test_broken_links_answer_400(login, patient_a, query):
    response = login(patient_a).get(reverse("appointments:book") + "?" + query)
    assert response.status_code == 400
    assert "This booking link is not valid" in response.content.decode()


def test_anonymous_is_sent_to_login(client, doctor, visit_type, slot):
    url = book_url(doctor, visit_type, slot.start)
    response = client.post(url, {"mode": "in_person"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Appointment.objects.exists()


def test_doctors_and_staff_cannot_use_the_booking_page(
    login, doctor, other_doctor, staff, visit_type, slot
):
    url = book_url(doctor, visit_type, slot.start)
    for user in (doctor.user, other_doctor.user, staff):
        assert login(user).post(url, {"mode": "in_person"}).status_code == 404
    assert not Appointment.objects.exists()


def test_unverified_doctor_cannot_be_booked(login, patient_a, unverified_doctor):
    weekly_schedule(unverified_doctor)
    visit_type = VisitTypeFactory(doctor=unverified_doctor)
    start = timezone.now() + dt.timedelta(days=2)
    url = book_url(unverified_doctor, visit_type, start.replace(minute=0, second=0, microsecond=0))
    client = login(patient_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"mode": "in_person"}).status_code == 404
    assert not Appointment.objects.exists()


def test_visit_type_of_another_doctor_is_404(login, patient_a, doctor, other_doctor, slot):
    foreign = VisitTypeFactory(doctor=other_doctor)
    response = login(patient_a).get(book_url(doctor, foreign, slot.start))
    assert response.status_code == 404


def test_online_booking_gets_a_video_room(login, patient_a, doctor, visit_type, slot):
    login(patient_a).post(book_url(doctor, visit_type, slot.start), {"mode": Mode.ONLINE})
    appointment = Appointment.objects.get()
    assert appointment.mode == Mode.ONLINE
    assert appointment.video_room


# The cut-offs, told before booking -------------------------------------------------


def test_the_form_says_until_when_the_visit_can_be_changed_online(
    login, patient_a, doctor, visit_type
):
    start = free_starts_ahead(doctor, visit_type, days_ahead=3)[0]
    page = login(patient_a).get(book_url(doctor, visit_type, start)).content.decode()
    until = (start - dt.timedelta(hours=24)).astimezone(doctor.tz)
    assert (
        f"You can cancel or move this visit online until {until:%A} {until.day} {until:%B}, "
        f"{until:%H:%M} (Asia/Kolkata)"
    ) in page
    assert 'data-testid="cutoff-warning"' not in page


def test_a_slot_inside_the_cut_off_is_warned_about(login, patient_a, doctor, visit_type):
    visit_type.reschedule_cutoff_hours = 2
    visit_type.min_notice_minutes = 0
    visit_type.save()
    now = timezone.now()
    soon = free_starts_ahead(doctor, visit_type, days_ahead=0) + free_starts_ahead(
        doctor, visit_type, days_ahead=1
    )
    start = next(s for s in soon if now + dt.timedelta(hours=3) < s < now + dt.timedelta(hours=24))
    page = login(patient_a).get(book_url(doctor, visit_type, start)).content.decode()
    assert (
        "This visit starts in less than 24 hours: once booked, it can no longer be "
        "cancelled online. To change it, call the practice."
    ) in page


def test_the_patient_reads_their_own_time_beside_the_doctors(login, patient_a, doctor, visit_type):
    doctor.time_zone = "Europe/Berlin"
    doctor.save()
    start = free_starts_ahead(doctor, visit_type, days_ahead=3)[0]
    client = login(patient_a)
    client.cookies["mc_tz"] = "Asia/Kolkata"  # the browser's zone, no profile setting
    page = client.get(book_url(doctor, visit_type, start)).content.decode()
    mine = start.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"{mine:%H:%M} your time (Asia/Kolkata)" in page
    assert "(Europe/Berlin)" in page
    patient_a.time_zone = "Europe/Berlin"  # the profile setting wins
    patient_a.save()
    assert "your time" not in client.get(book_url(doctor, visit_type, start)).content.decode()
