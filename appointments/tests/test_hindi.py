"""Appointment pages, notices and API errors in Hindi for a person who reads Hindi;
English stays the default."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from appointments import notices
from appointments.models import AppointmentStatus
from appointments.tests.factories import AppointmentFactory, free_slots_ahead, local_time
from notifications.models import Notification

from .test_views_book import book_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Hindi request leaves Hindi active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def in_hindi(login):
    def _client(user):
        user.language = "hi"  # a Hindi reader's saved choice
        user.save(update_fields=["language"])
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
        return client

    return _client


def test_the_booking_page_in_hindi(in_hindi, patient_a, doctor, visit_type):
    slot = free_slots_ahead(doctor, visit_type, days=7)[0]
    response = in_hindi(patient_a).get(book_url(doctor, visit_type, slot.start))
    assert response.status_code == 200
    page = response.content.decode()
    for hindi in ("अपॉइंटमेंट बुक करें", "कब", "कहाँ", "फ़ीस", "Consultation (30 मिनट)"):
        assert hindi in page
    assert "इस अपॉइंटमेंट का अनुरोध करें" in page  # the doctor confirms each request
    for english in ("Book an appointment", "Request this appointment", "Choose another time"):
        assert english not in page
    # The form's own words too.
    assert "आप कैसे मिलना चाहेंगे?" in page and "विज़िट का कारण" in page


def test_a_refused_booking_says_why_in_hindi(in_hindi, patient_a, doctor, visit_type):
    slot = free_slots_ahead(doctor, visit_type, days=7)[0]
    AppointmentFactory(
        doctor=doctor, patient=patient_a, start=slot.start, status=AppointmentStatus.CONFIRMED
    )
    client = in_hindi(patient_a)
    response = client.post(book_url(doctor, visit_type, slot.start), {"mode": "in_person"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "यह समय अभी-अभी बुक हो गया।" in page
    assert "This slot was just taken." not in page


def test_the_agenda_in_hindi(in_hindi, doctor, patient_a):
    day = dt.date(2030, 3, 12)
    AppointmentFactory(doctor=doctor, patient=patient_a, start=local_time(doctor, day, 10))
    response = in_hindi(doctor.user).get(reverse("appointments:agenda"), {"date": "2030-03-12"})
    assert response.status_code == 200
    page = response.content.decode()
    for hindi in ("एजेंडा", "आज", "तारीख पर जाएँ", "Asha Patient", "मंगलवार"):
        assert hindi in page
    for english in ("Agenda", "Go to date", "Today"):
        assert f">{english}<" not in page


def test_the_patients_list_in_english_by_default(login, patient_a, upcoming):
    page = login(patient_a).get(reverse("appointments:list")).content.decode()
    assert "My appointments" in page and "मेरे अपॉइंटमेंट" not in page


def test_a_notice_to_a_hindi_reader_reads_in_hindi(patient_a, doctor, upcoming):
    patient_a.language = "hi"
    patient_a.save(update_fields=["language"])
    notices.notify_confirmed(upcoming, "doctor")
    notice = Notification.objects.get(recipient=patient_a, kind="appointment_confirmed")
    assert notice.title == "पुष्टि हो गई: डॉ. Ravi Treating के साथ Consultation"
    assert notice.body.endswith("को Consultation की पुष्टि हो गई है।")
    notices.notify_cancelled(upcoming, "doctor", reason="Unwell")
    cancelled = Notification.objects.get(recipient=patient_a, kind="appointment_cancelled")
    assert "डॉक्टर ने रद्द कर दिया।" in cancelled.body and "कारण: Unwell" in cancelled.body


def test_api_errors_follow_accept_language(api, patient_a, doctor, visit_type):
    slot = free_slots_ahead(doctor, visit_type, days=7)[0]
    body = {
        "doctor": doctor.pk,
        "visit_type": visit_type.pk + 1000,
        "start": slot.start.isoformat(),
        "mode": "in_person",
    }
    url = reverse("api:appointments")
    hindi = api(patient_a).post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="hi")
    assert hindi.status_code == 400
    assert "यह डॉक्टर यह सेवा नहीं देते।" in hindi.content.decode()
    english = api(patient_a).post(url, body, format="json")
    assert "This doctor does not offer it." in english.content.decode()
