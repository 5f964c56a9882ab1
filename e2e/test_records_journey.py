"""A doctor writes and signs the consultation record of a visit that has begun and
issues a two-item prescription; the patient uploads a lab report, downloads the
prescription as a PDF and sees the doctor among those who viewed the record."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from accounts.tests.factories import DEFAULT_PASSWORD
from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory
from prescriptions.models import Prescription, PrescriptionStatus
from records.models import ConsultationRecord, Document, DocumentKind, RecordStatus

from .accessibility import assert_accessible
from .pages import click_nav, sign_in

pytestmark = pytest.mark.browser

ITEMS = [
    {
        "Drug": "Amlodipine",
        "Strength": "5 mg",
        "Form": "Tablet",
        "Dose": "1 tablet",
        "Frequency": "Once a day",
        "Route": "Oral",
        "Duration": "30 days",
        "Quantity": "30",
        "Instructions": "Take in the morning",
    },
    {
        "Drug": "Atorvastatin",
        "Strength": "10 mg",
        "Form": "Tablet",
        "Dose": "1 tablet",
        "Frequency": "At night",
        "Route": "Oral",
        "Duration": "30 days",
        "Quantity": "30",
        "Instructions": "Avoid grapefruit juice",
    },
]


@pytest.fixture
def lab_report(tmp_path):
    """A small, valid one-page PDF, as a patient's lab would send it."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 760, "Lipid profile: LDL 162 mg/dL")
    pdf.save()
    path = tmp_path / "lipid-profile.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def fill_item(page, number, values):
    item = page.get_by_role("group", name=f"Item {number}")
    for label, value in values.items():
        item.get_by_label(label).fill(value)


def doctor_writes_and_signs_the_record(doctor_page, live_server, appointment):
    """The doctor opens the visit and writes the consultation record. Returns the
    visit's address."""
    doctor_page.goto(live_server.url + reverse("appointments:detail", args=[appointment.pk]))
    expect(doctor_page.get_by_role("heading", name="Appointment of Asha Patient")).to_be_visible()
    clinical = doctor_page.get_by_role("region", name="Notes and prescriptions")
    expect(clinical).to_be_visible()
    assert_accessible(doctor_page)
    appointment_url = doctor_page.url

    clinical.get_by_role("link", name="Consultation record").click()
    expect(doctor_page.get_by_role("heading", name="Consultation record", level=1)).to_be_visible()
    expect(doctor_page.get_by_role("main")).to_contain_text("Asha Patient")
    assert_accessible(doctor_page)
    doctor_page.get_by_label("Presenting complaint").fill("Headaches for two weeks")
    doctor_page.get_by_label("Diagnosis").fill("Essential hypertension")
    doctor_page.get_by_label("Tests done").fill("Lipid profile ordered")
    doctor_page.get_by_label("Observations").fill("BP 150/95, pulse 78")
    doctor_page.get_by_label("Plan").fill("Start amlodipine; review in a month")
    doctor_page.get_by_role("button", name="Save draft").click()

    expect(doctor_page.get_by_role("alert")).to_contain_text(
        "Draft saved. Sign it when it is complete."
    )
    expect(doctor_page.get_by_role("region", name="Sign")).to_be_visible()
    expect(doctor_page.get_by_label("Diagnosis")).to_have_value("Essential hypertension")
    assert_accessible(doctor_page)
    doctor_page.get_by_role("button", name="Sign the record").click()

    expect(doctor_page.get_by_role("alert")).to_contain_text("The record is signed.")
    record_text = doctor_page.get_by_role("region", name="Current text")
    expect(record_text).to_contain_text("Headaches for two weeks")
    expect(record_text).to_contain_text("Essential hypertension")
    expect(record_text).to_contain_text("Lipid profile ordered")
    expect(record_text).to_contain_text("BP 150/95, pulse 78")
    expect(record_text).to_contain_text("Start amlodipine; review in a month")
    expect(doctor_page.get_by_role("heading", name="Consultation record Signed")).to_be_visible()
    assert_accessible(doctor_page)
    return appointment_url


def doctor_issues_the_prescription(doctor_page, appointment_url, follow_up):
    """Then issues a prescription of two items from the same visit."""
    clinical = doctor_page.get_by_role("region", name="Notes and prescriptions")
    doctor_page.goto(appointment_url)
    clinical.get_by_role("link", name="Issue a prescription").click()
    expect(doctor_page.get_by_role("heading", name="Write a prescription")).to_be_visible()
    # The "Add another item" script is at the end of the page: let it run first.
    doctor_page.wait_for_load_state("load")
    assert_accessible(doctor_page)
    fill_item(doctor_page, 1, ITEMS[0])
    doctor_page.get_by_role("button", name="Add another item").click()
    expect(doctor_page.get_by_role("group", name="Item 2")).to_be_visible()
    fill_item(doctor_page, 2, ITEMS[1])
    doctor_page.get_by_label("Follow-up date").fill(follow_up.isoformat())
    doctor_page.get_by_label("Notes").fill("Come back with the lipid profile")
    doctor_page.get_by_role("button", name="Issue prescription").click()

    expect(doctor_page.get_by_role("alert")).to_contain_text(
        "The prescription was issued and the patient notified."
    )
    items_table = doctor_page.get_by_role("table", name="Prescribed items")
    expect(items_table.get_by_role("row")).to_have_count(3)
    expect(items_table).to_contain_text("Amlodipine")
    expect(items_table).to_contain_text("Atorvastatin")
    expect(doctor_page.get_by_role("main")).to_contain_text("Come back with the lipid profile")
    assert_accessible(doctor_page)


