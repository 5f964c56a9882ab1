"""The doctor search and a doctor's public page in Hindi (language cookie or the
browser's Accept-Language); English stays the default; cached pages keep each
language apart."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from appointments.tests.factories import VisitTypeFactory, weekly_schedule
from directory.tests.factories import doctor_page_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Hindi request leaves Hindi active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


SEARCH = reverse("directory:search")


def test_the_search_in_hindi(client, doctor):
    response = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 200
    page = response.content.decode()
    for hindi in ("डॉक्टर खोजें", "खोजें", "शहर", "1 डॉक्टर मिले", "समय देखें", "Dr. Ravi Treating"):
        assert hindi in page
    for english in ("doctor found", "See times", "Clear filters"):
        assert english not in page


def test_the_doctor_page_in_hindi(client, doctor):
    weekly_schedule(doctor)
    VisitTypeFactory(doctor=doctor, name="Follow-up", duration_minutes=20)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    page = client.get(doctor_page_url(doctor)).content.decode()
    for hindi in ("लाइसेंस सत्यापित", "योग्यताएँ", "10 वर्ष", "1. विज़िट चुनें", "2. दिन और समय चुनें"):
        assert hindi in page
    for english in ("License verified", "1. Choose the visit", "Qualifications"):
        assert english not in page


def test_cached_pages_are_kept_per_language(client, doctor, slot_cache_on):
    english = client.get(doctor_page_url(doctor)).content.decode()
    assert "License verified" in english
    hindi = client.get(doctor_page_url(doctor), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "लाइसेंस सत्यापित" in hindi and "License verified" not in hindi
    assert "License verified" in client.get(doctor_page_url(doctor)).content.decode()
    assert "1 doctor found" in client.get(SEARCH).content.decode()
    assert "1 डॉक्टर मिले" in client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="hi").content.decode()


def test_a_bad_weekday_in_the_api_is_explained_in_hindi(client, db):
    url = reverse("api:doctors")
    response = client.get(url, {"day": "someday"}, HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 400
    assert "कोई सप्ताह का दिन नहीं है" in response.content.decode()
    english = client.get(url, {"day": "someday"})
    assert "is not a weekday" in english.content.decode()
