"""Text a person typed, as reportlab flowables.

Escaped with xml.sax.saxutils.escape, so markup prints as text and no tag (an <img>
or <a> naming a file or URL) is ever interpreted.

Multi-line text becomes one Paragraph per few lines: a Paragraph taller than a
page cannot be placed (reportlab's LayoutError) and splitting one huge Paragraph
page by page takes time that grows with the square of its length. Single-line
values (a dose, a reference) have their line breaks folded into spaces: what a
form accepted always prints, on one wrapped line.
"""

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

# Lines per Paragraph: small enough to split cheaply and fit any frame.
LINES_PER_PARAGRAPH = 20


def one_line(text):
    """A single-line value with every run of whitespace (line breaks too) one space."""
    return " ".join(str(text or "").split())


def line_paragraph(text, style):
    """A Paragraph of a single-line value."""
    return Paragraph(escape(one_line(text)), style)


def paragraphs(text, style, *, italic=False):
    """Flowables for multi-line text, in blocks of LINES_PER_PARAGRAPH lines; blank
    lines are kept."""
    lines = str(text or "").splitlines() or [""]
    blocks = []
    for start in range(0, len(lines), LINES_PER_PARAGRAPH):
        chunk = lines[start : start + LINES_PER_PARAGRAPH]
        markup = "<br/>".join(escape(line) or "&nbsp;" for line in chunk)
        if italic:
            markup = f"<i>{markup}</i>"
        blocks.append(Paragraph(markup, style))
    return blocks
