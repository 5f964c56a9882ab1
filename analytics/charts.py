"""The dashboard's charts as server-rendered SVG, each with a title, a short summary
and its numbers as a table (which also downloads as CSV). No script, no inline
style: colours are SVG presentation attributes, so the strict CSP holds."""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from printing.spreadsheet import csv_cell

from .selectors import heat_map, per_day

CHART_NAMES = ("appointments", "revenue", "utilization", "specializations")
STATUS_SERIES = (
    ("completed", gettext_lazy("Completed"), "#1b7f3b"),
    ("open", gettext_lazy("Pending or confirmed"), "#2b6cb0"),
    ("cancelled", gettext_lazy("Cancelled"), "#b7791f"),
    ("declined", gettext_lazy("Declined"), "#6b46c1"),
    ("no_show", gettext_lazy("No-show"), "#c53030"),
)
WEEKDAYS = (
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
)
WIDTH, HEIGHT, PAD = 640, 240, 36


@dataclass
class Chart:
    name: str
    title: str
    summary: str
    svg: str
    columns: list
    rows: list


def _svg(title, body, height=HEIGHT, width=WIDTH):
    return mark_safe(  # noqa: S308 - every text inside is escaped where it is built
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'class="analytics-chart">{body}</svg>'
    )


def _axis(max_value, height=HEIGHT):
    base = height - PAD
    return (
        f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" stroke="#555"/>'
        f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end" font-size="11">{escape(max_value)}</text>'
        f'<text x="{PAD - 4}" y="{base}" text-anchor="end" font-size="11">0</text>'
    )


def _bars(series_by_x, labels, colours, max_value):
    """Stacked bars: series_by_x = [[v1, v2, ...] per x]."""
    count = max(len(series_by_x), 1)
    step = (WIDTH - PAD - 8) / count
    bar = max(step * 0.8, 1)
    scale = (HEIGHT - 2 * PAD) / max_value if max_value else 0
    parts = []
    for i, values in enumerate(series_by_x):
        x = PAD + i * step
        y = HEIGHT - PAD
        for value, colour in zip(values, colours, strict=True):
            h = value * scale
            if h:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"/>'
                )
    first, last = labels[0] if labels else "", labels[-1] if labels else ""
    parts.append(
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="11">{escape(first)}</text>'
        f'<text x="{WIDTH - 8}" y="{HEIGHT - 12}" font-size="11" text-anchor="end">'
        f"{escape(last)}</text>"
    )
    return "".join(parts)


def _legend(items):
    parts = []
    for i, (label, colour) in enumerate(items):
        x = PAD + i * 120
        parts.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="15" font-size="11">{escape(label)}</text>'
        )
    return "".join(parts)


def _day_label(day):
    return date_format(day, "j M")


def appointments_chart(days):
    title = _("Appointments per day by status")
    series = []
    rows = []
    for day, sums in days:
        values = [
            sums["completed"],
            sums["pending"] + sums["confirmed"],
            sums["cancelled"],
            sums["declined"],
            sums["no_show"],
        ]
        series.append(values)
        rows.append([day.isoformat(), *values, sum(values)])
    peak = max((sum(v) for v in series), default=0)
    total = sum(r[-1] for r in rows)
    busiest = max(rows, key=lambda r: r[-1]) if rows and peak else None
    summary = _("%(total)s appointments over %(days)s days.") % {"total": total, "days": len(rows)}
    if busiest:
        summary += " " + _("Busiest day: %(day)s with %(count)s.") % {
            "day": busiest[0],
            "count": busiest[-1],
        }
    body = _axis(peak) + _bars(
        series, [_day_label(d) for d, _s in days], [c for *_x, c in STATUS_SERIES], peak
    )
    body += _legend([(label, colour) for _k, label, colour in STATUS_SERIES])
    columns = [_("Day"), *[str(label) for _k, label, _c in STATUS_SERIES], _("Total")]
    return Chart("appointments", title, summary, _svg(title, body), columns, rows)


def revenue_chart(days, currency="INR"):
    title = _("Revenue per week")
    weeks = {}
    for day, sums in days:
        monday = day - dt.timedelta(days=day.weekday())
        week = weeks.setdefault(monday, [0, 0, 0])
        week[0] += sums["amount_issued"]
        week[1] += sums["amount_paid"]
        week[2] += sums["tax_issued"]
    rows = [[monday.isoformat(), *values] for monday, values in sorted(weeks.items())]
    peak = max((max(r[1], r[2]) for r in rows), default=0)
    series = [[r[1]] for r in rows]
    colours = ["#2b6cb0"]
    body = _axis(peak) + _bars(series, [r[0] for r in rows], colours, peak)
    body += _legend([(_("Issued"), "#2b6cb0")])
    issued = sum(r[1] for r in rows)
    paid = sum(r[2] for r in rows)
    summary = _("%(issued)s %(currency)s issued, %(paid)s %(currency)s received.") % {
        "issued": issued,
        "paid": paid,
        "currency": currency,
    }
    columns = [_("Week starting"), _("Issued"), _("Received"), _("GST")]
    return Chart("revenue", title, summary, _svg(title, body), columns, rows)


