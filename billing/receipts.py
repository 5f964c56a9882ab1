"""The receipt PDF: drawn with reportlab's platypus from the invoice alone.

Every string a person typed (clinic details, names, line descriptions, payment
reference, void reason) is XML-escaped before it reaches a Paragraph, and the
document is set in the font the printing package registers (Latin, Devanagari and
the rupee sign), in the patient's language. The PDF is filed in the patient's
documents (records, kind "receipt"), which stores it under a server-generated
name with its SHA-256.
"""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from accounts.languages import in_language_of
from audit.downloads import private_file_response
from audit.models import AuditAction
from audit.services import audit_record
from printing.fonts import fonts_register, stylesheet
from printing.marks import draw_watermark
from printing.text import line_paragraph, paragraphs
from records.documents import document_file_generated
from records.downloads import document_read_for_download
from records.models import DocumentKind
from records.selectors import DocumentIntegrityError

from . import money

# Single-line values (names, a payment reference, a line's description) fold their
# line breaks; multi-line ones go through printing.text.paragraphs.
_p = line_paragraph


def _status_text(invoice):
    if invoice.is_void:
        return pgettext("receipt", "VOID")
    if invoice.is_paid:
        return pgettext("receipt", "PAID")
    return pgettext("receipt", "UNPAID")


def _draw_void_mark(canvas, doc):
    draw_watermark(
        canvas,
        pgettext("receipt", "VOID"),
        page_size=A4,
        size=120,
        angle=35,
        color=colors.Color(0.85, 0.1, 0.1, alpha=0.18),
    )


def _no_mark(canvas, doc):
    return None


def _receipt_styles(invoice):
    styles = stylesheet()
    body = styles["BodyText"]
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "title": styles["Title"],
        "heading": styles["Heading1"],
        "status": ParagraphStyle(
            "status",
            parent=styles["Heading2"],
            textColor=colors.red if invoice.is_void else colors.black,
        ),
    }


def _receipt_header(invoice, styles):
    """The clinic, the receipt number and its status (with the reason of a void)."""
    body = styles["body"]
    header = [
        _p(invoice.clinic_name, styles["title"]),
        *paragraphs(invoice.clinic_address, body),
    ]
    if invoice.clinic_tax_number:
        header.append(_p(_("GSTIN: %(number)s") % {"number": invoice.clinic_tax_number}, body))
    header += [
        Spacer(1, 4 * mm),
        _p(_("Receipt %(number)s") % {"number": invoice.number}, styles["heading"]),
        _p(_status_text(invoice), styles["status"]),
    ]
    if invoice.is_void:
        header += paragraphs(_("Voided: %(reason)s") % {"reason": invoice.void_reason}, body)
    return header


def _receipt_details(invoice, doctor_tz, body):
    """Date of issue, patient, doctor, appointment and, once paid, the payment."""
    issued = timezone.localtime(invoice.issued_at)
    visit = invoice.appointment.start.astimezone(doctor_tz)
    details = [
        [_("Date of issue"), date_format(issued, "d M Y")],
        [_("Patient"), invoice.patient.full_name],
        [
            _("Doctor"),
            _("Dr. %(name)s (reg. %(license_id)s)")
            % {"name": invoice.doctor.user.full_name, "license_id": invoice.doctor.license_id},
        ],
        [_("Appointment"), date_format(visit, "d M Y, H:i")],
    ]
    if invoice.is_paid or (invoice.is_void and invoice.paid_at):
        paid = date_format(timezone.localtime(invoice.paid_at), "d M Y")
        payment = _("%(method)s on %(date)s") % {
            "method": invoice.get_payment_method_display(),
            "date": paid,
        }
        if invoice.payment_reference:
            payment += _(", reference %(reference)s") % {"reference": invoice.payment_reference}
        details.append([_("Payment"), payment])
    detail_table = Table(
        [[_p(label, body), _p(value, body)] for label, value in details],
        colWidths=[35 * mm, 135 * mm],
        splitInRow=1,
    )
    detail_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return detail_table


def _receipt_lines(invoice, lines, body):
    """One row per invoice line: quantity, unit price, net, tax and line total."""
    currency = invoice.currency
    fmt = money.display_amount
    rows = [
        [
            "#",
            _("Description"),
            pgettext("quantity", "Qty"),
            _("Unit price"),
            _("Amount"),
            invoice.tax_name,
            _("Line total"),
        ]
    ]
    for index, line in enumerate(lines, start=1):
        amounts = line.amounts
        rows.append(
            [
                str(index),
                _p(line.description + ("" if line.taxable else _(" (exempt)")), body),
                f"{line.quantity.normalize():f}",
                fmt(line.unit_price, currency),
                fmt(amounts.net, currency),
                fmt(amounts.tax, currency) if line.taxable else _("exempt"),
                fmt(amounts.total, currency),
            ]
        )
    line_table = Table(
        rows,
        colWidths=[8 * mm, 50 * mm, 12 * mm, 26 * mm, 26 * mm, 20 * mm, 28 * mm],
        repeatRows=1,
        splitInRow=1,
    )
    line_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts_register()[0]),
                ("FONTNAME", (0, 0), (-1, 0), fonts_register()[1]),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return line_table


