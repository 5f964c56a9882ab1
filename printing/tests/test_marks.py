"""The word drawn across a voided document is shaped like the rest of the text: a Hindi
conjunct prints as one joined glyph (not a letter with a visible virama) and the word
reads back as printed."""

import io
import re

from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from printing.marks import draw_watermark
from records.tests.factories import words_of_pdf


def _marked(text):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    draw_watermark(
        canvas, text, page_size=A4, size=110, angle=40, color=colors.Color(1, 0, 0, alpha=0.15)
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _glyph_texts(pdf):
    """What each glyph code of the page's fonts stands for (their ToUnicode maps)."""
    texts = []
    for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        cmap = font.get_object().get("/ToUnicode")
        if cmap is None:
            continue
        data = cmap.get_data()
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for hex_text in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                texts.append(bytes.fromhex(hex_text.decode()).decode("utf-16-be"))
    return texts


def test_a_hindi_void_mark_is_shaped_and_reads_back():
    pdf = _marked("रद्द")
    assert words_of_pdf(pdf) == "रद्द"
    # द्द is one glyph standing for three characters: the text was shaped.
    assert "द्द" in _glyph_texts(pdf)


def test_an_english_void_mark_reads_back():
    assert words_of_pdf(_marked("VOID")) == "VOID"