def patient_uploads_the_lab_report(page, live_server, lab_report):
    """The patient signs in and adds a lab report to their record."""
    page.goto(live_server.url + reverse("account_login"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page, "asha@example.com", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()

    click_nav(page, "My health record")
    expect(page.get_by_role("heading", name="My health record", level=1)).to_be_visible()
    assert_accessible(page)
    sections = page.get_by_role("navigation", name="Health record sections")
    sections.get_by_role("link", name="Documents").click()
    expect(page.get_by_role("heading", name="Upload a document")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("No documents yet.")
    assert_accessible(page)
    page.get_by_label("File").set_input_files(lab_report)
    page.get_by_label("Type").select_option(label="Lab report")
    page.get_by_label("Date of the document").fill("2025-03-14")
    page.get_by_label("Description").fill("Fasting lipid profile from City Lab")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("alert")).to_contain_text("The document was uploaded.")
    document = page.get_by_role("main").get_by_role("listitem").filter(has_text="lipid-profile.pdf")
    expect(document).to_contain_text("Lab report")
    expect(document).to_contain_text("14 Mar 2025")
    expect(document).to_contain_text("Fasting lipid profile from City Lab")
    expect(document).to_contain_text("uploaded by Asha Patient")
    assert_accessible(page)


def patient_downloads_the_prescription(page):
    """Opens the prescription and downloads it as a PDF."""
    click_nav(page, "Prescriptions")
    expect(page.get_by_role("heading", name="My prescriptions")).to_be_visible()
    row = page.get_by_role("row").nth(1)
    expect(row).to_contain_text("Dr. Ravi Treating")
    assert_accessible(page)
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Prescription", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Prescribed items")).to_contain_text("Amlodipine")
    expect(page.get_by_role("table", name="Prescribed items")).to_contain_text("Atorvastatin")
    expect(page.get_by_role("main")).to_contain_text("Come back with the lipid profile")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    pdf_bytes = download.path().read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "Amlodipine" in text
    assert "Atorvastatin" in text


def patient_sees_who_viewed_the_record(page):
    """And sees that the doctor opened the record."""
    sections = page.get_by_role("navigation", name="Health record sections")
    click_nav(page, "My health record")
    expect(page.get_by_role("heading", name="My health record", level=1)).to_be_visible()
    sections.get_by_role("link", name="Who viewed my record").click()
    views = page.get_by_role("table", name="Views and downloads of your record, newest first")
    expect(views).to_contain_text("Dr. Ravi Treating")
    assert_accessible(page)


def assert_stored(appointment, patient, follow_up):
    """The signed record, the issued prescription with its items, and the document."""
    record = ConsultationRecord.objects.get(appointment=appointment)
    assert record.status == RecordStatus.SIGNED
    assert record.signed_at is not None
    assert record.diagnosis == "Essential hypertension"
    assert record.plan == "Start amlodipine; review in a month"
    prescription = Prescription.objects.get(appointment=appointment)
    assert prescription.patient == patient
    assert prescription.status == PrescriptionStatus.ISSUED
    assert prescription.follow_up_date == follow_up
    assert prescription.notes == "Come back with the lipid profile"
    assert [
        {label: getattr(item, label.lower()) for label in ITEMS[0]}
        for item in prescription.items.all()
    ] == ITEMS
    document = Document.objects.get(patient=patient)
    assert document.kind == DocumentKind.LAB_REPORT
    assert document.uploaded_by == patient
    assert document.original_filename == "lipid-profile.pdf"
    assert document.document_date == datetime.date(2025, 3, 14)
    assert document.description == "Fasting lipid profile from City Lab"


def test_doctor_records_and_prescribes_patient_uploads_and_downloads(
    live_server, new_person_page, signed_in_page, doctor, patient_a, lab_report
):
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=10)
    appointment = AppointmentFactory(
        doctor=doctor, patient=patient_a, start=start, status=AppointmentStatus.CONFIRMED
    )
    follow_up = timezone.localdate() + datetime.timedelta(days=30)

    doctor_page = signed_in_page(doctor.user)
    appointment_url = doctor_writes_and_signs_the_record(doctor_page, live_server, appointment)
    doctor_issues_the_prescription(doctor_page, appointment_url, follow_up)

    page = new_person_page()
    patient_uploads_the_lab_report(page, live_server, lab_report)
    patient_downloads_the_prescription(page)
    patient_sees_who_viewed_the_record(page)

    assert_stored(appointment, patient_a, follow_up)
