"""Dr. A books a case discussion with connected Dr. B from the connections page: picks
one of B's free times, writes the topic, books; B sees it in the list and cancels it
with a reason; A sees it cancelled."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import enrol_totp
from appointments.models import ModeOffer
from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from doctors.tests.factories import DoctorFactory
from network.models import CaseDiscussion
from network.tests.factories import connect

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def dr_b(db, doctor):
    profile = DoctorFactory(user__full_name="Bina Cardio", user__email="bina@example.com")
    enrol_totp(profile.user)
    weekly_schedule(profile)
    VisitTypeFactory(
        doctor=profile,
        name="Case discussion",
        duration_minutes=20,
        mode=ModeOffer.ONLINE,
        requires_approval=False,
        for_colleagues=True,
    )
    connect(doctor, profile)
    return profile


def test_book_and_cancel_a_case_discussion(live_server, signed_in_page, doctor, dr_b):
    a_page, b_page = signed_in_page(doctor.user), signed_in_page(dr_b.user)

    a_page.goto(live_server.url + reverse("network:connections"))
    a_page.get_by_role("link", name="Book a case discussion").click()
    expect(a_page.get_by_role("heading", level=1)).to_contain_text("Dr. Bina Cardio")
    expect(a_page.get_by_test_id("free-slots")).to_be_visible()
    assert_accessible(a_page)
    a_page.get_by_test_id("free-slots").locator("label").first.click()
    a_page.get_by_label("Topic").fill("Resistant hypertension at 34: imaging first?")
    a_page.get_by_role("button", name="Book the case discussion").click()
    expect(a_page.get_by_test_id("discussion-topic")).to_have_text(
        "Resistant hypertension at 34: imaging first?"
    )
    expect(a_page.get_by_text("Confirmed", exact=True)).to_be_visible()
    assert_accessible(a_page)
    discussion = CaseDiscussion.objects.get()

    b_page.goto(live_server.url + reverse("network:discussions"))
    expect(b_page.get_by_test_id("discussion")).to_contain_text("booked you")
    assert_accessible(b_page)
    b_page.get_by_test_id("discussion").get_by_role("link").click()
    b_page.get_by_label("Why do you cancel?").fill("Called into theatre.")
    b_page.get_by_role("button", name="Cancel the case discussion").click()
    expect(
        b_page.get_by_text("Case discussion cancelled; your colleague has been told.")
    ).to_be_visible()

    a_page.goto(live_server.url + reverse("network:discussion", args=[discussion.pk]))
    expect(a_page.get_by_text("Called into theatre.")).to_be_visible()
