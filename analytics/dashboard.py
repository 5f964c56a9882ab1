"""What the staff dashboard, the practice page and the API show for a period: the
figures against the period before, tables per doctor and specialization, and the
charts. About ten queries, whatever the period's length (the rollups are summed)."""

from dataclasses import dataclass
from functools import cached_property

from .charts import build_charts
from .selectors import (
    by_specialization,
    figures_by,
    medians_pair,
    previous_figures,
    totals_of,
)

FIGURE_KEYS = (
    "booked",
    "completed",
    "cancelled",
    "declined",
    "no_show",
    "new_patients",
    "returning_visits",
    "minutes_booked",
    "minutes_offered",
    "offers_made",
    "offers_claimed",
    "invoices_issued",
    "amount_issued",
    "amount_paid",
    "amount_outstanding",
    "tax_issued",
)


# The dashboard's table per doctor shows the busiest this many; every doctor's row is
# in its CSV (a clinic of 2,000 doctors is read by filter, not by scrolling).
DOCTORS_SHOWN = 25


@dataclass
class Dashboard:
    current: object
    previous: object
    by_doctor: list
    by_specialization: list
    charts: list

    @cached_property
    def busiest_doctors(self):
        rows = sorted(self.by_doctor, key=lambda r: (-r["totals"]["booked"], r["name"] or ""))
        return rows[:DOCTORS_SHOWN]

    @property
    def doctors_hidden(self):
        return max(len(self.by_doctor) - DOCTORS_SHOWN, 0)


def dashboard_build(*, filters, period, clinic=True):
    # The period's totals are the per-doctor rows summed, and the specializations are
    # those rows folded: one scan of the period's rollups serves all three.
    median, previous_median = medians_pair(filters=filters, period=period)
    by_doctor = figures_by(filters=filters, period=period, by="doctor")
    current = totals_of(by_doctor, period, median)
    previous = previous_figures(filters=filters, period=period.previous(), median=previous_median)
    specializations = by_specialization(by_doctor, period) if clinic else []
    charts = build_charts(
        filters=filters, period=period, by_specialization=specializations if clinic else None
    )
    return Dashboard(current, previous, by_doctor if clinic else [], specializations, charts)


def figures_json(fig):
    """A Figures as plain JSON (the API)."""
    return {
        "first_day": fig.period.first.isoformat(),
        "last_day": fig.period.last.isoformat(),
        "totals": {k: (str(v) if not isinstance(v, int) else v) for k, v in fig.totals.items()},
        "rates": fig.rates,
        "median_days_booking_to_visit": fig.median_lead_days,
    }
