"""A patient opens the assistant from a page (a full page on a phone, a side panel on
a desktop), asks for their next appointment and follows the link to it, asks what a
cardiologist costs, and types an emergency: the reply is the emergency number."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from billing.tests.factories import BillingSettingsFactory
from doctors.tests.factories import DoctorFactory, SpecializationFactory

from .accessibility import assert_accessible
from .pages import wait_for_htmx

pytestmark = pytest.mark.browser


@pytest.fixture
def cardiologists(db):
    BillingSettingsFactory()
    cardiology = SpecializationFactory(name="Cardiology")
    DoctorFactory(
        user__full_name="Priya Iyer", specializations=[cardiology], consultation_fee=Decimal("1200")
    )
    DoctorFactory(
        user__full_name="Kiran Rao", specializations=[cardiology], consultation_fee=Decimal("900")
    )


def _open_assistant(page, viewport):
    if viewport == "phone":
        page.get_by_role("link", name="Assistant").click()
        page.get_by_role("heading", name="Assistant", level=1).wait_for()
    else:
        page.get_by_role("button", name="Assistant").click()
        page.locator("#assistant-panel.show #assistant-message").wait_for()


def _ask(page, message):
    replies = page.get_by_test_id("assistant-reply")
    before = replies.count()
    page.get_by_label("Your question").fill(message)
    page.get_by_role("button", name="Send").click()
    expect(replies).to_have_count(before + 1)
    wait_for_htmx(page)
    return replies.nth(before)


def test_a_patient_asks_the_assistant(
    signed_in_page, live_server, viewport, patient_a, upcoming, cardiologists
):
    page = signed_in_page(patient_a)
    page.goto(live_server.url + "/find-a-doctor/")
    _open_assistant(page, viewport)
    assert_accessible(page)

    reply = _ask(page, "wen is my nxt appt")
    expect(reply).to_contain_text("Your next appointment")
    expect(reply).to_contain_text("Ravi Treating")
    assert_accessible(page)

    reply = _ask(page, "what does a cardiologist cost")
    expect(reply).to_contain_text("Consultation: from INR 900.00 to INR 1,200.00")

    reply = _ask(page, "my dad has crushing chest pain")
    expect(reply).to_have_attribute("data-level", "emergency")
    expect(reply).to_contain_text("Call 112 now")
    expect(reply.get_by_role("link")).to_have_count(1)
    assert_accessible(page)

    # Back to the first answer: its link opens the appointment.
    page.get_by_role("link", name="Appointment on").first.click()
    page.get_by_role("heading", name="Appointment with Dr. Ravi Treating").wait_for()
    assert page.url.endswith(f"/appointments/{upcoming.pk}/")
