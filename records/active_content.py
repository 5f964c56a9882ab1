"""Active content a clinical document may not carry, looked for over the whole file.

The rule: refuse, and say what was found. A PDF may not carry JavaScript (whatever
triggers it: an /OpenAction, an /AA event, a link), launch, submit or import
actions, embedded files, XFA forms or rich media; plain links and "open at this
page" actions stay allowed, as real lab reports use them. A CCDA XML document may
not carry scripts, SVG, XHTML or a DOCTYPE (entity declarations); the usual
`<?xml-stylesheet?>` reference to the CDA style sheet stays allowed. Neutralising
would change a clinical document someone signed; the uploader can print it to a
plain PDF instead.

PDF names may be written with #xx escapes (/J#61vaScript) and may sit inside
compressed object streams, so names are unescaped and Flate streams are inflated
(with a cap, against decompression bombs) before looking.
"""

import re
import zlib

PDF_ACTIVE_NAMES = {
    b"/JavaScript": "JavaScript",
    b"/JS": "JavaScript",
    b"/Launch": "a launch action",
    b"/SubmitForm": "a form submission",
    b"/ImportData": "a data import",
    b"/GoToE": "a jump into an embedded file",
    b"/EmbeddedFile": "an embedded file",
    b"/EmbeddedFiles": "embedded files",
    b"/RichMedia": "rich media",
    b"/XFA": "an XFA form",
}
# A name ends at whitespace or a delimiter; /JS must not match /JSON or /JSomething.
PDF_NAME = re.compile(rb"/[^\s/\[\]<>(){}%]+")
PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Inflated content looked at per file: far above any real document's structure.
MAX_INFLATED = 50 * 1024 * 1024

XML_ACTIVE = {
    "<script": "a script",
    ":script": "a script",
    "<svg": "SVG",
    ":svg": "SVG",
    "http://www.w3.org/2000/svg": "SVG",
    "http://www.w3.org/1999/xhtml": "XHTML",
    "<!doctype": "a document type declaration",
    "<!entity": "an entity declaration",
    "javascript:": "a script address",
}


def _pdf_names(data):
    for match in PDF_NAME.finditer(data):
        yield PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(0))


def _inflated_streams(data):
    budget = MAX_INFLATED
    for match in STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (images, fonts in other filters): no PDF objects inside
        budget -= len(inflated)
        yield inflated


def _pdf_active(data):
    for chunk in (data, *_inflated_streams(data)):
        for name in _pdf_names(chunk):
            if name in PDF_ACTIVE_NAMES:
                return PDF_ACTIVE_NAMES[name]
    return ""


def _xml_active(data):
    text = data.decode("utf-8", errors="replace").lower()
    text = re.sub(r"\s+", "", text)
    for marker, what in XML_ACTIVE.items():
        if marker in text:
            return what
    return ""


def active_content(data, kind):
    """What active content the file carries, in words, or "" for none."""
    if kind == "pdf":
        return _pdf_active(data)
    if kind == "ccda":
        return _xml_active(data)
    return ""
