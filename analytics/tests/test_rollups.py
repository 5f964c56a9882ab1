"""The figures equal a recount: hand-built data with known answers, time zones and
month boundaries, and a sequence of real bookings, cancellations, completions and
invoices compared with an independent count from the source tables."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from analytics.models import DayRollup, HourRollup
from analytics.rollups import rollup_rebuild
from analytics.selectors import Filters, Period, figures, heat_map
from appointments import services as appointment_services
from appointments.models import Appointment, AppointmentStatus, Mode
from appointments.tests.factories import TimeOffFactory, bookable_consultation
from billing.models import Invoice, InvoiceStatus
from billing.services import invoice_mark_paid
from billing.tests.factories import BillingSettingsFactory, issued_invoice
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory
from waitlist.models import OfferStatus

from .factories import IST, cancel_event, visit, window

OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def kolkata_doctor(db):
    return DoctorFactory(time_zone="Asia/Kolkata", city="Pune")


def rebuild(doctor, first=dt.date(2026, 9, 1), last=dt.date(2026, 12, 31)):
    rollup_rebuild(doctor=doctor, first=first, last=last)


def test_a_visit_at_2330_on_the_last_day_of_the_month_counts_in_that_month(kolkata_doctor):
    # 23:30 in Kolkata on 31 October is 18:00 UTC the same day; in UTC+0 clinics it
    # would still be October, but a visit at 05:00 on 1 November in Kolkata is
    # 23:30 UTC on 31 October and must count in November.
    visit(kolkata_doctor, dt.datetime(2026, 10, 31, 23, 30))
    visit(kolkata_doctor, dt.datetime(2026, 11, 1, 5, 0))
    rebuild(kolkata_doctor)
    filters = Filters(doctor_id=kolkata_doctor.pk)
    assert figures(filters=filters, period=OCTOBER)["completed"] == 1
    assert figures(filters=filters, period=NOVEMBER)["completed"] == 1
    assert DayRollup.objects.filter(doctor=kolkata_doctor, day=dt.date(2026, 10, 31)).exists()


def test_known_answers_for_one_doctor(kolkata_doctor):
    doctor = kolkata_doctor
    patient_a, patient_b = PatientFactory().user, PatientFactory().user
    # Mondays 09:00-13:00 (240 minutes offered); 5 October 2026 is a Monday.
    window(doctor, 0)
    monday = dt.datetime(2026, 10, 5)
    first = visit(
        doctor, monday.replace(hour=9), patient=patient_a, created=dt.datetime(2026, 9, 25)
    )
    visit(doctor, monday.replace(hour=10), patient=patient_b, created=dt.datetime(2026, 10, 3))
    visit(
        doctor,
        monday.replace(hour=11),
        patient=patient_a,
        status=AppointmentStatus.NO_SHOW,
        created=dt.datetime(2026, 10, 4),
        mode=Mode.ONLINE,
    )
    late = visit(
        doctor,
        monday.replace(hour=12),
        status=AppointmentStatus.CANCELLED,
        created=dt.datetime(2026, 10, 1),
    )
    cancel_event(late, late.patient, dt.datetime(2026, 10, 5, 1, 0))  # 11 hours before
    early = visit(
        doctor,
        monday.replace(hour=12, minute=30),
        status=AppointmentStatus.CANCELLED,
        created=dt.datetime(2026, 10, 1),
    )
    cancel_event(early, doctor.user, dt.datetime(2026, 10, 1, 9, 0))  # four days before
    visit(
        doctor,
        monday.replace(hour=12, minute=45),
        status=AppointmentStatus.DECLINED,
        created=dt.datetime(2026, 10, 5),
    )
    # Patient A returns a week later.
    visit(
        doctor, dt.datetime(2026, 10, 12, 9, 0), patient=patient_a, created=dt.datetime(2026, 10, 5)
    )
    rebuild(doctor)

    result = figures(filters=Filters(doctor_id=doctor.pk), period=OCTOBER)
    assert result["booked"] == 7
    assert result["completed"] == 3
    assert result["no_show"] == 1
    assert result["cancelled"] == 2
    assert result["cancelled_by_patient"] == 1
    assert result["cancelled_by_doctor"] == 1
    assert result["cancelled_within_24h"] == 1
    assert result["cancelled_earlier"] == 1
    assert result["declined"] == 1
    assert result["new_patients"] == 2
    assert result["returning_visits"] == 1
    # Booked minutes: three completed visits and one no-show, 30 minutes each.
    assert result["minutes_booked"] == 120
    # Four Mondays in October 2026 after the 1st (5, 12, 19, 26) at 240 minutes each.
    assert result["minutes_offered"] == 4 * 240
    assert result.rates["utilization"] == 12.5
    assert result.rates["no_show"] == 25.0
    # Lead days: 10, 2, 1, 4, 4, 0, 7 -> sorted 0 1 2 4 4 7 10 -> median 4.
    assert result.median_lead_days == 4
    online = figures(filters=Filters(doctor_id=doctor.pk, mode=Mode.ONLINE), period=OCTOBER)
    assert online["booked"] == 1
    assert online["no_show"] == 1
    assert online["minutes_offered"] == 4 * 240  # the window offers both modes
    assert first.pk


def test_time_off_is_taken_from_offered_minutes_and_the_heat_map(kolkata_doctor):
    doctor = kolkata_doctor
    window(doctor, 0)  # Mondays 09:00-13:00
    TimeOffFactory(
        doctor=doctor,
        start=dt.datetime(2026, 10, 5, 9, 0, tzinfo=IST),
        end=dt.datetime(2026, 10, 5, 11, 0, tzinfo=IST),
    )
    visit(doctor, dt.datetime(2026, 10, 5, 11, 30), minutes=60)
    rebuild(doctor, dt.date(2026, 10, 5), dt.date(2026, 10, 5))
    period = Period(dt.date(2026, 10, 5), dt.date(2026, 10, 5))
    result = figures(filters=Filters(doctor_id=doctor.pk), period=period)
    assert result["minutes_offered"] == 120
    assert result["minutes_booked"] == 60
    cells = heat_map(filters=Filters(doctor_id=doctor.pk), period=period)
    assert cells[(0, 11)] == (30, 60)
    assert cells[(0, 12)] == (30, 60)
    assert (0, 9) not in cells


def test_rebuilding_twice_gives_the_same_rows(kolkata_doctor):
    window(kolkata_doctor, 0)
    visit(kolkata_doctor, dt.datetime(2026, 10, 5, 9, 0))
    rebuild(kolkata_doctor)
    first = list(DayRollup.objects.order_by("day", "mode").values_list("day", "mode", "booked"))
    hours = HourRollup.objects.count()
    rebuild(kolkata_doctor)
    assert (
        list(DayRollup.objects.order_by("day", "mode").values_list("day", "mode", "booked"))
        == first
    )
    assert HourRollup.objects.count() == hours


def _recount(doctor, first, last):
    """An independent count straight from the source tables, by UTC bounds of the
    doctor's local days (no rollup code)."""
    tz = doctor.tz
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    visits = Appointment.objects.filter(doctor=doctor, start__gte=start, start__lt=end)
    issued = Invoice.objects.filter(
        doctor=doctor,
        issued_at__gte=start,
        issued_at__lt=end,
        status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID],
    )
    return {
        "booked": visits.count(),
        "completed": visits.filter(status=AppointmentStatus.COMPLETED).count(),
        "cancelled": visits.filter(status=AppointmentStatus.CANCELLED).count(),
        "declined": visits.filter(status=AppointmentStatus.DECLINED).count(),
        "pending": visits.filter(status=AppointmentStatus.PENDING).count(),
        "confirmed": visits.filter(status=AppointmentStatus.CONFIRMED).count(),
        "amount_issued": issued.aggregate(s=Sum("total"))["s"] or Decimal(0),
        "tax_issued": issued.aggregate(s=Sum("tax_total"))["s"] or Decimal(0),
        "amount_paid": Invoice.objects.filter(
            doctor=doctor, paid_at__gte=start, paid_at__lt=end, status=InvoiceStatus.PAID
        ).aggregate(s=Sum("total"))["s"]
        or Decimal(0),
        "amount_outstanding": issued.filter(status=InvoiceStatus.ISSUED).aggregate(s=Sum("total"))[
            "s"
        ]
        or Decimal(0),
    }


