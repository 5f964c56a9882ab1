"""Rebuilding the daily rollups of one doctor from the source tables.

Every figure of a (doctor, local day) is recounted from appointments, their
cancellation events, invoices, waitlist offers, weekly windows and time off, and the
day's rows are replaced: running it twice, or for a day nothing happened on, gives
the same rows. Offered minutes are the weekly windows of the local weekday (laid out
as the slot engine lays them, appointments/slot_grid.py: window_bounds) minus time
off. The doctor's row is locked while the rows are replaced, so a rebuild queues
behind a booking of that doctor and sees it.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from appointments.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    AvailabilityRule,
    ModeOffer,
    TimeOff,
)
from appointments.slot_grid import window_bounds
from billing.models import Invoice, InvoiceStatus, PaymentMethod
from doctors.models import DoctorProfile
from waitlist.models import OfferStatus, WaitlistOffer

from .models import (
    FIGURE_FIELDS,
    ClinicDayRollup,
    ClinicHourRollup,
    ClinicLeadRollup,
    DayRollup,
    HourRollup,
    LeadRollup,
    MonthRollup,
)

MODES = ("in_person", "online")
# Statuses whose minutes count as booked: the doctor's time was taken.
BOOKED_STATUSES = (
    AppointmentStatus.PENDING,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)
STATUS_FIELD = {
    AppointmentStatus.PENDING: "pending",
    AppointmentStatus.CONFIRMED: "confirmed",
    AppointmentStatus.COMPLETED: "completed",
    AppointmentStatus.DECLINED: "declined",
    AppointmentStatus.NO_SHOW: "no_show",
    AppointmentStatus.CANCELLED: "cancelled",
}
PAID_FIELD = {
    PaymentMethod.CASH: "paid_cash",
    PaymentMethod.CARD: "paid_card",
    PaymentMethod.UPI: "paid_upi",
    PaymentMethod.OTHER: "paid_other",
}
# At most this many days are rebuilt in one call (a year and a bit).
MAX_DAYS = 400


def local_day_start(day, tz):
    return dt.datetime.combine(day, dt.time.min).replace(tzinfo=tz).astimezone(dt.UTC)


def _minutes_by_hour(start, end, tz):
    """{local hour: minutes} of [start, end), split at local hour boundaries."""
    out = defaultdict(float)
    moment = start
    while moment < end:
        local = moment.astimezone(tz)
        next_hour = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        step_end = min(end, next_hour.astimezone(dt.UTC))
        out[local.hour] += (step_end - moment).total_seconds() / 60
        moment = step_end
    return out


def _subtract(start, end, holes):
    """[start, end) without the intervals in holes, as a list of intervals."""
    pieces = [(start, end)]
    for hole_start, hole_end in holes:
        rest = []
        for piece_start, piece_end in pieces:
            if hole_end <= piece_start or hole_start >= piece_end:
                rest.append((piece_start, piece_end))
                continue
            if piece_start < hole_start:
                rest.append((piece_start, hole_start))
            if hole_end < piece_end:
                rest.append((hole_end, piece_end))
        pieces = rest
    return pieces


def _who_cancelled(actor_id, patient_id, doctor_user_id):
    if actor_id == patient_id:
        return "cancelled_by_patient"
    if actor_id == doctor_user_id:
        return "cancelled_by_doctor"
    return "cancelled_by_staff"


def _lead_field(visit_start, cancelled_at):
    hours = (visit_start - cancelled_at).total_seconds() / 3600
    if hours < 24:
        return "cancelled_within_24h"
    if hours < 72:
        return "cancelled_within_72h"
    return "cancelled_earlier"


class _Days:
    """The rows being built: {(day, mode): {field: value}} and the hourly and lead ones."""

    def __init__(self, days):
        self.rows = {(day, mode): defaultdict(int) for day in days for mode in ("", *MODES)}
        self.hours = defaultdict(lambda: [0.0, 0.0])
        self.leads = defaultdict(int)

    def add(self, day, mode, field, value=1):
        # What happens in one mode also counts in the day's all-modes row ("").
        for row_mode in {mode, ""}:
            if (day, row_mode) in self.rows:
                self.rows[(day, row_mode)][field] += value


def rollup_rebuild(*, doctor, first, last):
    """Replace the rollups of `doctor` for local days first..last (inclusive)."""
    if last < first:
        return 0
    last = min(last, first + dt.timedelta(days=MAX_DAYS - 1))
    with transaction.atomic():
        doctor = (
            DoctorProfile.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=doctor.pk)
        )
        tz = doctor.tz
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        span_start = local_day_start(first, tz)
        span_end = local_day_start(last + dt.timedelta(days=1), tz)
        built = _Days(days)

        def day_of(moment):
            return moment.astimezone(tz).date()

        _count_appointments(built, doctor, tz, span_start, span_end, day_of)
        _count_offered(built, doctor, tz, days, span_start, span_end)
        _count_invoices(built, doctor, span_start, span_end, day_of)
        for created_at, status in WaitlistOffer.objects.filter(
            doctor=doctor, created_at__gte=span_start, created_at__lt=span_end
        ).values_list("created_at", "status"):
            built.add(day_of(created_at), "", "offers_made")
            if status == OfferStatus.CLAIMED:
                built.add(day_of(created_at), "", "offers_claimed")
        _write(built, doctor, first, last)
    return len(days)


def _count_appointments(built, doctor, tz, span_start, span_end, day_of):
    visits = list(
        Appointment.objects.filter(doctor=doctor, start__gte=span_start, start__lt=span_end)
        .order_by("start", "pk")
        .values_list("pk", "patient_id", "start", "end", "status", "mode", "created_at")
    )
    cancelled_ids = [v[0] for v in visits if v[4] == AppointmentStatus.CANCELLED]
    cancellations = {}
    if cancelled_ids:
        for appointment_id, actor_id, created_at in AppointmentEvent.objects.filter(
            appointment_id__in=cancelled_ids, to_status=AppointmentStatus.CANCELLED
        ).values_list("appointment_id", "actor_id", "created_at"):
            cancellations[appointment_id] = (actor_id, created_at)
    completed_patients = {v[1] for v in visits if v[4] == AppointmentStatus.COMPLETED}
    seen = (
        set(
            Appointment.objects.filter(
                doctor=doctor,
                status=AppointmentStatus.COMPLETED,
                start__lt=span_start,
                patient_id__in=completed_patients,
            )
            .values_list("patient_id", flat=True)
            .distinct()
        )
        if completed_patients
        else set()
    )
    for pk, patient_id, start, end, status, mode, created_at in visits:
        day = day_of(start)
        built.add(day, mode, "booked")
        built.add(day, mode, STATUS_FIELD[status])
        lead = max((day - day_of(created_at)).days, 0)
        built.leads[(day, mode, lead)] += 1
        built.leads[(day, "", lead)] += 1
        if status == AppointmentStatus.CANCELLED:
            actor_id, cancelled_at = cancellations.get(pk, (None, start))
            built.add(day, mode, _who_cancelled(actor_id, patient_id, doctor.user_id))
            built.add(day, mode, _lead_field(start, cancelled_at))
        if status == AppointmentStatus.COMPLETED:
            if patient_id in seen:
                built.add(day, mode, "returning_visits")
            else:
                seen.add(patient_id)
                built.add(day, mode, "new_patients")
        if status in BOOKED_STATUSES:
            for hour, minutes in _minutes_by_hour(start, end, tz).items():
                built.hours[(day, mode, hour)][0] += minutes
                built.hours[(day, "", hour)][0] += minutes
            built.add(day, mode, "minutes_booked", (end - start).total_seconds() / 60)


def _count_offered(built, doctor, tz, days, span_start, span_end):
    rules = defaultdict(list)
    for rule in AvailabilityRule.objects.filter(doctor=doctor):
        rules[rule.weekday].append(rule)
    time_off = list(
        TimeOff.objects.filter(doctor=doctor, start__lt=span_end, end__gt=span_start).values_list(
            "start", "end"
        )
    )
    for day in days:
        for rule in rules.get(day.weekday(), ()):
            start, end = window_bounds(day, rule, tz)
            modes = [""] + [m for m in MODES if ModeOffer.allows(rule.mode, m)]
            for piece_start, piece_end in _subtract(start, end, time_off):
                for hour, minutes in _minutes_by_hour(piece_start, piece_end, tz).items():
                    for mode in modes:
                        built.hours[(day, mode, hour)][1] += minutes
                for mode in modes:
                    # Each row its own window minutes ("" every window's, once).
                    built.rows[(day, mode)]["minutes_offered"] += (
                        piece_end - piece_start
                    ).total_seconds() / 60


def _count_invoices(built, doctor, span_start, span_end, day_of):
    issued = Invoice.objects.filter(
        doctor=doctor,
        issued_at__gte=span_start,
        issued_at__lt=span_end,
        status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PAID),
    ).values_list("issued_at", "total", "tax_total", "status", "appointment__mode")
    for issued_at, total, tax, status, mode in issued:
        day = day_of(issued_at)
        built.add(day, mode, "invoices_issued")
        built.add(day, mode, "amount_issued", total or Decimal(0))
        built.add(day, mode, "tax_issued", tax or Decimal(0))
        if status == InvoiceStatus.ISSUED:
            built.add(day, mode, "amount_outstanding", total or Decimal(0))
    paid = Invoice.objects.filter(
        doctor=doctor, paid_at__gte=span_start, paid_at__lt=span_end, status=InvoiceStatus.PAID
    ).values_list("paid_at", "total", "payment_method", "appointment__mode")
    for paid_at, total, method, mode in paid:
        day = day_of(paid_at)
        built.add(day, mode, "amount_paid", total or Decimal(0))
        built.add(day, mode, PAID_FIELD.get(method, "paid_other"), total or Decimal(0))


def _write(built, doctor, first, last):
    old = _doctor_rows(doctor, first, last)
    for model in (DayRollup, HourRollup, LeadRollup):
        model.objects.filter(doctor=doctor, day__gte=first, day__lte=last).delete()
    now = timezone.now()
    day_rows = [
        DayRollup(
            doctor=doctor,
            day=day,
            mode=mode,
            weekday=day.weekday(),
            refreshed_at=now,
            **{k: (round(v) if isinstance(v, float) else v) for k, v in fields.items()},
        )
        for (day, mode), fields in built.rows.items()
        if any(fields.values())
    ]
    hour_rows = [
        HourRollup(
            doctor=doctor,
            day=day,
            mode=mode,
            weekday=day.weekday(),
            hour=hour,
            minutes_booked=round(booked),
            minutes_offered=round(offered),
        )
        for (day, mode, hour), (booked, offered) in built.hours.items()
        if round(booked) or round(offered)
    ]
    lead_rows = [
        LeadRollup(doctor=doctor, day=day, mode=mode, lead_days=lead, visits=count)
        for (day, mode, lead), count in built.leads.items()
    ]
    DayRollup.objects.bulk_create(day_rows, batch_size=1000)
    HourRollup.objects.bulk_create(hour_rows, batch_size=2000)
    LeadRollup.objects.bulk_create(lead_rows, batch_size=2000)
    clinic_add(old, _keyed({"day": day_rows, "hour": hour_rows, "lead": lead_rows}))
    months_rewrite(doctor, first, last)


# The doctor's rows and the whole clinic's rows they add up to:
# name: (doctor's model, clinic's model, key columns, figure columns).
CLINIC_TABLES = {
    "day": (DayRollup, ClinicDayRollup, ("day", "mode"), FIGURE_FIELDS),
    "hour": (
        HourRollup,
        ClinicHourRollup,
        ("day", "mode", "hour"),
        ("minutes_booked", "minutes_offered"),
    ),
    "lead": (LeadRollup, ClinicLeadRollup, ("day", "mode", "lead_days"), ("visits",)),
}


def _keyed(rows_of):
    """{table: {key: {figure: value}}} of model rows given as {table: [rows]}."""
    return {
        table: {
            tuple(getattr(r, k) for k in keys): {c: getattr(r, c) for c in columns}
            for r in rows_of[table]
        }
        for table, (_model, _clinic, keys, columns) in CLINIC_TABLES.items()
    }


def _doctor_rows(doctor, first, last):
    """The doctor's stored rows of first..last, keyed as _keyed gives them."""
    return {
        table: {
            tuple(r[k] for k in keys): {c: r[c] for c in columns}
            for r in model.objects.filter(doctor=doctor, day__gte=first, day__lte=last).values(
                *keys, *columns
            )
        }
        for table, (model, _clinic, keys, columns) in CLINIC_TABLES.items()
    }


