"""Threads between the test personas, made through the services."""

from appointments.tests.factories import PastVisitFactory
from network.tests.factories import ConnectionFactory, ReferralFactory
from records.tests.factories import pdf_bytes, upload

from .. import services

SECRET = "Suspected tuberculosis; HIV test positive"


def connect(doctor_a, doctor_b):
    """An accepted connection between two doctors (DoctorProfiles)."""
    return ConnectionFactory(requester=doctor_a, recipient=doctor_b)


def pdf_upload(name="scan.pdf", text="Echo report"):
    return upload(name, pdf_bytes(text), "application/pdf")


def direct_thread(sender_doctor, other_doctor, *, body=SECRET, files=(), subject="A case"):
    """Two connected doctors' conversation, opened by `sender_doctor` with one message."""
    connect(sender_doctor, other_doctor)
    return services.thread_start_direct(
        sender=sender_doctor.user, doctor=other_doctor, subject=subject, body=body, files=files
    )


def patient_thread(patient, doctor, *, body=SECRET, files=(), subject="My results"):
    """A patient's conversation with a doctor they saw, started from that visit."""
    visit = PastVisitFactory(patient=patient, doctor=doctor)
    return services.thread_start_with_patient(
        starter=patient,
        patient=patient,
        doctor=doctor,
        appointment=visit,
        subject=subject,
        body=body,
        files=files,
    )


def referral_between(referring, specialist, patient):
    connect(referring, specialist)
    return ReferralFactory(referring_doctor=referring, specialist=specialist, patient=patient)
