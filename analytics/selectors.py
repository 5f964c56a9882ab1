"""Clinic figures read from the daily rollups: a handful of grouped sums, whatever the
period's length. Staff pages, the doctor's practice page, the API and the monthly
report all read these."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from doctors.models import DoctorProfile, Specialization

from .models import (
    FIGURE_FIELDS,
    MONEY_FIGURES,
    ClinicDayRollup,
    ClinicHourRollup,
    ClinicLeadRollup,
    DayRollup,
    HourRollup,
    LeadRollup,
    MonthRollup,
)

# Figures of the doctor's day as a whole: read from the "" rows only.
DAY_FIELDS = ("offers_made", "offers_claimed")
MONEY_FIELDS = tuple(f for f in FIGURE_FIELDS if f in MONEY_FIGURES)
# Counted per mode (minutes offered are summed on their own: a window may offer both).
COUNT_FIELDS = tuple(
    f
    for f in FIGURE_FIELDS
    if f not in MONEY_FIGURES and f not in DAY_FIELDS and f != "minutes_offered"
)


@dataclass(frozen=True)
class Filters:
    doctor_id: int | None = None
    specialization_id: int | None = None
    city: str = ""
    mode: str = ""

    def as_query(self):
        params = {}
        if self.doctor_id:
            params["doctor"] = self.doctor_id
        if self.specialization_id:
            params["specialization"] = self.specialization_id
        if self.city:
            params["city"] = self.city
        if self.mode:
            params["mode"] = self.mode
        return params


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def days(self):
        return (self.last - self.first).days + 1

    def previous(self):
        return Period(self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))


# Rows of one mode each (the day and month rows hold a mode's rows and the "" rows).
ONE_MODE_MODELS = (HourRollup, LeadRollup, ClinicHourRollup, ClinicLeadRollup)
CLINIC_MODEL = {
    DayRollup: ClinicDayRollup,
    HourRollup: ClinicHourRollup,
    LeadRollup: ClinicLeadRollup,
}


def clinic_wide(filters):
    """Figures of every doctor (a mode may be chosen): read from the whole clinic's
    rows, one per day, instead of one per doctor and day."""
    return not (filters.doctor_id or filters.specialization_id or filters.city)


def _rows(model, filters, period, date_field="day", per_doctor=False):
    """The period's rollup rows of the mode asked (all modes: the "" rows), the whole
    clinic's rows when no doctor filter is set (unless asked per doctor)."""
    if not per_doctor and clinic_wide(filters) and model in CLINIC_MODEL:
        model = CLINIC_MODEL[model]
    qs = model.objects.filter(
        **{f"{date_field}__gte": period.first, f"{date_field}__lte": period.last}
    )
    if model in ONE_MODE_MODELS:
        qs = qs.filter(mode=filters.mode or "")
    if filters.doctor_id:
        qs = qs.filter(doctor_id=filters.doctor_id)
    if filters.specialization_id:
        qs = qs.filter(doctor__specializations=filters.specialization_id)
    if filters.city:
        qs = qs.filter(doctor__city__iexact=filters.city)
    return qs


def _sums(filters, only=None):
    """Aggregations for one period. Without a mode, the all-modes rows ("") hold
    everything; with one, that mode's rows hold the appointments, invoices and offered
    minutes and the "" rows the day's figures (waitlist offers, which have no mode).
    `only` limits them to the columns a query needs."""
    if filters.mode:
        mode_rows, day_rows = Q(mode=filters.mode), Q(mode="")
    else:
        mode_rows = day_rows = None
    sums = {name: Sum(name, filter=mode_rows, default=0) for name in COUNT_FIELDS}
    sums.update({name: Sum(name, filter=mode_rows, default=Decimal("0")) for name in MONEY_FIELDS})
    sums["minutes_offered"] = Sum("minutes_offered", filter=mode_rows, default=0)
    sums.update({name: Sum(name, filter=day_rows, default=0) for name in DAY_FIELDS})
    if only is not None:
        sums = {name: agg for name, agg in sums.items() if name in only}
    return sums


def _day_rows(filters, period, model=DayRollup, date_field="day", per_doctor=False):
    qs = _rows(model, filters, period, date_field, per_doctor)
    return qs.filter(mode__in=[filters.mode, ""]) if filters.mode else qs.filter(mode="")


