"""A patient books from the doctor's calendar: the visit type first, then a strip of
days moved with htmx and the chosen day's times. On a phone the page, day list
included, fits in two screens."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import enrol_totp
from appointments.models import Appointment, AppointmentStatus, ModeOffer
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from doctors.tests.factories import DoctorFactory, SpecializationFactory
from patients.tests.factories import PatientFactory

from .accessibility import assert_accessible
from .conftest import VIEWPORTS
from .pages import wait_for_htmx

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_doctor():
    """A cardiologist with two visit types and full weekday hours for weeks ahead."""
    doctor = DoctorFactory(
        user__full_name="Ravi Menon",
        time_zone="Europe/Berlin",
        specializations=[SpecializationFactory(name="Cardiology")],
        practice_name="Heartline Clinic",
        bio="Consultant cardiologist with a focus on preventive care and clear explanations "
        "for patients and their families.",
    )
    enrol_totp(doctor.user)
    VisitTypeFactory(
        doctor=doctor,
        name="Consultation",
        duration_minutes=20,
        mode=ModeOffer.IN_PERSON,
        requires_approval=False,
        min_notice_minutes=60,
    )
    VisitTypeFactory(doctor=doctor, name="Online follow-up", duration_minutes=15)
    weekly_schedule(doctor, weekdays=range(7), start=(9, 0), end=(18, 0))
    return doctor


def test_patient_books_from_the_calendar(live_server, signed_in_page, viewport, busy_doctor):
    doctor = busy_doctor
    patient = PatientFactory(user__full_name="Asha Rao", user__email="asha.rao@example.com").user
    # A patient in India booking a doctor in Berlin: their browser says where they are.
    page = signed_in_page(patient, timezone_id="Asia/Kolkata")
    page.goto(live_server.url + f"/find-a-doctor/{doctor.pk}/")
    expect(page.get_by_role("heading", name="Dr. Ravi Menon", level=1)).to_be_visible()
    expect(page.get_by_test_id("zone-note")).to_contain_text(
        "Your time zone (Asia/Kolkata) is 4 h 30 min ahead of the doctor's"
    )

    # The visit type comes first: the shortest is open, the patient picks theirs.
    visit_types = page.get_by_role("tablist", name="1. Choose the visit")
    expect(visit_types.get_by_role("tab").first).to_have_attribute("aria-selected", "true")
    consultation = visit_types.get_by_role("tab", name="Consultation")
    consultation.click()
    expect(consultation).to_have_attribute("aria-selected", "true")
    times = page.get_by_test_id("day-times").locator("visible=true")
    expect(times).to_have_count(1)
    expect(page.get_by_test_id("waitlist-link")).to_be_visible()
    assert_accessible(page)

    screen = VIEWPORTS[viewport]["viewport"]["height"]
    if viewport == "phone":
        # The whole page, the day's times and the waitlist link included, in two screens.
        top = page.evaluate(
            "el => el.getBoundingClientRect().top + window.scrollY", times.element_handle()
        )
        assert top <= 2 * screen, f"the day's times start {top}px down"
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 2 * screen, f"the page is {height}px high on a {screen}px screen"

    # A week later, with htmx; then the second free day of that strip.
    strip = page.get_by_role("tablist", name="Days for Consultation")
    first_day = strip.get_by_role("tab").first.inner_text()
    page.get_by_role("link", name="Later days").first.click()
    wait_for_htmx(page)
    expect(strip.get_by_role("tab").first).not_to_have_text(first_day)
    later = strip.get_by_role("tab").nth(1)
    later.scroll_into_view_if_needed()
    later.click()
    expect(later).to_have_attribute("aria-selected", "true")
    assert_accessible(page)
    day_times = page.get_by_test_id("day-times").locator("visible=true")
    day_times.get_by_role("link", name="10:00").click()

    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()
    expect(page.get_by_test_id("your-time")).to_contain_text("14:30 your time (Asia/Kolkata)")
    assert_accessible(page)
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("alert")).to_contain_text("booked and confirmed")

    appointment = Appointment.objects.get(patient=patient)
    local = appointment.start.astimezone(doctor.tz)
    today = timezone.now().astimezone(doctor.tz).date()
    assert local.time() == datetime.time(10, 0)
    assert local.date() == today + datetime.timedelta(days=8)
    assert appointment.status == AppointmentStatus.CONFIRMED
    [email] = [m for m in mail.outbox if patient.email in m.to]
    assert email.subject == "[MedConnect] Booked: Consultation with Dr. Ravi Menon"
