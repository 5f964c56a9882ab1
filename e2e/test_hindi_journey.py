"""A Hindi reader on a phone: signs up choosing Hindi, confirms, signs in, books, and
reads the confirmation (email and notices) in Hindi; every page says lang="hi" and
passes the accessibility check."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from appointments.models import Mode, VisitType
from appointments.services import appointment_book
from e2e.test_booking_journey import cardiologist  # noqa: F401 (a fixture)

from .accessibility import assert_accessible
from .pages import confirmation_path

pytestmark = pytest.mark.browser

PASSWORD = "a-long-Passw0rd-here"


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser that asks for Hindi (Accept-Language: hi-IN)."""
    return {**browser_context_args, "locale": "hi-IN"}


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_hindi_reader_signs_up_books_and_reads_the_confirmation_in_hindi(
    live_server,
    new_person_page,
    cardiologist,  # noqa: F811
):
    page = new_person_page()

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("सत्यापित डॉक्टर")
    assert_accessible(page)

    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_role("heading", name="मरीज़ खाता बनाएँ")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("पूरा नाम").fill("Meera Iyer")
    page.locator("#id_email").fill("meera@example.com")
    page.locator("#id_phone").fill("+91 98450 12345")
    page.locator("#id_date_of_birth").fill("1988-03-14")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    # The form's own language field (the navigation bar has the picker too).
    language = page.get_by_role("main").get_by_label("भाषा")
    expect(language).to_have_value("hi")
    language.select_option("hi")
    page.get_by_role("button", name="खाता बनाएँ").click()

    # The e-mail confirmation and sign-in pages come from django-allauth, in Hindi too.
    page.goto(live_server.url + confirmation_path("meera@example.com"))
    expect(page.get_by_role("heading", name="ईमेल पते की पुष्टि करें")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="पुष्टि करें").click()
    expect(page.get_by_role("heading", name="साइन इन करें")).to_be_visible()
    page.locator("#id_login").fill("meera@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    expect(page.get_by_role("heading", name="नमस्ते, Meera")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    assert_accessible(page)

    from accounts.models import User

    meera = User.objects.get(email="meera@example.com")
    assert meera.language == "hi"
    doctor = cardiologist
    start = datetime.datetime.combine(doctor.visit_day, datetime.time(10, 0), tzinfo=doctor.tz)
    mail.outbox.clear()
    appointment_book(
        patient=meera,
        doctor=doctor,
        visit_type=VisitType.objects.get(doctor=doctor),
        start=start,
        mode=Mode.IN_PERSON,
        reason="सीढ़ियाँ चढ़ते समय साँस फूलती है",
    )
    to_meera = [m for m in mail.outbox if "meera@example.com" in m.to]
    assert to_meera, [m.subject for m in mail.outbox]
    body = to_meera[0].body
    assert "नमस्ते Meera Iyer," in body
    assert "आपका बुकिंग अनुरोध भेज दिया गया है।" in body
    assert '<html lang="hi">' in to_meera[0].alternatives[0][0]

    page.goto(live_server.url + "/notifications/")
    expect(page.get_by_role("heading", name="सूचनाएँ")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    assert_accessible(page)
