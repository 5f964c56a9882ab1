"""The typeface of every PDF: Noto Sans Devanagari (SIL Open Font License, shipped by
the fontpkg-noto-sans-devanagari package), which holds Latin, Devanagari and the
rupee sign, so one document prints English and Hindi alike.

Devanagari needs shaping (conjuncts, vowel signs placed around consonants):
reportlab shapes text with HarfBuzz (the uharfbuzz package) when a paragraph
style asks for it, so every style here sets `shaping=1`. Shaped glyphs read back as
the text they were made from (printing.glyph_text).
"""

import functools
from pathlib import Path

import fontpkg_noto_sans_devanagari
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics

from .glyph_text import ClusterTextTTFont, install

REGULAR = "MedConnectSans"
BOLD = "MedConnectSans-Bold"


def font_path():
    """The TTF file the package ships (one variable font: regular weight by default)."""
    return next(Path(fontpkg_noto_sans_devanagari.ROOT, "files").glob("*.ttf"))


@functools.cache
def fonts_register():
    """Register the family once per process; returns (regular, bold) font names.

    The variable font's default instance is the regular weight; the bold name maps
    to the same outlines, so headings keep their size and not a second file.
    """
    path = str(font_path())
    install()
    pdfmetrics.registerFont(ClusterTextTTFont(REGULAR, path, shapable=True))
    pdfmetrics.registerFont(ClusterTextTTFont(BOLD, path, shapable=True))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return REGULAR, BOLD


def stylesheet():
    """reportlab's sample styles set in the MedConnect font, shaped."""
    regular, bold = fonts_register()
    styles = getSampleStyleSheet()
    for name in styles.byName:
        style = styles[name]
        if not isinstance(style, ParagraphStyle):
            continue
        font = style.fontName or ""
        style.fontName = bold if "Bold" in font else regular
        style.shaping = 1
    return styles
