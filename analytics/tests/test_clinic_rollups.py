"""The month rows and the whole clinic's rows equal a recount of the doctors' day rows
after every change, and the figures read from them equal the figures read from the
day rows."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from analytics.models import ClinicDayRollup, DayRollup, MonthRollup
from analytics.rollups import rollup_rebuild, rollups_differences
from analytics.selectors import (
    ALL_FIELDS,
    Filters,
    Period,
    figures,
    figures_by,
    heat_map,
    per_day,
    previous_figures,
    split_by_months,
)
from appointments import services as appointment_services
from appointments.models import AppointmentStatus, Mode
from appointments.tests.factories import TimeOffFactory, bookable_consultation
from billing.services import invoice_mark_paid
from billing.tests.factories import BillingSettingsFactory, issued_invoice
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory

from .factories import visit, window

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("first", "last", "months", "edges"),
    [
        # Inside one month: days only.
        (D(2026, 3, 5), D(2026, 3, 20), None, [(D(2026, 3, 5), D(2026, 3, 20))]),
        # Exactly one month.
        (D(2026, 2, 1), D(2026, 2, 28), (D(2026, 2, 1), D(2026, 2, 1)), []),
        # A year from the 7th: days at both ends, eleven whole months between.
        (
            D(2025, 12, 7),
            D(2026, 12, 6),
            (D(2026, 1, 1), D(2026, 11, 1)),
            [(D(2025, 12, 7), D(2025, 12, 31)), (D(2026, 12, 1), D(2026, 12, 6))],
        ),
        # Ends on the last day of a leap February.
        (
            D(2024, 1, 15),
            D(2024, 2, 29),
            (D(2024, 2, 1), D(2024, 2, 1)),
            [(D(2024, 1, 15), D(2024, 1, 31))],
        ),
        # Across two months without a whole one.
        (D(2026, 1, 20), D(2026, 2, 10), None, [(D(2026, 1, 20), D(2026, 2, 10))]),
    ],
)
def test_a_period_splits_into_whole_months_and_the_days_at_its_ends(first, last, months, edges):
    got_months, got_edges = split_by_months(Period(first, last))
    assert (got_months and (got_months.first, got_months.last)) == months
    assert [(e.first, e.last) for e in got_edges] == edges
    # Together they cover every day of the period once.
    days = set()
    for edge in got_edges:
        days |= {edge.first + dt.timedelta(n) for n in range(edge.days)}
    if got_months:
        day = got_months.first
        while day <= got_months.last.replace(day=28) + dt.timedelta(days=4):
            if day.replace(day=1) <= got_months.last:
                days.add(day)
            day += dt.timedelta(days=1)
    assert sorted(days) == [first + dt.timedelta(n) for n in range(Period(first, last).days)]


def _day_row_totals(doctor_ids, period, mode=""):
    """An independent sum of the doctors' day rows (the figures of one mode)."""
    rows = DayRollup.objects.filter(
        doctor_id__in=doctor_ids, day__gte=period.first, day__lte=period.last, mode=mode
    )
    return rows.aggregate(
        **{f: Sum(f, default=0) for f in ALL_FIELDS if f not in ("offers_made", "offers_claimed")}
    )


