"""Two connected doctors discuss a referred patient: Dr. Ravi writes with a PDF in the
referral's thread and Dr. Olga, who has the thread open, sees it arrive without
reloading and downloads the file; a patient writes to their doctor from an
appointment and the doctor finds it in Messages."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from accounts.tests.factories import DEFAULT_PASSWORD, enrol_totp
from appointments.tests.factories import PastVisitFactory
from doctors.tests.factories import DoctorFactory
from messaging.models import Attachment, Message, Thread
from messaging.tests.factories import referral_between
from patients.tests.factories import PatientFactory

from .accessibility import assert_accessible
from .pages import open_menu, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def echo_report(tmp_path):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 760, "Echocardiogram: EF 55%, mild LVH")
    pdf.save()
    path = tmp_path / "echo-report.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def _doctor(name, email):
    profile = DoctorFactory(user__full_name=name, user__email=email)
    enrol_totp(profile.user)
    return profile


def open_messages(page):
    open_menu(page)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name=re.compile(r"^Messages")).click()
    expect(page.get_by_role("heading", name="Messages", level=1)).to_be_visible()


def test_doctors_exchange_a_pdf_in_a_referral_thread(live_server, signed_in_page, echo_report):
    ravi = _doctor("Ravi Treating", "ravi@example.com")
    olga = _doctor("Olga Other", "olga@example.com")
    patient = PatientFactory(user__full_name="Asha Patient").user
    referral = referral_between(ravi, olga, patient)
    thread_url = live_server.url + reverse("messaging:referral-thread", args=[referral.pk])

    olga_page = signed_in_page(olga.user)
    olga_page.goto(thread_url)
    expect(olga_page.get_by_role("heading", name="Referral of Asha Patient")).to_be_visible()
    expect(olga_page.get_by_role("main")).to_contain_text("With Dr. Ravi Treating")
    assert_accessible(olga_page)

    ravi_page = signed_in_page(ravi.user)
    ravi_page.goto(thread_url)
    expect(ravi_page.get_by_role("heading", name="Referral of Asha Patient")).to_be_visible()
    ravi_page.get_by_label("Message", exact=True).fill(
        "Echo attached: please assess for stress testing."
    )
    ravi_page.get_by_label("Attach files").set_input_files(str(echo_report))
    ravi_page.get_by_role("button", name="Send").click()
    expect(ravi_page.get_by_role("alert")).to_contain_text("Message sent.")
    messages = ravi_page.get_by_role("region", name="Messages")
    expect(messages).to_contain_text("Echo attached: please assess for stress testing.")
    expect(messages.get_by_role("link", name="echo-report.pdf")).to_be_visible()
    assert_accessible(ravi_page)

    # Olga never reloads: the thread polls and the message appears.
    olga_messages = olga_page.get_by_role("region", name="Messages")
    expect(olga_messages).to_contain_text("please assess for stress testing", timeout=20_000)
    with olga_page.expect_download() as download_info:
        olga_messages.get_by_role("link", name="echo-report.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "echo-report.pdf"
    assert download.path().read_bytes() == echo_report.read_bytes()
    assert_accessible(olga_page)

    # Ravi's page now says Olga read it, again without a reload.
    expect(ravi_page.locator("#read-receipt")).to_contain_text(
        "Dr. Olga Other last read this conversation", timeout=20_000
    )

    thread = Thread.objects.get(referral=referral)
    assert Message.objects.get(thread=thread).sender == ravi.user
    assert Attachment.objects.get().original_filename == "echo-report.pdf"


def test_a_patient_writes_to_their_doctor_from_an_appointment(
    live_server, new_person_page, signed_in_page
):
    ravi = _doctor("Ravi Treating", "ravi@example.com")
    patient = PatientFactory(user__full_name="Asha Patient", user__email="asha@example.com").user
    visit = PastVisitFactory(patient=patient, doctor=ravi)

    page = new_person_page()
    page.goto(live_server.url + reverse("account_login"))
    sign_in(page, "asha@example.com", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()
    page.goto(live_server.url + reverse("appointments:detail", args=[visit.pk]))
    page.get_by_role("link", name="Message the doctor").click()
    expect(page.get_by_role("heading", name="Write to Dr. Ravi Treating")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Subject").fill("Dizziness after the new tablets")
    page.get_by_label("Message", exact=True).fill("I feel dizzy in the mornings since the visit.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Message sent.")
    expect(page.get_by_role("region", name="Messages")).to_contain_text(
        "I feel dizzy in the mornings"
    )
    assert_accessible(page)

    doctor_page = signed_in_page(ravi.user)
    doctor_page.goto(live_server.url + reverse("doctor_dashboard"))
    expect(doctor_page.get_by_test_id("unread-messages")).to_have_text(re.compile(r"^1"))
    open_messages(doctor_page)
    assert_accessible(doctor_page)
    doctor_page.get_by_role("link", name="Dizziness after the new tablets").click()
    expect(doctor_page.get_by_role("main")).to_contain_text("I feel dizzy in the mornings")
    expect(doctor_page.get_by_test_id("unread-messages")).to_have_count(0)
    assert_accessible(doctor_page)
