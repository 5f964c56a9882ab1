"""The front desk books a walk-in patient by phone number and name, through the same
booking service as patients, then marks their arrival on the day sheet."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import StaffFactory, enrol_totp
from appointments.models import Appointment, ModeOffer
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from doctors.tests.factories import DoctorFactory
from frontdesk.models import VisitProgress
from frontdesk.selectors import clinic_tz
from notifications.models import Notification

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def clinic():
    """Two doctors working today, one of them taking walk-ins without approval."""
    staff = StaffFactory(full_name="Meera Desk", email="desk@example.com")
    enrol_totp(staff)
    doctors = []
    for name in ("Ravi Menon", "Anita Kulkarni"):
        doctor = DoctorFactory(user__full_name=name)
        enrol_totp(doctor.user)
        VisitTypeFactory(
            doctor=doctor,
            name="Consultation",
            duration_minutes=30,
            mode=ModeOffer.IN_PERSON,
            requires_approval=False,
            min_notice_minutes=0,
        )
        weekly_schedule(doctor, weekdays=range(7), start=(0, 0), end=(23, 30))
        doctors.append(doctor)
    return staff, doctors[1]


def test_staff_book_a_walk_in_and_mark_the_arrival(live_server, signed_in_page, clinic):
    staff, doctor = clinic
    page = signed_in_page(staff)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Day sheet and desk bookings").first.click()
    expect(page.get_by_role("heading", name="Day sheet", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Book for a patient").click()
    page.get_by_label("Full name").fill("Kiran Walkin")
    page.get_by_label("Phone number").fill("+91 98450 33333")
    page.get_by_role("button", name="Register and continue").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Kiran Walkin is registered.")
    assert_accessible(page)

    page.get_by_label("Doctor and visit type").select_option(
        label="Dr. Anita Kulkarni: Consultation (30 min)"
    )
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("heading", name="3. Free times")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_label("Reason for the visit (optional)").fill("Fever since yesterday")
    page.get_by_role("button", name="Book", exact=True).click()

    # Booked through the booking service; a walk-in is then offered an invitation.
    expect(page.locator("ul.messagelist")).to_contain_text("The patient is notified.")
    expect(page.get_by_role("heading", name="Invite Kiran Walkin")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the invitation").click()  # no email: an SMS link
    expect(page.get_by_test_id("claim-link")).to_have_value(re.compile(r"/welcome/claim/\w+/"))

    appointment = Appointment.objects.get(patient__full_name="Kiran Walkin")
    assert appointment.doctor == doctor and appointment.created_by == staff
    assert Notification.objects.filter(recipient=appointment.patient).exists()

    # Back on the day sheet of the visit's day, the desk marks the arrival.
    day = appointment.start.astimezone(clinic_tz()).date()
    page.goto(live_server.url + f"/admin/frontdesk/deskvisit/?day={day.isoformat()}")
    visit = page.get_by_test_id(f"visit-{appointment.pk}")
    expect(visit).to_contain_text("Kiran Walkin")
    expect(page.get_by_test_id(f"marker-{appointment.pk}")).to_have_text("Not arrived")
    assert_accessible(page)
    visit.get_by_role("button", name="Arrived").click()
    expect(page.get_by_test_id(f"marker-{appointment.pk}")).to_have_text("Arrived")
    page.get_by_test_id(f"visit-{appointment.pk}").get_by_role(
        "button", name="In consultation"
    ).click()
    expect(page.get_by_test_id(f"marker-{appointment.pk}")).to_have_text("In consultation")
    assert_accessible(page)
    assert VisitProgress.objects.get(appointment=appointment).state == "in_consultation"
