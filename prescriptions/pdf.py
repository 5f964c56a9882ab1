"""The printable prescription (reportlab).

Everything a person typed goes through xml.sax.saxutils.escape before it
reaches a Paragraph, so markup in input is printed as text and no tag (an
<img> or <a> naming a file or URL) is ever interpreted.
"""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from accounts.languages import user_language
from printing.fonts import stylesheet
from printing.marks import draw_watermark
from printing.text import line_paragraph, paragraphs

# Single-line values fold their line breaks; multi-line ones (instructions, notes, a
# void reason) go through printing.text.paragraphs.
_p = line_paragraph


def _patient_line(patient):
    profile = getattr(patient, "patient_profile", None)
    parts = [patient.full_name]
    if profile is not None:
        if profile.age is not None:
            parts.append(
                ngettext("%(age)d year", "%(age)d years", profile.age) % {"age": profile.age}
            )
        parts.append(profile.get_sex_display())
    return ", ".join(parts)


def _styles():
    styles = stylesheet()
    return {
        "title": styles["Title"],
        "heading3": styles["Heading3"],
        "heading4": styles["Heading4"],
        "body": styles["BodyText"],
        "small": ParagraphStyle("small", parent=styles["BodyText"], fontSize=9, leading=11),
        "cell": ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8.5, leading=10),
        "void": ParagraphStyle(
            "void", parent=styles["Title"], textColor=colors.red, alignment=TA_CENTER
        ),
    }


def _draw_void_mark(canvas, doc):
    draw_watermark(
        canvas, _("VOID"), page_size=A4, size=110, angle=40, color=colors.Color(1, 0, 0, alpha=0.15)
    )


def _no_mark(canvas, doc):
    return None


def _void_notice(prescription, styles):
    """Above everything else on a voided prescription: not to be dispensed, and why."""
    if not prescription.is_voided:
        return []
    return [
        _p(_("VOID - this prescription must not be dispensed"), styles["void"]),
        *paragraphs(
            _("Reason: %(reason)s") % {"reason": prescription.void_reason}, styles["small"]
        ),
        Spacer(1, 4 * mm),
    ]


def _header(prescription, styles):
    """The clinic, the prescribing doctor, the patient, the date and the number."""
    doctor = prescription.doctor
    small = styles["small"]
    return [
        _p(settings.MEDCONNECT_CLINIC_NAME, styles["title"]),
        _p(f"{doctor.user.display_name} - {doctor.qualifications}", styles["heading3"]),
        _p(_("License ID: %(license_id)s") % {"license_id": doctor.license_id}, small),
        _p(f"{doctor.practice_name}, {doctor.practice_address}, {doctor.city}", small),
        Spacer(1, 5 * mm),
        _p(
            _("Patient: %(patient)s") % {"patient": _patient_line(prescription.patient)},
            styles["body"],
        ),
        _p(
            _("Date: %(date)s")
            % {"date": date_format(timezone.localtime(prescription.issued_at), "d M Y")},
            styles["body"],
        ),
        _p(_("Prescription no. %(number)s") % {"number": prescription.pk}, small),
        Spacer(1, 5 * mm),
    ]


def _items_table(items, cell):
    """One row per item; the instructions in italics under the drug."""
    header = [
        "#",
        _("Drug"),
        _("Strength / form"),
        _("Dose"),
        _("Frequency"),
        _("Route"),
        _("Duration"),
        pgettext("quantity", "Qty"),
    ]
    rows = [[_p(h, cell) for h in header]]
    for item in items:
        drug = [_p(item.drug, cell)]
        if item.instructions:
            drug += paragraphs(item.instructions, cell, italic=True)
        rows.append(
            [
                _p(item.position, cell),
                drug,
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
        splitInRow=1,
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
    return table


def _closing(prescription, styles):
    """Follow-up date, notes and the doctor's signature line."""
    doctor = prescription.doctor
    closing = []
    if prescription.follow_up_date:
        closing.append(
            _p(
                _("Follow-up: %(date)s")
                % {"date": date_format(prescription.follow_up_date, "d M Y")},
                styles["body"],
            )
        )
    if prescription.notes:
        closing.append(_p(_("Notes:"), styles["heading4"]))
        closing += paragraphs(prescription.notes, styles["body"])
    closing += [
        Spacer(1, 18 * mm),
        _p("______________________________", styles["body"]),
        _p(
            _("Signature: %(doctor)s (License ID %(license_id)s)")
            % {"doctor": doctor.user.display_name, "license_id": doctor.license_id},
            styles["small"],
        ),
    ]
    return closing


def render_prescription_pdf(prescription, items, *, language=None):
    """The prescription as PDF bytes, in `language` (the reader's; by default the
    patient's)."""
    with translation.override(language or user_language(prescription.patient)):
        return _render(prescription, items)


def _render(prescription, items):
    buffer = io.BytesIO()
    styles = _styles()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Prescription %(number)s") % {"number": prescription.pk},
        author=settings.MEDCONNECT_CLINIC_NAME,
    )
    story = [
        *_void_notice(prescription, styles),
        *_header(prescription, styles),
        _items_table(items, styles["cell"]),
        Spacer(1, 5 * mm),
        *_closing(prescription, styles),
    ]
    mark = _draw_void_mark if prescription.is_voided else _no_mark
    doc.build(story, onFirstPage=mark, onLaterPages=mark)
    return buffer.getvalue()
