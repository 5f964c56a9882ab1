"""The printable prescription (reportlab).

Everything a person typed goes through xml.sax.saxutils.escape before it
reaches a Paragraph, so markup in input is printed as text and no tag (an
<img> or <a> naming a file or URL) is ever interpreted.
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _p(text, style):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _patient_line(patient):
    profile = getattr(patient, "patient_profile", None)
    parts = [patient.full_name]
    if profile is not None:
        parts.append(f"{profile.age} years")
        parts.append(profile.get_sex_display())
    return ", ".join(parts)


def render_prescription_pdf(prescription, items):
    """The prescription as PDF bytes."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=9, leading=11)
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8.5, leading=10)
    void_style = ParagraphStyle(
        "void", parent=styles["Title"], textColor=colors.red, alignment=TA_CENTER
    )
    doctor = prescription.doctor
    voided = prescription.is_voided

    def watermark(canvas, doc):
        if voided:
            canvas.saveState()
            canvas.setFont("Helvetica-Bold", 110)
            canvas.setFillColor(colors.Color(1, 0, 0, alpha=0.15))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(40)
            canvas.drawCentredString(0, 0, "VOID")
            canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Prescription {prescription.pk}",
        author=settings.MEDCONNECT_CLINIC_NAME,
    )
    story = []
    if voided:
        story.append(_p("VOID - this prescription must not be dispensed", void_style))
        story.append(_p(f"Reason: {prescription.void_reason}", small))
        story.append(Spacer(1, 4 * mm))
    story += [
        _p(settings.MEDCONNECT_CLINIC_NAME, styles["Title"]),
        _p(f"{doctor.user.display_name} - {doctor.qualifications}", styles["Heading3"]),
        _p(f"License ID: {doctor.license_id}", small),
        _p(f"{doctor.practice_name}, {doctor.practice_address}, {doctor.city}", small),
        Spacer(1, 5 * mm),
        _p(f"Patient: {_patient_line(prescription.patient)}", styles["BodyText"]),
        _p(
            "Date: " + timezone.localtime(prescription.issued_at).strftime("%d %b %Y"),
            styles["BodyText"],
        ),
        _p(f"Prescription no. {prescription.pk}", small),
        Spacer(1, 5 * mm),
    ]
    header = ["#", "Drug", "Strength / form", "Dose", "Frequency", "Route", "Duration", "Qty"]
    rows = [[_p(h, cell) for h in header]]
    for item in items:
        drug = escape(item.drug)
        if item.instructions:
            drug += "<br/><i>" + escape(item.instructions).replace("\n", "<br/>") + "</i>"
        rows.append(
            [
                _p(item.position, cell),
                Paragraph(drug, cell),
                _p(" ".join(x for x in (item.strength, item.form) if x), cell),
                _p(item.dose, cell),
                _p(item.frequency, cell),
                _p(item.route, cell),
                _p(item.duration, cell),
                _p(item.quantity, cell),
            ]
        )
    table = Table(
        rows,
        colWidths=[8 * mm, 46 * mm, 26 * mm, 20 * mm, 22 * mm, 16 * mm, 18 * mm, 14 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 5 * mm))
    if prescription.follow_up_date:
        story.append(_p(f"Follow-up: {prescription.follow_up_date:%d %b %Y}", styles["BodyText"]))
    if prescription.notes:
        story.append(_p("Notes:", styles["Heading4"]))
        story.append(_p(prescription.notes, styles["BodyText"]))
    story += [
        Spacer(1, 18 * mm),
        _p("______________________________", styles["BodyText"]),
        _p(f"Signature: {doctor.user.display_name} (License ID {doctor.license_id})", small),
    ]
    doc.build(story, onFirstPage=watermark, onLaterPages=watermark)
    return buffer.getvalue()