def _heat_colour(ratio):
    if ratio is None:
        return "#eeeeee"
    shade = int(235 - min(ratio, 1) * 200)
    return f"rgb({shade},{shade + 10 if shade < 245 else 255},255)"


def utilization_chart(cells):
    title = _("Utilization by weekday and hour")
    hours = sorted({hour for (_w, hour), (b, o) in cells.items() if b or o}) or list(range(8, 18))
    cell_w = (WIDTH - 50) / max(len(hours), 1)
    height = 30 + 7 * 24 + 20
    parts = []
    rows = []
    best = None
    for weekday, label in enumerate(WEEKDAYS):
        y = 24 + weekday * 24
        parts.append(f'<text x="4" y="{y + 16}" font-size="11">{escape(label)}</text>')
        for i, hour in enumerate(hours):
            booked, offered = cells.get((weekday, hour), (0, 0))
            ratio = booked / offered if offered else None
            percent = round(100 * ratio, 1) if ratio is not None else None
            rows.append([str(label), f"{hour:02d}:00", booked, offered, percent])
            if percent is not None and (best is None or percent > best[2]):
                best = (label, hour, percent)
            parts.append(
                f'<rect x="{50 + i * cell_w:.1f}" y="{y}" width="{cell_w - 1:.1f}" height="22" '
                f'fill="{_heat_colour(ratio)}"/>'
            )
    for i, hour in enumerate(hours):
        parts.append(
            f'<text x="{50 + i * cell_w + 2:.1f}" y="{height - 4}" font-size="10">{hour:02d}</text>'
        )
    if best:
        summary = _(
            "Busiest hour: %(day)s %(hour)02d:00, %(percent)s%% of offered time booked."
        ) % {
            "day": best[0],
            "hour": best[1],
            "percent": best[2],
        }
    else:
        summary = _("No offered time in this period.")
    columns = [
        _("Weekday"),
        _("Hour"),
        _("Minutes booked"),
        _("Minutes offered"),
        _("Utilization %"),
    ]
    rows = [r for r in rows if r[2] or r[3]]
    return Chart(
        "utilization", title, summary, _svg(title, "".join(parts), height=height), columns, rows
    )


def specializations_chart(by_specialization):
    title = _("Top specializations")
    top = sorted(by_specialization, key=lambda r: (-r["totals"]["booked"], r["name"]))[:8]
    peak = max((r["totals"]["booked"] for r in top), default=0)
    parts = []
    bar_h = 22
    height = 20 + len(top) * (bar_h + 6) + 10
    for i, row in enumerate(top):
        y = 10 + i * (bar_h + 6)
        width = (WIDTH - 260) * row["totals"]["booked"] / peak if peak else 0
        parts.append(
            f'<text x="4" y="{y + 15}" font-size="11">{escape(row["name"][:30])}</text>'
            f'<rect x="200" y="{y}" width="{width:.1f}" height="{bar_h}" fill="#2b6cb0"/>'
            f'<text x="{204 + width:.1f}" y="{y + 15}" font-size="11">'
            f"{row['totals']['booked']}</text>"
        )
    rows = [
        [r["name"], r["totals"]["booked"], r["totals"]["completed"], r["rates"]["utilization"]]
        for r in top
    ]
    if top:
        summary = _("%(name)s leads with %(count)s appointments.") % {
            "name": top[0]["name"],
            "count": top[0]["totals"]["booked"],
        }
    else:
        summary = _("No appointments in this period.")
    columns = [_("Specialization"), _("Appointments"), _("Completed"), _("Utilization %")]
    return Chart(
        "specializations",
        title,
        summary,
        _svg(title, "".join(parts), height=max(height, 60)),
        columns,
        rows,
    )


def build_charts(*, filters, period, by_specialization=None):
    """The charts of a period: appointments, revenue, utilization and (for the clinic)
    specializations. Two queries, plus none for specializations (already read)."""
    days = per_day(filters=filters, period=period)
    charts = [
        appointments_chart(days),
        revenue_chart(days),
        utilization_chart(heat_map(filters=filters, period=period)),
    ]
    if by_specialization is not None:
        charts.append(specializations_chart(by_specialization))
    return charts


def doctors_table(by_doctor):
    """Every doctor's figures of the period as a table (its CSV: the dashboard shows the
    busiest only)."""
    columns = [
        _("Doctor"),
        _("Booked"),
        _("Completed"),
        _("Cancelled"),
        _("No-shows"),
        _("Utilization %"),
        _("Issued"),
        _("Received"),
        _("Outstanding"),
        _("GST"),
    ]
    rows = [
        [
            r["name"],
            r["totals"]["booked"],
            r["totals"]["completed"],
            r["totals"]["cancelled"],
            r["totals"]["no_show"],
            r["rates"]["utilization"],
            r["totals"]["amount_issued"],
            r["totals"]["amount_paid"],
            r["totals"]["amount_outstanding"],
            r["totals"]["tax_issued"],
        ]
        for r in by_doctor
    ]
    title = _("Figures per doctor")
    return Chart("doctors", title, "", "", columns, rows)


# CSV -------------------------------------------------------------------------------


def csv_response(chart, filename):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(c) for c in chart.columns])
    for row in chart.rows:
        writer.writerow([csv_cell(c) for c in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
