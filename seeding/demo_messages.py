"""Demo conversations for `manage.py seed_demo`: Dr. Mehta and Dr. Iyer (connected)
discuss a case with an ECG report attached, and Asha writes to Dr. Mehta, who saw
her. Running it again adds nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from doctors.models import DoctorProfile
from messaging.models import Thread, ThreadKind
from messaging.services import message_post, thread_start_direct, thread_start_with_patient
from network.models import Connection, ConnectionStatus, pair_key
from network.services import are_connected
from patients.access import is_treating_doctor

COLLEAGUES = ("dr.mehta@demo.medconnect", "dr.iyer@demo.medconnect")
PATIENT_THREAD = ("asha@demo.medconnect", "dr.mehta@demo.medconnect")


def _ecg_report_pdf():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 760, "Resting ECG: sinus rhythm, 72/min, no ST changes.")
    pdf.save()
    return SimpleUploadedFile("ecg-report.pdf", buffer.getvalue(), "application/pdf")


def _has_thread(kind, *users):
    threads = Thread.objects.filter(kind=kind)
    for user in users:
        threads = threads.filter(participants__user=user)
    return threads.exists()


def _ensure_connected(doctor_a, doctor_b):
    if are_connected(doctor_a, doctor_b):
        return True
    if Connection.objects.filter(pair=pair_key(doctor_a.pk, doctor_b.pk)).live().exists():
        return False  # a request is waiting for an answer: leave it to the doctors
    Connection.objects.create(
        requester=doctor_a,
        recipient=doctor_b,
        note="Happy to discuss cardiac cases.",
        status=ConnectionStatus.ACCEPTED,
        decided_at=timezone.now(),
    )
    return True


def _seed_colleagues(doctors):
    mehta, iyer = (doctors.get(email) for email in COLLEAGUES)
    if not (mehta and iyer) or _has_thread(ThreadKind.DIRECT, mehta.user, iyer.user):
        return 0
    if not _ensure_connected(mehta, iyer):
        return 0
    thread = thread_start_direct(
        sender=mehta.user,
        doctor=iyer,
        subject="Exertional chest pain, 54-year-old",
        body="Could you look at this ECG before I refer him? Pain on stairs for two weeks.",
        files=[_ecg_report_pdf()],
    )
    message_post(
        thread=thread,
        sender=iyer.user,
        body="No ischaemic changes at rest. A stress test is worth doing; send him over.",
    )
    return 1


def _seed_patient(doctors):
    patient = User.objects.filter(email=PATIENT_THREAD[0]).first()
    doctor = doctors.get(PATIENT_THREAD[1])
    if patient is None or doctor is None or _has_thread(ThreadKind.PATIENT, patient, doctor.user):
        return 0
    if not is_treating_doctor(doctor.user, patient.pk):
        return 0
    thread = thread_start_with_patient(
        starter=patient,
        patient=patient,
        doctor=doctor,
        subject="Question about my blood pressure tablets",
        body="Should I take the tablet in the morning or at night?",
    )
    message_post(
        thread=thread, sender=doctor.user, body="In the morning, with breakfast, every day."
    )
    return 1


def seed_demo_messages():
    """The demo conversations; returns how many threads were created now."""
    doctors = {
        doctor.user.email: doctor
        for doctor in DoctorProfile.objects.verified().select_related("user")
    }
    with transaction.atomic():
        created = _seed_colleagues(doctors) + _seed_patient(doctors)
    return {"message threads": created}
