"""Sign-up, email confirmation, sign-in and profile for patients; doctor sign-up and
license verification by staff in Django Admin."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import StaffFactory, enrol_totp
from doctors.models import DoctorProfile, VerificationStatus
from doctors.tests.factories import SpecializationFactory
from patients.models import PatientProfile

from .accessibility import assert_accessible
from .pages import click_nav, confirm_email, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Blue-kettle-morning-42"


def test_patient_signs_up_confirms_email_and_edits_profile(live_server, new_person_page):
    page = new_person_page()

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book a verified doctor")
    assert_accessible(page)

    click_nav(page, "Sign up as patient")
    expect(page.get_by_role("heading", name="Create a patient account")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Meera Iyer")
    page.get_by_label("Email").fill("meera@example.com")
    page.get_by_label("Phone").fill("+91 98450 12345")
    page.get_by_label("Date of birth").fill("1988-03-14")
    page.get_by_label("Blood group").select_option("B+")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert_accessible(page)

    confirm_email(page, live_server, "meera@example.com")
    expect(page.get_by_text("meera@example.com")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("You have confirmed meera@example.com")
    assert_accessible(page)
    sign_in(page, "meera@example.com", PASSWORD)

    expect(page.get_by_role("heading", name="Hello, Meera")).to_be_visible()
    details = page.get_by_role("region", name="My details")
    expect(details).to_contain_text("+91 98450 12345")
    expect(details).to_contain_text("14 Mar 1988")
    expect(details).to_contain_text("B+")
    expect(details).to_contain_text("Not set")
    assert_accessible(page)

    page.get_by_role("link", name="Edit my profile").click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Emergency contact name").fill("Arjun Iyer")
    page.get_by_label("Emergency contact phone").fill("+91 98450 67890")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("alert")).to_contain_text("Your profile was saved.")
    expect(details).to_contain_text("Arjun Iyer, +91 98450 67890")

    profile = PatientProfile.objects.select_related("user").get(user__email="meera@example.com")
    assert profile.user.full_name == "Meera Iyer"
    assert profile.blood_group == "B+"
    assert profile.emergency_contact_name == "Arjun Iyer"


def test_doctor_signs_up_and_staff_verifies_the_license(
    live_server, new_person_page, signed_in_page
):
    SpecializationFactory(name="Cardiology")
    SpecializationFactory(name="Dermatology")
    page = new_person_page()

    page.goto(live_server.url + "/accounts/signup/doctor/")
    expect(page.get_by_role("heading", name="Join MedConnect as a doctor")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Kavya Rao")
    page.get_by_label("Email").fill("kavya@example.com")
    page.get_by_label("License ID").fill("KMC-204518")
    page.get_by_label("Cardiology").check()
    page.get_by_label("Qualifications").fill("MBBS, MD, DM (Cardiology)")
    page.get_by_label("Years of experience").fill("12")
    page.get_by_label("Practice / hospital").fill("Lakeside Heart Clinic")
    page.get_by_label("Practice address").fill("4 Lake Road")
    page.get_by_label("City").fill("mysuru")
    page.get_by_label("Languages").fill("English, Kannada")
    page.get_by_label("Consultation fee (INR)").fill("800")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create doctor account").click()

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    confirm_email(page, live_server, "kavya@example.com")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page, "kavya@example.com", PASSWORD)

    # Two-factor is required for doctors: they land on its set-up page, which
    # also shows where their license verification stands.
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Pending verification")
    expect(page.get_by_role("status")).to_contain_text("KMC-204518")
    assert_accessible(page)

    doctor = DoctorProfile.objects.get(user__email="kavya@example.com")
    assert doctor.verification_status == VerificationStatus.PENDING
    assert doctor.city == "Mysuru"

    staff = StaffFactory(full_name="Sunita Staff", email="sunita@example.com")
    enrol_totp(staff)
    admin_page = signed_in_page(staff)
    admin_page.goto(
        live_server.url + "/admin/doctors/doctorprofile/?verification_status__exact=pending"
    )
    expect(
        admin_page.get_by_role("heading", name="Select doctor profile to change")
    ).to_be_visible()
    assert_accessible(admin_page)
    admin_page.get_by_role("link", name="Kavya Rao").click()
    expect(admin_page.get_by_text("KMC-204518").first).to_be_visible()
    # Django's own filter_horizontal script puts aria-label on a role-less <span>.
    assert_accessible(admin_page, exclude=[".selector"])
    mail.outbox.clear()
    admin_page.get_by_role("button", name="Verify license").click()

    expect(admin_page.locator("ul.messagelist")).to_contain_text("Dr. Kavya Rao is verified.")

    doctor.refresh_from_db()
    assert doctor.verification_status == VerificationStatus.VERIFIED
    assert doctor.verification_decided_by == staff
    assert [m.to for m in mail.outbox] == [["kavya@example.com"]]
    assert "Your license is verified" in mail.outbox[0].subject