def clinic_add(old, new):
    """Add (new - old) of one doctor's rows to the whole clinic's rows, as atomic
    increments in the caller's transaction: rebuilds of different doctors add to the
    same clinic rows without losing each other's change. Keys are written in order, so
    two rebuilds never wait on each other's rows crosswise."""
    connection = connections[router.db_for_write(ClinicDayRollup)]
    quote = connection.ops.quote_name
    for table, (_model, model, keys, columns) in CLINIC_TABLES.items():
        before, after = old.get(table, {}), new.get(table, {})
        with_weekday = "weekday" in {f.name for f in model._meta.concrete_fields}
        changes = []
        for key in sorted(set(before) | set(after)):
            was, now = before.get(key, {}), after.get(key, {})
            delta = [(now.get(c) or 0) - (was.get(c) or 0) for c in columns]
            if any(delta):
                weekday = (key[0].weekday(),) if with_weekday else ()
                changes.append((*key, *weekday, *delta))
        if not changes:
            continue
        names = [*keys, *(("weekday",) if with_weekday else ()), *columns]
        db_table = quote(model._meta.db_table)
        increments = ", ".join(
            f"{quote(c)} = {db_table}.{quote(c)} + EXCLUDED.{quote(c)}" for c in columns
        )
        sql = (
            f"INSERT INTO {db_table} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))}) "
            f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {increments}"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, changes)


def _month_of(day):
    return day.replace(day=1)


def _next_month(month):
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def months_rewrite(doctor, first, last):
    """Rewrite the doctor's month rows of every month that first..last touches from the
    doctor's day rows (one grouped query, one delete, one insert)."""
    start, end = _month_of(first), _next_month(last)
    rows = _month_sums(DayRollup.objects.filter(doctor=doctor, day__gte=start, day__lt=end))
    MonthRollup.objects.filter(doctor=doctor, month__gte=start, month__lt=end).delete()
    MonthRollup.objects.bulk_create(
        [
            MonthRollup(
                doctor=doctor,
                month=row["month"],
                mode=row["mode"],
                **{f: row[f] for f in FIGURE_FIELDS},
            )
            for row in rows
        ]
    )


def _month_sums(day_rows):
    """Day rows summed per doctor, month (its first day) and mode."""
    rows = (
        day_rows.annotate(month_of=TruncMonth("day"))
        .values("doctor_id", "month_of", "mode")
        .annotate(**{f: Sum(f) for f in FIGURE_FIELDS})
        .order_by()
    )
    for row in rows:
        month = row.pop("month_of")
        row["month"] = month.date() if isinstance(month, dt.datetime) else month
        yield row


def clinic_forget_doctor(doctor):
    """Take every figure of a doctor out of the whole clinic's rows (the doctor's own
    rows go with the doctor)."""
    clinic_add(_doctor_rows(doctor, dt.date.min, dt.date.max), {})


def rollups_differences(*, first=None, last=None):
    """Where the month rows and the whole clinic's rows differ from a recount of the
    doctors' day rows: [(table, key, stored, recounted)], empty when they agree."""
    in_days = {}
    if first is not None:
        in_days["day__gte"] = first
    if last is not None:
        in_days["day__lte"] = last
    out = []

    def compare(table, stored, recounted):
        for key in sorted(set(stored) | set(recounted), key=str):
            got, want = stored.get(key), recounted.get(key)
            if _nonzero(got) != _nonzero(want):
                out.append((table, key, got, want))

    for table, (model, clinic, keys, columns) in CLINIC_TABLES.items():
        compare(
            table,
            {
                tuple(r[k] for k in keys): {c: r[c] for c in columns}
                for r in clinic.objects.filter(**in_days).values(*keys, *columns)
            },
            {
                tuple(r[k] for k in keys): {c: r[c] for c in columns}
                for r in model.objects.filter(**in_days)
                .values(*keys)
                .annotate(**{c: Sum(c) for c in columns})
                .order_by()
            },
        )
    in_months, month_days = {}, {}
    if first is not None:
        in_months["month__gte"] = month_days["day__gte"] = _month_of(first)
    if last is not None:
        in_months["month__lte"] = _month_of(last)
        month_days["day__lt"] = _next_month(last)
    compare(
        "month",
        {
            (r["doctor_id"], r["month"], r["mode"]): {f: r[f] for f in FIGURE_FIELDS}
            for r in MonthRollup.objects.filter(**in_months).values(
                "doctor_id", "month", "mode", *FIGURE_FIELDS
            )
        },
        {
            (r["doctor_id"], r["month"], r["mode"]): {f: r[f] for f in FIGURE_FIELDS}
            for r in _month_sums(DayRollup.objects.filter(**month_days))
        },
    )
    return out


def _nonzero(figures):
    """Figures without their zero columns (a row of zeros equals no row)."""
    return {k: v for k, v in (figures or {}).items() if v}