def test_clinic_and_month_rows_follow_every_change(
    doctor, other_doctor, django_capture_on_commit_callbacks
):
    """Bookings, cancellations, completions, invoices, payments and time off of two
    doctors in two time zones, in a random order; after each, the stored sums equal a
    recount and the whole clinic's figures equal the sum of the doctors' figures."""
    BillingSettingsFactory()
    other_doctor.time_zone = "America/New_York"
    other_doctor.save(update_fields=["time_zone"])
    rng = random.Random(7)
    doctors = [doctor, other_doctor]
    types = {d.pk: bookable_consultation(d) for d in doctors}
    for d in doctors:
        for weekday in range(7):
            window(d, weekday, start=(8, 0), end=(18, 0))
    patients = [PatientFactory().user for _ in range(6)]
    today = timezone.now().date()
    period = Period(today - dt.timedelta(days=40), today + dt.timedelta(days=40))
    for d in doctors:
        with django_capture_on_commit_callbacks(execute=True):
            rollup_rebuild(doctor=d, first=period.first, last=period.last)

    def check():
        assert rollups_differences() == []
        clinic = figures(filters=Filters(), period=period)
        each = [figures(filters=Filters(doctor_id=d.pk), period=period) for d in doctors]
        for name in ALL_FIELDS:
            assert clinic[name] == sum((f[name] for f in each), start=type(clinic[name])(0)), name
        rows = figures_by(filters=Filters(), period=period, by="doctor")
        assert {r["id"]: r["totals"]["booked"] for r in rows} == {
            d.pk: f["booked"] for d, f in zip(doctors, each, strict=True)
        }

    booked = []
    for n in range(8):
        d = rng.choice(doctors)
        start = (
            (timezone.now() + dt.timedelta(days=2 + n))
            .astimezone(d.tz)
            .replace(hour=9 + n % 6, minute=0, second=0, microsecond=0)
        )
        with django_capture_on_commit_callbacks(execute=True):
            booked.append(
                appointment_services.appointment_book(
                    patient=patients[n % len(patients)],
                    doctor=d,
                    visit_type=types[d.pk],
                    start=start,
                    mode=rng.choice([Mode.IN_PERSON, Mode.ONLINE]),
                )
            )
        check()
    rng.shuffle(booked)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.appointment_confirm(appointment=booked[0], actor=booked[0].doctor.user)
        appointment_services.appointment_cancel(
            appointment=booked[1], actor=booked[1].patient, reason="Travelling"
        )
        appointment_services.appointment_decline(
            appointment=booked[2], actor=booked[2].doctor.user, reason="Not my field"
        )
    check()
    past = visit(
        other_doctor,
        (timezone.now() - dt.timedelta(days=2))
        .astimezone(other_doctor.tz)
        .replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None),
        status=AppointmentStatus.CONFIRMED,
        visit_type=types[other_doctor.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.appointment_complete(appointment=past, actor=other_doctor.user)
    check()
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issued_invoice(
            appointment=past,
            lines=[
                {
                    "kind": "lab_test",
                    "description": "Blood count",
                    "quantity": Decimal("1"),
                    "unit_price": Decimal("300.00"),
                    "taxable": True,
                }
            ],
        )
    check()
    with django_capture_on_commit_callbacks(execute=True):
        invoice_mark_paid(invoice=invoice, actor=other_doctor.user, method="cash")
    check()
    with django_capture_on_commit_callbacks(execute=True):
        TimeOffFactory(
            doctor=other_doctor,
            start=timezone.now() + dt.timedelta(days=20),
            end=timezone.now() + dt.timedelta(days=22),
        )
    check()
    # Rebuilding everything again changes nothing.
    for d in doctors:
        rollup_rebuild(doctor=d, first=period.first, last=period.last)
    check()
    assert ClinicDayRollup.objects.filter(mode="").aggregate(n=Sum("booked"))["n"] == 9


def test_a_year_read_from_month_rows_equals_the_day_rows(doctor, other_doctor):
    for d in (doctor, other_doctor):
        for weekday in range(5):
            window(d, weekday)
    today = timezone.now().date()
    for d in (doctor, other_doctor):
        rollup_rebuild(doctor=d, first=today - dt.timedelta(days=399), last=today)
    assert MonthRollup.objects.filter(doctor=doctor).count() >= 13
    assert rollups_differences() == []
    ids = [doctor.pk, other_doctor.pk]
    for period in (
        Period(today - dt.timedelta(days=364), today),
        Period(today - dt.timedelta(days=29), today),
        Period(today.replace(day=1) - dt.timedelta(days=1), today),
    ):
        expected = _day_row_totals(ids, period)
        rows = figures_by(filters=Filters(), period=period, by="doctor")
        for name in expected:
            assert sum(r["totals"][name] for r in rows) == expected[name], (period, name)
        one = figures_by(filters=Filters(doctor_id=doctor.pk), period=period, by="doctor")
        assert (
            one[0]["totals"]["minutes_offered"]
            == _day_row_totals([doctor.pk], period)["minutes_offered"]
        )
        before = previous_figures(filters=Filters(), period=period, median=None)
        assert before["minutes_offered"] == expected["minutes_offered"] > 0
        filtered = previous_figures(
            filters=Filters(doctor_id=doctor.pk), period=period, median=None
        )
        assert filtered["minutes_offered"] == one[0]["totals"]["minutes_offered"]
        days = per_day(filters=Filters(), period=period)
        assert len(days) == period.days
        cells = heat_map(filters=Filters(), period=period)
        assert sum(offered for _b, offered in cells.values()) == expected["minutes_offered"]


def test_a_deleted_doctor_leaves_the_clinic_figures():
    doctor = DoctorFactory()
    for weekday in range(7):
        window(doctor, weekday)
    today = timezone.now().date()
    rollup_rebuild(doctor=doctor, first=today - dt.timedelta(days=10), last=today)
    offered = ClinicDayRollup.objects.filter(mode="").aggregate(n=Sum("minutes_offered"))["n"]
    assert offered == 11 * 240
    doctor.delete()
    assert rollups_differences() == []
    assert not ClinicDayRollup.objects.filter(mode="", minutes_offered__gt=0).exists()


def test_a_doctor_with_days_but_no_whole_month_is_named_in_a_year(doctor):
    newcomer = DoctorFactory()
    for d in (doctor, newcomer):
        for weekday in range(7):
            window(d, weekday)
    today = timezone.now().date()
    rollup_rebuild(doctor=doctor, first=today - dt.timedelta(days=200), last=today)
    # The newcomer's first days are this month's, never a whole month.
    rollup_rebuild(doctor=newcomer, first=today.replace(day=1), last=today)
    rows = figures_by(
        filters=Filters(), period=Period(today - dt.timedelta(days=364), today), by="doctor"
    )
    by_id = {r["id"]: r for r in rows}
    assert by_id[newcomer.pk]["name"] == newcomer.user.full_name
    assert by_id[doctor.pk]["name"] == doctor.user.full_name
    assert by_id[newcomer.pk]["totals"]["minutes_offered"] == today.day * 240
