import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from appointments.tests.factories import PastVisitFactory
from records.models import ConsultationRecord, RecordStatus

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


def pdf_bytes(text="Lab report"):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, text)
    c.save()
    return buffer.getvalue()


def image_bytes(fmt="PNG"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