def _receipt_totals(invoice, styles):
    """Subtotal, tax and total, the total in words, and the closing note."""
    currency = invoice.currency
    fmt = money.display_amount
    rate = f"{invoice.tax_rate.normalize():f}"
    totals = [
        [_("Subtotal"), fmt(invoice.subtotal, currency)],
        [
            _("%(tax)s at %(rate)s%% on %(amount)s")
            % {
                "tax": invoice.tax_name,
                "rate": rate,
                "amount": fmt(invoice.taxable_subtotal, currency),
            },
            fmt(invoice.tax_total, currency),
        ],
        [_("Total"), fmt(invoice.total, currency)],
    ]
    totals_table = Table(totals, colWidths=[120 * mm, 50 * mm])
    totals_table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("FONTNAME", (0, 0), (-1, -1), fonts_register()[0]),
                ("FONTNAME", (0, 2), (-1, 2), fonts_register()[1]),
                ("LINEABOVE", (0, 2), (-1, 2), 0.8, colors.black),
            ]
        )
    )
    return [
        Spacer(1, 3 * mm),
        totals_table,
        Spacer(1, 2 * mm),
        _p(
            _("Amount in words: %(words)s")
            % {"words": money.amount_in_words(invoice.total, currency)},
            styles["right"],
        ),
        Spacer(1, 8 * mm),
        _p(
            _(
                "Tax is computed per line on taxable lines and rounded to the paisa. "
                "This receipt was generated electronically."
            ),
            styles["small"],
        ),
    ]


def receipt_pdf_render(invoice):
    """The receipt of an issued, paid or void invoice, as PDF bytes, in the patient's
    language (it is filed in their documents)."""
    with in_language_of(invoice.patient):
        return _receipt_pdf(invoice)


def _receipt_pdf(invoice):
    styles = _receipt_styles(invoice)
    doctor_tz = invoice.doctor.tz
    lines = list(invoice.lines.all())
    story = [
        *_receipt_header(invoice, styles),
        Spacer(1, 3 * mm),
        _receipt_details(invoice, doctor_tz, styles["body"]),
        Spacer(1, 5 * mm),
        _receipt_lines(invoice, lines, styles["body"]),
        *_receipt_totals(invoice, styles),
    ]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Receipt %(number)s") % {"number": invoice.number},
        author=invoice.clinic_name,
    )
    mark = _draw_void_mark if invoice.is_void else _no_mark
    doc.build(story, onFirstPage=mark, onLaterPages=mark)
    return buffer.getvalue()


def receipt_file_store(*, invoice, actor, request=None):
    """Render the receipt and file it in the patient's documents.

    The first time, a receipt document is created; after that (paid, void) the
    same document's file is replaced and the old file removed after commit. Sets
    `invoice.receipt_document`; the caller saves the invoice.
    """
    pdf = receipt_pdf_render(invoice)
    invoice.receipt_document = document_file_generated(
        patient=invoice.patient,
        actor=actor,
        kind=DocumentKind.RECEIPT,
        filename=f"Receipt {invoice.number}.pdf",
        content_type="application/pdf",
        data=pdf,
        document_date=timezone.localdate(invoice.issued_at),
        description=f"{invoice.tax_name} receipt {invoice.number}",
        document=invoice.receipt_document if invoice.has_receipt else None,
        request=request,
    )
    return invoice.receipt_document


def receipt_file_read(invoice, *, actor=None, request=None):
    """The filed receipt's bytes, or None when it is missing or fails its SHA-256 check
    (a failure is logged, and audited as a denial of `actor`)."""
    if not invoice.has_receipt:
        return None
    try:
        return document_read_for_download(
            document=invoice.receipt_document, actor=actor, request=request
        )
    except DocumentIntegrityError:
        return None


def receipt_download_response(request, invoice):
    """The issued invoice's receipt as a private download, the download audited; None
    when the filed file fails its check (logged and audited as a denial)."""
    data = receipt_file_read(invoice, actor=request.user, request=request)
    if data is None:
        return None
    audit_record(
        actor=request.user,
        action=AuditAction.DOWNLOAD,
        obj=invoice,
        patient=invoice.patient,
        request=request,
    )
    return private_file_response(
        data, filename=f"receipt-{invoice.number}.pdf", content_type="application/pdf"
    )