def _next_month(day):
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def split_by_months(period):
    """The period as whole months (first days of the first and last, or None) and the
    days at its ends that do not fill a month: a year reads 12 month rows per doctor
    and at most two months of day rows instead of 365 day rows."""
    first_whole = period.first if period.first.day == 1 else _next_month(period.first)
    after = period.last + dt.timedelta(days=1)
    end_whole = after if after.day == 1 else after.replace(day=1)  # exclusive
    if first_whole >= end_whole:
        return None, [period]
    edges = []
    if period.first < first_whole:
        edges.append(Period(period.first, first_whole - dt.timedelta(days=1)))
    if end_whole <= period.last:
        edges.append(Period(end_whole, period.last))
    last_month = (end_whole - dt.timedelta(days=1)).replace(day=1)
    return Period(first_whole, last_month), edges


def _per_doctor_parts(filters, period):
    """Querysets of per-doctor rows that together cover the period once: month rows
    for its whole months, day rows for the rest."""
    months, edges = split_by_months(period)
    parts = []
    if months is not None:
        parts.append(_day_rows(filters, months, MonthRollup, "month"))
    if edges:
        outer = Period(edges[0].first, edges[-1].last)
        days = Q()
        for edge in edges:
            days |= Q(day__gte=edge.first, day__lte=edge.last)
        parts.append(_day_rows(filters, outer, per_doctor=True).filter(days))
    return parts


ALL_FIELDS = (*COUNT_FIELDS, *MONEY_FIELDS, "minutes_offered", *DAY_FIELDS)


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    period: Period
    totals: dict
    rates: dict = field(default_factory=dict)
    median_lead_days: float | None = None

    def __getitem__(self, name):
        return self.totals[name]


def _with_rates(period, totals, median):
    booked = totals["booked"]
    rates = {
        "completed": _rate(totals["completed"], booked),
        "cancelled": _rate(totals["cancelled"], booked),
        "declined": _rate(totals["declined"], booked),
        "no_show": _rate(totals["no_show"], totals["completed"] + totals["no_show"]),
        "utilization": _rate(totals["minutes_booked"], totals["minutes_offered"]),
        "offers_claimed": _rate(totals["offers_claimed"], totals["offers_made"]),
        "paid": _rate(totals["amount_paid"], totals["amount_issued"]),
    }
    return Figures(period=period, totals=totals, rates=rates, median_lead_days=median)


