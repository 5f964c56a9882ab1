"""The monthly report PDF, drawn with reportlab from the figures (selectors.py) and,
in the doctor's copy only, the month's visits with patient and diagnosis,
prescriptions and invoices. The clinic copy carries figures only: no patient names
and no clinical text. Everything typed by a person goes through printing.text."""

import datetime as dt
import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from appointments.models import Appointment, AppointmentStatus
from billing.models import Invoice, InvoiceStatus
from prescriptions.models import Prescription, PrescriptionStatus
from printing.text import line_paragraph
from records.models import RecordStatus

from .models import ReportAudience
from .rollups import local_day_start
from .selectors import Filters, Period, figures, per_day


def month_period(month):
    """The local days of the month that starts on `month`."""
    next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return Period(month, next_month - dt.timedelta(days=1))


def previous_month(month):
    return (month - dt.timedelta(days=1)).replace(day=1)


FIGURE_ROWS = (
    ("booked", gettext_lazy("Appointments")),
    ("completed", gettext_lazy("Visits completed")),
    ("no_show", gettext_lazy("No-shows")),
    ("cancelled", gettext_lazy("Cancelled")),
    ("declined", gettext_lazy("Declined")),
    ("new_patients", gettext_lazy("New patients")),
    ("returning_visits", gettext_lazy("Visits by returning patients")),
    ("minutes_booked", gettext_lazy("Minutes booked")),
    ("minutes_offered", gettext_lazy("Minutes offered")),
    ("amount_issued", gettext_lazy("Invoiced")),
    ("tax_issued", gettext_lazy("GST on invoices")),
    ("amount_paid", gettext_lazy("Received")),
    ("amount_outstanding", gettext_lazy("Outstanding")),
)


def _table(data, widths=None, header=True):
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")))
    table.setStyle(TableStyle(style))
    return table


def _chart(days):
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 10 * mm, 10 * mm
    chart.width, chart.height = 150 * mm, 42 * mm
    chart.data = [[sums["completed"] for _day, sums in days]]
    chart.categoryAxis.categoryNames = [str(day.day) for day, _s in days]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#2b6cb0")
    drawing.add(chart)
    drawing.add(String(10 * mm, 55 * mm, _("Visits completed per day"), fontSize=9))
    return drawing


def report_pdf_render(*, doctor, month, audience):
    """The report of `doctor` for the month starting `month`, as PDF bytes."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontSize = 8
    period, before = month_period(month), month_period(previous_month(month))
    filters = Filters(doctor_id=doctor.pk)
    now, then = figures(filters=filters, period=period), figures(filters=filters, period=before)
    days = per_day(filters=filters, period=period)
    month_name = date_format(month, "F Y")
    story = [
        Paragraph(_("Monthly report, %(month)s") % {"month": month_name}, styles["Title"]),
        line_paragraph(doctor.user.full_name, styles["Heading2"]),
        Paragraph(
            _("Clinic copy: figures only.")
            if audience == ReportAudience.STAFF
            else _("Doctor's copy: contains patient information. Keep it confidential."),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [[_("Figure"), month_name, date_format(previous_month(month), "F Y")]]
    for key, label in FIGURE_ROWS:
        rows.append([str(label), str(now[key]), str(then[key])])
    rows.append(
        [
            _("Utilization %"),
            str(now.rates["utilization"] or "-"),
            str(then.rates["utilization"] or "-"),
        ]
    )
    story += [_table(rows, [70 * mm, 45 * mm, 45 * mm]), Spacer(1, 4 * mm), _chart(days)]

    start = local_day_start(period.first, doctor.tz)
    end = local_day_start(period.last + dt.timedelta(days=1), doctor.tz)
    tz = doctor.tz
    invoices = list(
        Invoice.objects.filter(
            doctor=doctor,
            issued_at__gte=start,
            issued_at__lt=end,
            status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PAID),
        )
        .select_related("patient")
        .order_by("issued_at", "pk")
    )
    prescriptions = Prescription.objects.filter(
        doctor=doctor, issued_at__gte=start, issued_at__lt=end, status=PrescriptionStatus.ISSUED
    )
    if audience == ReportAudience.DOCTOR:
        story += _doctor_sections(doctor, start, end, tz, body, styles, prescriptions, invoices)
    else:
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                _("Prescriptions issued: %(count)s") % {"count": prescriptions.count()}, body
            ),
            Paragraph(_("Invoices"), styles["Heading3"]),
            _table(
                [[_("Receipt"), _("Issued"), _("Total"), _("GST")]]
                + [
                    [
                        inv.number or "",
                        date_format(inv.issued_at.astimezone(tz).date(), "Y-m-d"),
                        str(inv.total),
                        str(inv.tax_total),
                    ]
                    for inv in invoices
                ]
            ),
        ]
    story += _invoice_totals(invoices, body)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Monthly report %(month)s") % {"month": f"{month:%Y-%m}"},
    ).build(story)
    return buffer.getvalue()


def _invoice_totals(invoices, body):
    total = sum((inv.total or 0) for inv in invoices)
    tax = sum((inv.tax_total or 0) for inv in invoices)
    return [
        Spacer(1, 2 * mm),
        Paragraph(
            _("Invoices: %(count)s, total %(total)s, of which GST %(tax)s.")
            % {"count": len(invoices), "total": total, "tax": tax},
            body,
        ),
    ]


def _doctor_sections(doctor, start, end, tz, body, styles, prescriptions, invoices):
    visits = list(
        Appointment.objects.filter(
            doctor=doctor, status=AppointmentStatus.COMPLETED, start__gte=start, start__lt=end
        )
        .select_related("patient")
        .prefetch_related("consultation_records")
        .order_by("start", "pk")
    )
    visit_rows = [[_("Date"), _("Patient"), _("Diagnosis")]]
    for visit in visits:
        signed = [r for r in visit.consultation_records.all() if r.status == RecordStatus.SIGNED]
        diagnosis = "; ".join(r.diagnosis for r in signed if r.diagnosis)
        visit_rows.append(
            [
                date_format(visit.start.astimezone(tz), "Y-m-d H:i"),
                line_paragraph(visit.patient.full_name, body),
                line_paragraph(diagnosis or "-", body),
            ]
        )
    rx_rows = [[_("Date"), _("Patient"), _("Medicines")]]
    for rx in (
        prescriptions.select_related("patient")
        .prefetch_related("items")
        .order_by("issued_at", "pk")
    ):
        rx_rows.append(
            [
                date_format(rx.issued_at.astimezone(tz), "Y-m-d"),
                line_paragraph(rx.patient.full_name, body),
                line_paragraph(", ".join(item.drug for item in rx.items.all()), body),
            ]
        )
    inv_rows = [[_("Receipt"), _("Issued"), _("Patient"), _("Total"), _("GST"), _("Status")]]
    for inv in invoices:
        inv_rows.append(
            [
                inv.number or "",
                date_format(inv.issued_at.astimezone(tz), "Y-m-d"),
                line_paragraph(inv.patient.full_name, body),
                str(inv.total),
                str(inv.tax_total),
                inv.get_status_display(),
            ]
        )
    return [
        Spacer(1, 4 * mm),
        Paragraph(_("Completed visits"), styles["Heading3"]),
        _table(visit_rows, [30 * mm, 50 * mm, 94 * mm]),
        Paragraph(_("Prescriptions issued"), styles["Heading3"]),
        _table(rx_rows, [25 * mm, 50 * mm, 99 * mm]),
        Paragraph(_("Invoices"), styles["Heading3"]),
        _table(inv_rows),
    ]