def test_rollups_follow_bookings_cancellations_completions_and_invoices(
    doctor, django_capture_on_commit_callbacks
):
    """Every change goes through its service; the rollups are kept by the receivers
    alone, and must equal the recount after each step."""
    BillingSettingsFactory()
    visit_type = bookable_consultation(doctor)
    patients = [PatientFactory().user for _ in range(4)]
    today = timezone.now().astimezone(doctor.tz).date()
    first, last = today - dt.timedelta(days=10), today + dt.timedelta(days=10)
    period = Period(first, last)

    def check():
        result = figures(filters=Filters(doctor_id=doctor.pk), period=period)
        expected = _recount(doctor, first, last)
        assert {k: result[k] for k in expected} == expected

    booked = []
    for i, patient in enumerate(patients):
        start = (
            (timezone.now() + dt.timedelta(days=3 + i))
            .astimezone(doctor.tz)
            .replace(hour=10, minute=0, second=0, microsecond=0)
        )
        with django_capture_on_commit_callbacks(execute=True):
            booked.append(
                appointment_services.appointment_book(
                    patient=patient,
                    doctor=doctor,
                    visit_type=visit_type,
                    start=start,
                    mode=Mode.IN_PERSON,
                )
            )
        check()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.appointment_confirm(appointment=booked[0], actor=doctor.user)
        appointment_services.appointment_cancel(
            appointment=booked[1], actor=patients[1], reason="Travelling"
        )
        appointment_services.appointment_decline(
            appointment=booked[2], actor=doctor.user, reason="Not my field"
        )
    check()
    # A visit that took place: confirmed, then completed after it started.
    past = visit(
        doctor,
        (timezone.now() - dt.timedelta(days=2))
        .astimezone(doctor.tz)
        .replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None),
        status=AppointmentStatus.CONFIRMED,
        visit_type=visit_type,
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.appointment_complete(appointment=past, actor=doctor.user)
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
        invoice_mark_paid(invoice=invoice, actor=doctor.user, method="upi")
    check()
    result = figures(filters=Filters(doctor_id=doctor.pk), period=period)
    assert result["paid_upi"] == invoice.total
    assert result["amount_outstanding"] == 0
    assert result["cancelled_by_patient"] == 1