def _median_of(counts):
    """The median of a histogram [(value, count)] sorted by value."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    # The middle value, or the mean of the middle two.
    wanted = [(total - 1) // 2, total // 2]
    values, seen = [], 0
    for lead, n in counts:
        while wanted and wanted[0] < seen + n:
            values.append(lead)
            wanted.pop(0)
        seen += n
    return sum(values) / len(values)


def _in(period):
    return Q(day__gte=period.first, day__lte=period.last)


def figures_pair(*, filters, period):
    """The period's figures and those of the period before it: two queries, one for
    the sums of both periods and one for both medians."""
    before = period.previous()
    both = Period(before.first, period.last)
    sums = {}
    for prefix, part in (("c_", period), ("p_", before)):
        for name, agg in _sums(filters).items():
            agg.filter = agg.filter & _in(part) if agg.filter is not None else _in(part)
            sums[prefix + name] = agg
    row = _day_rows(filters, both).aggregate(**sums)
    leads = _rows(LeadRollup, filters, both)
    counts = list(
        leads.values_list("lead_days")
        .annotate(c=Sum("visits", filter=_in(period)), p=Sum("visits", filter=_in(before)))
        .order_by("lead_days")
    )
    out = []
    for prefix, index, part in (("c_", 1, period), ("p_", 2, before)):
        totals = {k[2:]: v for k, v in row.items() if k.startswith(prefix)}
        median = _median_of([(c[0], c[index] or 0) for c in counts])
        out.append(_with_rates(part, totals, median))
    return out[0], out[1]


def medians_pair(*, filters, period):
    """The median lead days of the period and of the period before (one query)."""
    before = period.previous()
    leads = _rows(LeadRollup, filters, Period(before.first, period.last))
    counts = list(
        leads.values_list("lead_days")
        .annotate(c=Sum("visits", filter=_in(period)), p=Sum("visits", filter=_in(before)))
        .order_by("lead_days")
    )
    return (
        _median_of([(c[0], c[1] or 0) for c in counts]),
        _median_of([(c[0], c[2] or 0) for c in counts]),
    )


def totals_of(rows, period, median):
    """Figures from per-doctor rows summed (each doctor's days are counted once)."""
    totals = {name: 0 for name in ALL_FIELDS}
    for name in MONEY_FIELDS:
        totals[name] = Decimal("0")
    for row in rows:
        for name in ALL_FIELDS:
            totals[name] += row["totals"][name]
    return _with_rates(period, totals, median)


def previous_figures(*, filters, period, median):
    """The totals of one period (one query for the whole clinic, two with a doctor
    filter: whole months and the days at the ends)."""
    if clinic_wide(filters):
        totals = _day_rows(filters, period, ClinicDayRollup).aggregate(**_sums(filters))
    else:
        totals = dict.fromkeys(ALL_FIELDS, 0)
        for name in MONEY_FIELDS:
            totals[name] = Decimal("0")
        for part in _per_doctor_parts(filters, period):
            for name, value in part.aggregate(**_sums(filters)).items():
                totals[name] += value
    return _with_rates(period, totals, median)


def by_specialization(by_doctor, period):
    """Per-doctor rows folded into their specializations (one light query): a doctor
    with two specializations counts in both."""
    pairs = DoctorProfile.specializations.through.objects.filter(
        doctorprofile_id__in=[row["id"] for row in by_doctor]
    ).values_list("doctorprofile_id", "specialization_id", "specialization__name")
    rows_of = {row["id"]: row for row in by_doctor}
    grouped = {}
    for doctor_id, spec_id, name in pairs:
        grouped.setdefault((spec_id, name), []).append(rows_of[doctor_id])
    out = []
    for (spec_id, name), rows in sorted(grouped.items(), key=lambda item: item[0][1]):
        fig = totals_of(rows, period, None)
        out.append({"id": spec_id, "name": name, **fig.__dict__})
    return out


def figures(*, filters, period):
    """The period's totals and rates."""
    return figures_pair(filters=filters, period=period)[0]


def figures_by(*, filters, period, by):
    """Totals per doctor ("doctor") or per specialization ("specialization"), from the
    doctors' month rows and the day rows at the period's ends (two queries). The first
    joins the names in; the other groups by the id alone (a name it lacks, of a doctor
    with days but no whole month, is read by one more query)."""
    key = {"doctor": "doctor__user__full_name", "specialization": "doctor__specializations__name"}[
        by
    ]
    id_key = {"doctor": "doctor_id", "specialization": "doctor__specializations"}[by]
    merged, names = {}, {}
    for index, part in enumerate(_per_doctor_parts(filters, period)):
        columns = (id_key, key) if index == 0 else (id_key,)
        for row in part.values(*columns).annotate(**_sums(filters)).order_by():
            if row[id_key] is None:
                continue
            if index == 0:
                names[row[id_key]] = row[key]
            seen = merged.get(row[id_key])
            if seen is None:
                merged[row[id_key]] = row
            else:
                for name in ALL_FIELDS:
                    seen[name] += row[name]
    unnamed = [pk for pk in merged if pk not in names]
    if unnamed and by == "doctor":
        names.update(
            DoctorProfile.objects.filter(pk__in=unnamed).values_list("pk", "user__full_name")
        )
    elif unnamed:
        names.update(Specialization.objects.filter(pk__in=unnamed).values_list("pk", "name"))
    out = []
    for pk, row in sorted(merged.items(), key=lambda item: (names.get(item[0]) or "", item[0])):
        out.append({"id": pk, "name": names.get(pk), **_with_rates(period, row, None).__dict__})
    return out


PER_DAY_FIELDS = (
    "completed",
    "pending",
    "confirmed",
    "cancelled",
    "declined",
    "no_show",
    "amount_issued",
    "amount_paid",
    "tax_issued",
)


def per_day(*, filters, period):
    """{day: sums} for the appointments-per-day and revenue-per-week charts."""
    rows = (
        _day_rows(filters, period)
        .values("day")
        .annotate(**_sums(filters, only=PER_DAY_FIELDS))
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    days = [period.first + dt.timedelta(days=n) for n in range(period.days)]
    empty = dict.fromkeys(PER_DAY_FIELDS, 0)
    return [(day, by_day.get(day, empty)) for day in days]


def heat_map(*, filters, period):
    """{(weekday, hour): (minutes booked, minutes offered)} of the mode asked (all modes:
    the "" rows)."""
    rows = (
        _rows(HourRollup, filters, period)
        .values("weekday", "hour")
        .annotate(
            booked=Sum("minutes_booked", default=0), offered=Sum("minutes_offered", default=0)
        )
    )
    return {(r["weekday"], r["hour"]): (r["booked"], r["offered"]) for r in rows}


def filter_choices():
    """Doctors, specializations and cities for the dashboard's filters (two queries)."""
    rows = list(
        DoctorProfile.objects.verified()
        .order_by("user__full_name")
        .values_list("pk", "user__full_name", "city")
    )
    specializations = list(Specialization.objects.order_by("name").values_list("pk", "name"))
    cities = sorted({city for _pk, _name, city in rows if city})
    return [(pk, name) for pk, name, _city in rows], specializations, cities
