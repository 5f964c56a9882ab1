"""The printable consultation record (reportlab).

Everything a person typed is escaped before it reaches a Paragraph, so markup
in a note prints as text and nothing names a file or URL to fetch.
"""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from accounts.languages import user_language
from printing.fonts import stylesheet
from printing.text import line_paragraph, paragraphs

SECTIONS = (
    (gettext_lazy("Presenting complaint"), "presenting_complaint"),
    (gettext_lazy("Diagnosis"), "diagnosis"),
    (gettext_lazy("Tests done"), "tests_done"),
    (gettext_lazy("Observations"), "observations"),
    (gettext_lazy("Plan"), "plan"),
)


# Single-line values fold their line breaks; the clinical sections and a void reason
# go through printing.text.paragraphs.
_p = line_paragraph


def _state_line(record):
    if record.is_voided:
        return _("VOID since %(date)s: %(reason)s") % {
            "date": date_format(timezone.localtime(record.voided_at), "d M Y"),
            "reason": record.void_reason,
        }
    if record.is_draft:
        return _("DRAFT - not signed")
    signed = date_format(timezone.localtime(record.signed_at), "d M Y, H:i")
    return _("Signed, version %(version)s, %(signed)s") % {
        "version": record.version,
        "signed": signed,
    }


def render_consultation_pdf(record, *, language=None):
    """The current text of a consultation record as PDF bytes, in `language` (the
    reader's; by default the patient's)."""
    with translation.override(language or user_language(record.patient)):
        return _render(record)


def _render(record):
    buffer = io.BytesIO()
    styles = stylesheet()
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
        title=_("Consultation record %(number)s") % {"number": record.pk},
        author=settings.MEDCONNECT_CLINIC_NAME,
    )
    visit = date_format(timezone.localtime(record.appointment.start, doctor.tz), "d M Y, H:i")
    story = [
        _p(settings.MEDCONNECT_CLINIC_NAME, styles["Title"]),
        _p(_("Consultation record"), styles["Heading2"]),
        *paragraphs(_state_line(record), state),
        Spacer(1, 3 * mm),
        _p(f"{doctor.user.display_name} - {doctor.qualifications}", styles["BodyText"]),
        _p(
            _("License ID: %(license_id)s") % {"license_id": doctor.license_id}
            + f" · {doctor.practice_name}",
            small,
        ),
        _p(_("Patient: %(patient)s") % {"patient": patient.full_name}, styles["BodyText"]),
        _p(
            _("Visit: %(when)s (%(time_zone)s)") % {"when": visit, "time_zone": doctor.time_zone},
            small,
        ),
        Spacer(1, 5 * mm),
    ]
    for title, field in SECTIONS:
        story.append(_p(title, styles["Heading4"]))
        story += paragraphs(getattr(record, field) or "-", styles["BodyText"])
    if record.follow_up_date:
        story.append(
            _p(
                _("Follow-up: %(date)s") % {"date": date_format(record.follow_up_date, "d M Y")},
                styles["Heading4"],
            )
        )
    doc.build(story)
    return buffer.getvalue()
