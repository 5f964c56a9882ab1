"""Money and receipts in the patient's language: Indian digit grouping in both
languages, the amount in Hindi words on a Hindi receipt, Devanagari that survives
into the PDF text, and the notice of a bill in the patient's language whoever
issued it."""

import re
from decimal import Decimal as D

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from billing.money import amount_in_words, display_amount
from billing.receipts import receipt_file_read
from billing.tests.factories import issued_invoice
from records.tests.factories import words_of_pdf


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("123456", "एक लाख तेईस हज़ार चार सौ छप्पन रुपये मात्र"),
        ("1", "एक रुपया मात्र"),
        ("1180.50", "एक हज़ार एक सौ अस्सी रुपये और पचास पैसे मात्र"),
        ("25000000", "दो करोड़ पचास लाख रुपये मात्र"),
        ("99", "निन्यानवे रुपये मात्र"),
        ("0", "शून्य रुपये मात्र"),
    ],
)
def test_amount_in_hindi_words_uses_lakh_and_crore(amount, words):
    assert amount_in_words(D(amount), "INR", language="hi") == words


def test_amount_in_words_follows_the_active_language():
    with translation.override("hi"):
        assert amount_in_words(D("500"), "INR") == "पाँच सौ रुपये मात्र"
    with translation.override("en"):
        assert amount_in_words(D("500"), "INR") == "Rupees Five Hundred Only"


@pytest.mark.parametrize("language", ["en", "hi"])
def test_amounts_use_indian_grouping_and_the_rupee_sign_in_both_languages(language):
    with translation.override(language):
        assert display_amount(D("123456")) == "₹1,23,456.00"
        assert display_amount(D("12345678.5")) == "₹1,23,45,678.50"
        rendered = Template("{% load billing %}{{ amount|money_format:'INR' }}").render(
            Context({"amount": D("123456")})
        )
        assert rendered == "₹1,23,456.00"


@pytest.mark.django_db
def test_a_hindi_patients_receipt_is_in_hindi_with_devanagari_in_the_pdf(visit):
    visit.patient.language = "hi"
    visit.patient.save(update_fields=["language"])
    with translation.override("en"):  # the doctor issues it from an English page
        invoice = issued_invoice(appointment=visit)
    text = words_of_pdf(receipt_file_read(invoice))
    for expected in ("रसीद", "जारी", "कुल", "राशि", "₹", "मात्र", "पाँच सौ नब्बे रुपये"):
        assert expected in text, expected
    # Conjuncts and a vowel sign drawn before its consonant read back as typed.
    assert "पूर्णांकित किया जाता है।" in text
    assert "इलेक्ट्रॉनिक रूप से" in text
    assert not re.search("[\ue000-\uf8ff]", text)  # no glyph left without its text
    assert "Subtotal" not in text
    assert "Receipt" not in text


@pytest.mark.django_db
def test_an_english_patients_receipt_stays_english(visit):
    invoice = issued_invoice(appointment=visit)
    text = words_of_pdf(receipt_file_read(invoice))
    assert "Subtotal ₹" in text
    assert "Rupees" in text


@pytest.mark.django_db
def test_the_bill_notice_and_email_reach_a_hindi_patient_in_hindi(
    visit, django_capture_on_commit_callbacks
):
    visit.patient.language = "hi"
    visit.patient.save(update_fields=["language"])
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invoice = issued_invoice(appointment=visit)
    notice = visit.patient.notifications.get(kind="invoice_issued")
    assert notice.title == f"आपकी रसीद {invoice.number}"
    assert "₹" in notice.body and "मेरे बिल" in notice.body
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert f"आपकी रसीद {invoice.number}" in message.subject
    assert "नमस्ते" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="hi">' in html


@pytest.mark.django_db
def test_the_bill_page_in_hindi(login, visit):
    visit.patient.language = "hi"
    visit.patient.save(update_fields=["language"])
    invoice = issued_invoice(appointment=visit)
    page = login(visit.patient).get(reverse("billing:invoice_detail", args=[invoice.pk]))
    assert f"रसीद {invoice.number}" in page.text
    assert "₹" in page.text
    assert "रुपये" in page.text  # the total in Hindi words
