"""Dr. A connects with Dr. B; B accepts; A refers a patient sharing two documents; the
patient agrees; B accepts and books the patient; B returns a report; A sees it; the
patient ends B's access; B gets a 404 on the shared documents."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import enrol_totp
from appointments.models import Appointment, AppointmentStatus
from appointments.services import appointment_complete
from appointments.tests.factories import PastVisitFactory, bookable_consultation
from doctors.tests.factories import DoctorFactory
from network.models import Referral
from network.models import ReferralStatus as RS
from records.documents import document_upload
from records.models import DocumentKind
from records.tests.factories import pdf_bytes, upload

from .accessibility import assert_accessible
from .pages import click_nav

pytestmark = pytest.mark.browser


@pytest.fixture
def dr_b(db):
    profile = DoctorFactory(user__full_name="Bina Cardio", user__email="bina@example.com")
    enrol_totp(profile.user)
    bookable_consultation(profile)
    return profile


@pytest.fixture
def two_documents(patient_a, doctor):
    """Patient A's two lab reports, and a completed visit that makes `doctor` treating."""
    visit = PastVisitFactory(doctor=doctor, patient=patient_a)
    return [
        document_upload(
            patient=patient_a,
            uploader=patient_a,
            uploaded_file=upload(name, pdf_bytes(name)),
            kind=DocumentKind.LAB_REPORT,
            document_date=visit.start.date(),
        )
        for name in ("ecg.pdf", "lipids.pdf")
    ]


def _visit_takes_place(referral, dr_b):
    """Time passes: the booked visit happens and the specialist marks it completed."""
    back = datetime.timedelta(days=30)
    Appointment.objects.filter(pk=referral.appointment_id).update(
        status=AppointmentStatus.CONFIRMED,
        start=F("start") - back,
        end=F("end") - back,
        blocked_start=F("blocked_start") - back,
        blocked_end=F("blocked_end") - back,
    )
    appointment_complete(
        appointment=Appointment.objects.get(pk=referral.appointment_id), actor=dr_b.user
    )


def test_refer_book_report_revoke(
    live_server, signed_in_page, doctor, dr_b, patient_a, two_documents, tmp_path
):
    a_page, b_page = signed_in_page(doctor.user), signed_in_page(dr_b.user)
    patient_page = signed_in_page(patient_a)

    # A finds B and asks to connect; B accepts.
    a_page.goto(live_server.url + reverse("network:connections"))
    a_page.get_by_label("Name").fill("Bina")
    a_page.get_by_role("button", name="Search").click()
    a_page.get_by_label("Note to Dr. Bina Cardio").fill("Cardiology referrals?")
    a_page.get_by_role("button", name="Connect with Dr. Bina Cardio").click()
    expect(a_page.get_by_text("Connection request sent.")).to_be_visible()
    assert_accessible(a_page)
    b_page.goto(live_server.url + "/")
    click_nav(b_page, "Network")
    expect(b_page.get_by_text("Cardiology referrals?")).to_be_visible()
    b_page.get_by_role("button", name="Accept").click()
    expect(b_page.get_by_test_id("connection")).to_be_visible()

    # A refers the patient, sharing the two documents.
    a_page.goto(live_server.url + reverse("records:patient", args=[patient_a.pk]))
    a_page.get_by_role("link", name="Refer to a colleague").click()
    a_page.get_by_label("Refer to").select_option(label="Dr. Bina Cardio (Bengaluru)")
    a_page.get_by_label("Reason").fill("Palpitations on exertion")
    for document in two_documents:
        a_page.get_by_label(document.original_filename, exact=False).check()
    assert_accessible(a_page)
    a_page.get_by_role("button", name="Send to the patient for consent").click()
    expect(a_page.get_by_test_id("referral-status")).to_have_text("Awaiting the patient's consent")
    referral = Referral.objects.get()

    # The patient reads what would be shared and agrees.
    patient_page.goto(live_server.url + "/")
    click_nav(patient_page, "Referrals")
    patient_page.get_by_role("link", name=f"#{referral.pk}").click()
    expect(patient_page.get_by_test_id("shared-items")).to_contain_text("ecg.pdf")
    assert_accessible(patient_page)
    patient_page.get_by_role("button", name="I agree").click()
    expect(patient_page.get_by_test_id("referral-status")).to_have_text("Sent to the specialist")

    # B accepts, downloads a shared document and books the patient.
    b_page.goto(live_server.url + reverse("network:referral", args=[referral.pk]))
    b_page.get_by_role("button", name="Accept the referral").click()
    with b_page.expect_download() as download:
        b_page.get_by_test_id("shared-document").first.click()
    assert download.value.suggested_filename in {"ecg.pdf", "lipids.pdf"}
    shared_urls = [
        live_server.url + reverse("network:shared-document", args=[referral.pk, d.pk])
        for d in two_documents
    ]
    b_page.get_by_role("link", name="Book the patient").click()
    assert_accessible(b_page)
    b_page.get_by_test_id("free-slots").get_by_role("button").first.click()
    expect(b_page.get_by_test_id("referral-status")).to_have_text("Booked")

    # The visit takes place; B returns a report with a letter and a file.
    referral.refresh_from_db()
    _visit_takes_place(referral, dr_b)
    b_page.reload()
    b_page.get_by_role("link", name="Send the report").click()
    b_page.get_by_label("Letter").fill("Holter normal; no arrhythmia.")
    report_file = tmp_path / "holter.pdf"
    report_file.write_bytes(pdf_bytes("Holter"))
    b_page.get_by_label("Attachments").set_input_files(str(report_file))
    assert_accessible(b_page)
    b_page.get_by_role("button", name="Send the report").click()
    expect(b_page.get_by_test_id("referral-status")).to_have_text("Report returned")

    # A sees the report.
    a_page.goto(live_server.url + reverse("network:referral", args=[referral.pk]))
    expect(a_page.get_by_test_id("report")).to_contain_text("Holter normal; no arrhythmia.")
    expect(a_page.get_by_test_id("report")).to_contain_text("holter.pdf")
    assert_accessible(a_page)

    # The patient ends B's access; B's shared documents are gone.
    patient_page.goto(live_server.url + reverse("network:sharing"))
    assert_accessible(patient_page)
    patient_page.get_by_role("button", name="End this access now").click()
    expect(patient_page.get_by_test_id("referral-grants")).to_have_count(0)
    for url in shared_urls:
        response = b_page.request.get(url)
        assert response.status == 404
    referral.refresh_from_db()
    assert referral.status == RS.REPORT_RETURNED and not referral.grant_is_active()
