"""A patient finds a doctor and books a free slot; the doctor confirms it; the patient
moves it to another time, then cancels it."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, enrol_totp
from appointments.models import Appointment, AppointmentStatus, ModeOffer
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from doctors.tests.factories import DoctorFactory, SpecializationFactory
from patients.tests.factories import PatientFactory

from .accessibility import assert_accessible
from .pages import click_nav, open_menu, sign_in, wait_for_htmx

pytestmark = pytest.mark.browser


@pytest.fixture
def cardiologist():
    """A verified cardiologist free 10:00-12:00 on one weekday, three days from today."""
    doctor = DoctorFactory(
        user__full_name="Ravi Menon",
        user__email="ravi.menon@example.com",
        specializations=[SpecializationFactory(name="Cardiology")],
        practice_name="Heartline Clinic",
        consultation_fee="700.00",
    )
    enrol_totp(doctor.user)
    VisitTypeFactory(
        doctor=doctor,
        name="Consultation",
        duration_minutes=30,
        mode=ModeOffer.IN_PERSON,
        requires_approval=True,
    )
    visit_day = timezone.now().astimezone(doctor.tz).date() + datetime.timedelta(days=3)
    weekly_schedule(
        doctor, weekdays=[visit_day.weekday()], start=(10, 0), end=(12, 0), mode=ModeOffer.BOTH
    )
    # Another verified doctor, whom the specialization filter must leave out.
    DoctorFactory(
        user__full_name="Olga Dutta", specializations=[SpecializationFactory(name="Dermatology")]
    )
    doctor.visit_day = visit_day
    return doctor


def find_the_cardiologist(page, live_server, day_label):
    """The patient looks for a cardiologist without signing in first and opens their page."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Find a doctor").first.click()
    expect(page.get_by_role("heading", name="Find a doctor", level=1)).to_be_visible()
    # On a phone the filters are folded away behind a button.
    show_filters = page.get_by_role("button", name="Show filters")
    if show_filters.is_visible():
        show_filters.click()
    # Results are swapped in place (htmx) on a change and on submit. Both searches give
    # the same answer, so wait for what the person sees and then for htmx to go quiet.
    expect(page.get_by_role("heading", name="2 doctors found")).to_be_visible()
    page.get_by_label("Specialization").select_option(label="Cardiology")
    expect(page.get_by_role("heading", name="1 doctor found")).to_be_visible()
    page.get_by_role("button", name="Search").click()
    wait_for_htmx(page)
    expect(page.get_by_role("heading", name="1 doctor found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"specialization="))
    result = page.get_by_test_id("doctor-result")
    expect(result).to_contain_text("Dr. Ravi Menon")
    expect(result).to_contain_text("Heartline Clinic")
    expect(result).to_contain_text("₹700.00")
    assert_accessible(page)

    result.get_by_role("link", name="Dr. Ravi Menon").first.click()
    expect(page.get_by_role("heading", name="Dr. Ravi Menon", level=1)).to_be_visible()
    expect(page.get_by_text(f"{day_label}: choose a time to book it.")).to_be_visible()
    assert_accessible(page)


def request_ten_o_clock(page, doctor, day_label):
    """Choosing a time asks an anonymous visitor to sign in, then comes back to it; the
    patient sends the request. Returns the appointment's address."""
    page.get_by_role("link", name="10:00").first.click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page, "asha.rao@example.com", DEFAULT_PASSWORD)

    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()
    summary = page.get_by_role("region", name="Dr. Ravi Menon")
    expect(summary).to_contain_text(f"{day_label} {doctor.visit_day.year}, 10:00")
    expect(summary).to_contain_text("Consultation (30 minutes)")
    assert_accessible(page)
    page.get_by_label("Reason for the visit").fill("Breathless when climbing stairs")
    page.get_by_role("button", name="Request this appointment").click()

    expect(page.get_by_role("alert")).to_contain_text("Your request was sent")
    expect(page.get_by_role("heading", name="Appointment with Dr. Ravi Menon")).to_be_visible()
    details = page.get_by_role("region", name="Details")
    expect(details).to_contain_text("10:00–10:30")
    expect(details).to_contain_text("Breathless when climbing stairs")
    expect(details).to_contain_text("Pending")
    assert_accessible(page)
    return page.url


def doctor_confirms_from_the_agenda(doctor_page, live_server, doctor):
    """The doctor is told of the request, sees it among the requests, and confirms it
    from the agenda of that day."""
    doctor_page.goto(live_server.url + "/dashboard/")
    open_menu(doctor_page)
    doctor_page.get_by_role("link", name="Notifications").click()
    expect(doctor_page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(doctor_page.get_by_role("main").get_by_role("listitem").first).to_contain_text(
        "Booking request: Asha Rao"
    )
    assert_accessible(doctor_page)
    click_nav(doctor_page, "Requests")
    expect(doctor_page.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    expect(doctor_page.get_by_role("main")).to_contain_text("Breathless when climbing stairs")
    assert_accessible(doctor_page)
    click_nav(doctor_page, "Agenda")
    expect(doctor_page.get_by_role("heading", name="Agenda")).to_be_visible()
    doctor_page.get_by_label("Go to date").fill(doctor.visit_day.isoformat())
    doctor_page.get_by_role("button", name="Go", exact=True).click()
    visit = doctor_page.get_by_role("link", name="10:00–10:30 Asha Rao")
    expect(visit).to_be_visible()
    assert_accessible(doctor_page)
    visit.click()
    expect(doctor_page.get_by_role("heading", name="Appointment of Asha Rao")).to_be_visible()
    assert_accessible(doctor_page)
    doctor_page.get_by_role("button", name="Confirm").click()
    expect(doctor_page.get_by_role("alert")).to_contain_text("The appointment is confirmed.")
    expect(doctor_page.get_by_role("region", name="Details")).to_contain_text("Confirmed")


def patient_moves_it_to_eleven(page, appointment_url, doctor, day_label):
    """The patient sees it confirmed and moves it to 11:00 the same day."""
    details = page.get_by_role("region", name="Details")
    page.goto(appointment_url)
    expect(details).to_contain_text("Confirmed")
    page.get_by_role("link", name="Choose another time").click()
    expect(page.get_by_role("heading", name="Choose another time")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("11:00", exact=True).first.click()
    page.get_by_label("Reason (optional)").fill("A meeting moved")
    page.get_by_role("button", name="Move my appointment").click()

    expect(page.get_by_role("alert")).to_contain_text("Your appointment was moved to the new time.")
    expect(details).to_contain_text(f"{day_label} {doctor.visit_day.year}, 11:00–11:30")


def patient_cancels(page):
    """And finally cancels it; it leaves the upcoming visits and stays in the history."""
    details = page.get_by_role("region", name="Details")
    page.get_by_label("Reason").fill("Feeling better")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.get_by_role("alert")).to_contain_text("The appointment was cancelled.")
    expect(details).to_contain_text("Cancelled")
    assert_accessible(page)

    click_nav(page, "My appointments")
    expect(page.get_by_role("heading", name="My appointments")).to_be_visible()
    expect(page.get_by_role("region", name="Upcoming")).to_contain_text(
        "You have no upcoming appointments."
    )
    history = page.get_by_role("region", name="All appointments")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Dr. Ravi Menon")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Cancelled")
    assert_accessible(page)


def assert_stored_and_emailed(patient, doctor):
    """The appointment as stored, its history, and the emails to both."""
    appointment = Appointment.objects.get(patient=patient)
    assert appointment.doctor == doctor
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.reason == "Breathless when climbing stairs"
    local_start = appointment.start.astimezone(doctor.tz)
    assert (local_start.date(), local_start.time()) == (doctor.visit_day, datetime.time(11, 0))
    assert list(appointment.events.values_list("to_status", flat=True)) == [
        AppointmentStatus.PENDING,
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.PENDING,
        AppointmentStatus.CANCELLED,
    ]
    assert {tuple(m.to) for m in mail.outbox} >= {
        ("ravi.menon@example.com",),
        ("asha.rao@example.com",),
    }


def test_patient_books_doctor_confirms_patient_reschedules_and_cancels(
    live_server, new_person_page, signed_in_page, cardiologist
):
    doctor = cardiologist
    day_label = date_format(doctor.visit_day, "l j F")
    patient = PatientFactory(user__full_name="Asha Rao", user__email="asha.rao@example.com").user
    page = new_person_page()

    find_the_cardiologist(page, live_server, day_label)
    appointment_url = request_ten_o_clock(page, doctor, day_label)
    doctor_confirms_from_the_agenda(signed_in_page(doctor.user), live_server, doctor)
    patient_moves_it_to_eleven(page, appointment_url, doctor, day_label)
    patient_cancels(page)

    assert_stored_and_emailed(patient, doctor)