def test_waitlist_offers_made_and_claimed_are_counted(kolkata_doctor):
    from appointments.tests.factories import VisitTypeFactory
    from waitlist.models import WaitlistEntry, WaitlistOffer

    entry = WaitlistEntry.objects.create(
        patient=PatientFactory().user,
        doctor=kolkata_doctor,
        visit_type=VisitTypeFactory(doctor=kolkata_doctor),
        date_from=dt.date(2026, 10, 1),
        date_to=dt.date(2026, 10, 31),
    )
    for n, status in enumerate((OfferStatus.CLAIMED, OfferStatus.EXPIRED)):
        offer = WaitlistOffer.objects.create(
            entry=entry,
            doctor=kolkata_doctor,
            status=status,
            start=dt.datetime(2026, 10, 20, 9 + n, tzinfo=IST),
            end=dt.datetime(2026, 10, 20, 9 + n, 30, tzinfo=IST),
            expires_at=dt.datetime(2026, 10, 10, 10, tzinfo=IST),
        )
        WaitlistOffer.objects.filter(pk=offer.pk).update(
            created_at=dt.datetime(2026, 10, 10, 9, tzinfo=IST)
        )
    rebuild(kolkata_doctor)
    result = figures(filters=Filters(doctor_id=kolkata_doctor.pk), period=OCTOBER)
    assert (result["offers_made"], result["offers_claimed"]) == (2, 1)
