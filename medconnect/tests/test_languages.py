"""Each channel follows its reader's language: API and FHIR error messages follow
Accept-Language (codes and field names stay English), Django Admin follows the staff
member's saved language, and PDFs fetched on demand are in the reader's language."""

import re

import pytest
from django.urls import reverse

from records.tests.factories import words_of_pdf

pytestmark = pytest.mark.django_db


def test_api_errors_follow_accept_language_and_keep_english_codes(api, patient_a):
    client = api(patient_a)
    url = reverse("api:prescription", args=[999999])
    hindi = client.get(url, HTTP_ACCEPT_LANGUAGE="hi")
    assert hindi.status_code == 404
    assert hindi.json()["code"] == "not_found"
    assert hindi.json()["detail"] == "नहीं मिला।"
    assert hindi["Content-Language"] == "hi"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Not found."


def test_api_sign_in_refusal_in_hindi(api):
    response = api().get(reverse("api:prescriptions"), HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] in ("प्रमाणीकरण विवरण नहीं दिए गए।", "प्रमाणीकरण विवरण गलत हैं।")


def test_api_field_errors_keep_english_field_names_with_hindi_messages(api, patient_a):
    response = api(patient_a).post(reverse("api:documents"), {}, HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) <= {"file", "kind", "document_date", "description", "patient"}
    assert any("आवश्यक" in " ".join(map(str, m)) for m in body["errors"].values())


def test_a_saved_language_does_not_override_what_an_api_client_asks_for(api, patient_a):
    patient_a.language = "hi"
    patient_a.save(update_fields=["language"])
    english = api(patient_a).get(
        reverse("api:prescription", args=[999999]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == "Not found."


def test_admin_follows_the_staff_members_language(staff_client, staff):
    staff.language = "hi"
    staff.save(update_fields=["language"])
    page = staff_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert '<html lang="hi"' in page.text
    assert "MedConnect प्रशासन" in page.text
    assert 'data-testid="language-picker"' in page.text


def test_a_prescription_pdf_is_in_its_readers_language(login, billed_visit):
    patient = billed_visit.patient
    patient.language = "hi"
    patient.save(update_fields=["language"])
    url = reverse("prescriptions:pdf", args=[billed_visit.prescription.pk])
    response = login(patient).get(url)
    data = b"".join(response) if response.streaming else response.content
    text = words_of_pdf(data)
    assert "तारीख" in text
    number = billed_visit.prescription.pk
    assert f"प्रिस्क्रिप्शन संख्या {number}" in text and "हस्ताक्षर: Dr. Ravi Treating" in text
    assert not re.search("[\ue000-\uf8ff]", text)  # every shaped glyph reads back as text
    assert "Drug" not in text
    doctor = billed_visit.doctor.user
    doctor_text = words_of_pdf(b"".join(login(doctor).get(url)))
    assert "Drug" in doctor_text


def test_a_consultation_record_pdf_in_hindi(login, billed_visit):
    patient = billed_visit.patient
    patient.language = "hi"
    patient.save(update_fields=["language"])
    url = reverse("records:record_pdf", args=[billed_visit.record.pk])
    response = login(patient).get(url)
    data = b"".join(response) if response.streaming else response.content
    text = words_of_pdf(data)
    assert "अवलोकन" in text and "उपचार योजना" in text
    assert "परामर्श रिकॉर्ड हस्ताक्षरित" in text
    assert not re.search("[\ue000-\uf8ff]", text)
    assert "Diagnosis" not in text
