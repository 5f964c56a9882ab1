import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from appointments.tests.factories import PastVisitFactory
from records import services
from records.documents import document_upload
from records.models import ConsultationRecord, DocumentKind, RecordStatus

# Records are written about past visits.
AppointmentFactory = PastVisitFactory


class ConsultationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationRecord

    appointment = None
    patient = factory.SelfAttribute("appointment.patient")
    doctor = factory.SelfAttribute("appointment.doctor")
    presenting_complaint = "Cough for five days"
    diagnosis = "Acute bronchitis"
    tests_done = "Chest auscultation"
    observations = "Mild wheeze"
    plan = "Rest, fluids"
    status = RecordStatus.DRAFT


def signed_record(appointment):
    """The visit's record (cough, bronchitis), written and signed by its doctor."""
    author = appointment.doctor.user
    record = services.consultation_record_create(
        appointment=appointment, author=author, presenting_complaint="Cough", diagnosis="Bronchitis"
    )
    services.consultation_record_sign(record=record, author=author)
    return record


def uploaded_blood_test(patient, *, document_date):
    """A full blood count (a lab report PDF) the patient uploaded themselves."""
    return document_upload(
        patient=patient,
        uploader=patient,
        uploaded_file=upload("blood-test.pdf", pdf_bytes()),
        kind=DocumentKind.LAB_REPORT,
        document_date=document_date,
        description="Full blood count",
    )


def post_lab_report(client, patient, file):
    """Upload `file` on the patient's documents page as a lab report."""
    return client.post(
        reverse("records:documents", args=[patient.pk]),
        {"file": file, "kind": "lab_report", "document_date": "2024-02-03", "description": "CBC"},
    )


def pdf_bytes(text="Lab report"):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, text)
    c.save()
    return buffer.getvalue()


def text_of_pdf(data):
    """The text of a PDF, its pages joined by newlines."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def words_of_pdf(data):
    """The text of a PDF with each run of whitespace one space, wherever the layout broke
    the lines."""
    return " ".join(text_of_pdf(data).split())


def stored_files(settings):
    """Every file in the private media folder of this test run."""
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def image_bytes(fmt="PNG", *, size=(8, 8), color=(200, 30, 30)):
    """A one-colour image file in the format given."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
