"""Each notice, email and calendar file is written in its recipient's language, not in
the language of whoever acted: an English-speaking doctor's answer reaches a Hindi
patient in Hindi, and the doctor's own copy stays English."""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from appointments.services import appointment_cancel, appointment_confirm
from notifications.models import Notification

from .conftest import emails_to, ics_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def hindi_patient(patient_a):
    patient_a.language = "hi"
    patient_a.save(update_fields=["language"])
    return patient_a


def test_an_english_doctor_confirms_a_hindi_patients_request(
    book_slot, hindi_patient, treating_cardiologist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_slot()
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        appointment_confirm(appointment=appointment, actor=treating_cardiologist.user)

    notice = Notification.objects.get(recipient=hindi_patient, kind="appointment_confirmed")
    assert notice.title == "पुष्टि हो गई: डॉ. Ravi Treating के साथ Consultation"
    assert "की पुष्टि हो गई है।" in notice.body
    [email] = emails_to(hindi_patient.email)
    assert email.subject == f"[MedConnect] {notice.title}"
    assert "नमस्ते Asha Patient" in email.body or "Asha Patient" in email.body
    assert "डॉक्टर: डॉ. Ravi Treating" in email.body
    for english in ("Confirmed", "Your appointment", "Doctor:", "Status:"):
        assert english not in email.body
    calendar, _part = ics_of(email)
    [event] = calendar.walk("VEVENT")
    assert "Consultation" in str(event["SUMMARY"])
    assert str(event["SUMMARY"]) == "डॉ. Ravi Treating के साथ Consultation"
    assert "इसे प्रबंधित करें:" in str(event["DESCRIPTION"])


def test_an_english_doctor_cancels_a_hindi_patients_visit(
    book_slot, hindi_patient, treating_cardiologist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_slot()
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(
            appointment=appointment, actor=treating_cardiologist.user, reason="Unwell"
        )

    notice = Notification.objects.get(recipient=hindi_patient, kind="appointment_cancelled")
    assert notice.title == "रद्द: डॉ. Ravi Treating के साथ Consultation"
    assert "डॉक्टर ने रद्द कर दिया।" in notice.body and "कारण: Unwell" in notice.body
    [email] = emails_to(hindi_patient.email)
    assert email.subject == f"[MedConnect] {notice.title}"
    assert "Cancelled" not in email.body and "Doctor:" not in email.body


def test_a_hindi_patient_cancels_and_the_english_doctor_reads_english(
    book_slot, hindi_patient, treating_cardiologist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_slot()
    # The booking itself: the patient's receipt in Hindi, the doctor's request in English.
    booked = Notification.objects.get(recipient=treating_cardiologist.user)
    assert booked.title == "Booking request: Asha Patient"
    receipt = Notification.objects.get(recipient=hindi_patient)
    assert "Request sent" not in receipt.title and "डॉ. Ravi Treating" in receipt.title
    mail.outbox.clear()
    with translation.override("hi"), django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=hindi_patient)

    notice = Notification.objects.get(
        recipient=treating_cardiologist.user, kind="appointment_cancelled"
    )
    assert notice.title == "Cancelled: Asha Patient"
    assert notice.body.endswith("was cancelled by the patient.")
    [email] = emails_to(treating_cardiologist.user.email)
    assert "Doctor: Dr. Ravi Treating" in email.body
    assert not Notification.objects.filter(
        recipient=hindi_patient, kind="appointment_cancelled"
    ).exists()
