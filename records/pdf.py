"""The printable consultation record (reportlab).

Everything a person typed is escaped before it reaches a Paragraph, so markup
in a note prints as text and nothing names a file or URL to fetch.
"""

import io

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from printing.text import line_paragraph, paragraphs

SECTIONS = (
    ("Presenting complaint", "presenting_complaint"),
    ("Diagnosis", "diagnosis"),
    ("Tests done", "tests_done"),
    ("Observations", "observations"),
    ("Plan", "plan"),
)


# Single-line values fold their line breaks; the clinical sections and a void reason
# go through printing.text.paragraphs.
_p = line_paragraph


def _state_line(record):
    if record.is_voided:
        return f"VOID since {timezone.localtime(record.voided_at):%d %b %Y}: {record.void_reason}"
    if record.is_draft:
        return "DRAFT - not signed"
    signed = timezone.localtime(record.signed_at).strftime("%d %b %Y, %H:%M")
    return f"Signed, version {record.version}, {signed}"


def render_consultation_pdf(record):
    """The current text of a consultation record as PDF bytes."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=9, leading=11)
    state = ParagraphStyle(
        "state",
        parent=styles["Heading3"],
        alignment=TA_CENTER,
        textColor=colors.red if record.is_voided else colors.black,
    )
    doctor = record.doctor
    patient = record.patient
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Consultation record {record.pk}",
        author=settings.MEDCONNECT_CLINIC_NAME,
    )
    visit = timezone.localtime(record.appointment.start, doctor.tz).strftime("%d %b %Y, %H:%M")
    story = [
        _p(settings.MEDCONNECT_CLINIC_NAME, styles["Title"]),
        _p("Consultation record", styles["Heading2"]),
        *paragraphs(_state_line(record), state),
        Spacer(1, 3 * mm),
        _p(f"{doctor.user.display_name} - {doctor.qualifications}", styles["BodyText"]),
        _p(f"License ID: {doctor.license_id} · {doctor.practice_name}", small),
        _p(f"Patient: {patient.full_name}", styles["BodyText"]),
        _p(f"Visit: {visit} ({doctor.time_zone})", small),
        Spacer(1, 5 * mm),
    ]
    for title, field in SECTIONS:
        story.append(_p(title, styles["Heading4"]))
        story += paragraphs(getattr(record, field) or "-", styles["BodyText"])
    if record.follow_up_date:
        story.append(_p(f"Follow-up: {record.follow_up_date:%d %b %Y}", styles["Heading4"]))
    doc.build(story)
    return buffer.getvalue()
