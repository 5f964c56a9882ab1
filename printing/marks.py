"""A word across the page (VOID on a voided prescription or receipt), set like every
other text of the PDF: shaped, so a Hindi word's conjuncts print joined and its text
reads back as printed."""

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

from .fonts import fonts_register
from .text import line_paragraph


def draw_watermark(canvas, text, *, page_size, size, angle, color):
    """Draw `text` centred on the page, turned by `angle` degrees."""
    _regular, bold = fonts_register()
    style = ParagraphStyle(
        "watermark",
        fontName=bold,
        fontSize=size,
        leading=size * 1.2,
        alignment=TA_CENTER,
        textColor=color,
        shaping=1,
    )
    mark = line_paragraph(text, style)
    width = page_size[0] * 1.5
    _width, height = mark.wrap(width, page_size[1])
    canvas.saveState()
    canvas.translate(page_size[0] / 2, page_size[1] / 2)
    canvas.rotate(angle)
    mark.drawOn(canvas, -width / 2, -height / 2)
    canvas.restoreState()
