"""Hindi printed in a PDF reads back as the words printed: shaped conjuncts, half
forms, reph and a vowel sign drawn before its consonant come out as the letters
typed, in the order typed, never as private-use characters."""

import io
import re

from reportlab.platypus import Paragraph, SimpleDocTemplate

from printing.fonts import font_path, stylesheet
from printing.glyph_text import ClusterTextTTFont
from records.tests.factories import words_of_pdf

# Conjuncts (प्र, स्क्र, क्ष, त्र, स्व, स्थ्य, द्व, श्र), a reph (र्म), and ि before
# its consonant (कि, प्रि, क्रि).
HINDI = "प्रिस्क्रिप्शन क्षेत्र स्वास्थ्य हस्ताक्षर धर्म किताब श्री द्वारा"
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def paragraphs_pdf(*markups):
    styles = stylesheet()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(m, styles["BodyText"]) for m in markups])
    return buffer.getvalue()


def test_hindi_words_read_back_exactly_as_printed():
    text = words_of_pdf(paragraphs_pdf(HINDI))

    assert text == HINDI
    assert not PRIVATE_USE.search(text)


def test_bold_and_mixed_hindi_and_english_read_back_too():
    text = words_of_pdf(
        paragraphs_pdf(f"<b>{HINDI}</b>", f"Dr. Meera Rao: {HINDI} (₹1,500) क्ष<b>त्र</b>")
    )

    assert text == f"{HINDI} Dr. Meera Rao: {HINDI} (₹1,500) क्षत्र"
    assert not PRIVATE_USE.search(text)


def test_a_font_out_of_codes_says_so():
    font = ClusterTextTTFont("MedConnectSans-Spare", str(font_path()))
    assert font.text_code("क", "कि") is not None
    font._next_code = 0xFFFFE  # past the last code there is

    assert font.text_code("क", "क्ष") is None


def test_clusters_without_a_code_print_as_reportlab_draws_them(monkeypatch):
    monkeypatch.setattr(ClusterTextTTFont, "text_code", lambda self, char, text: None)

    text = words_of_pdf(paragraphs_pdf(f"Dr. Meera Rao {HINDI}"))

    assert text.startswith("Dr. Meera Rao ")
    assert PRIVATE_USE.search(text)  # conjuncts as reportlab maps them
