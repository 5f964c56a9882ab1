"""Billing reads: clinic settings, effective fees, bill lists and totals."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from doctors.models import DoctorProfile

from .models import BillingSettings, FeeSchedule, Invoice, InvoiceStatus, LineKind


def billing_settings_get():
    """The clinic's billing settings row, created with the defaults on first use."""
    settings_row, _ = BillingSettings.objects.get_or_create(
        pk=BillingSettings.SINGLETON_PK,
        defaults={"clinic_name": settings.MEDCONNECT_CLINIC_NAME},
    )
    return settings_row


def consultation_fee_for(doctor):
    """The consultation fee patients see before booking and that the visit is billed at.

    It is `DoctorProfile.consultation_fee` itself (see the models docstring).
    """
    return doctor.consultation_fee


@dataclass(frozen=True)
class EffectiveFee:
    amount: Decimal
    is_default: bool  # True when the clinic default applies


def fee_schedule_for(doctor, *, clinic=None):
    """Each line kind's fee for this doctor: the doctor's own, or the clinic default."""
    clinic = clinic or billing_settings_get()
    try:
        schedule = doctor.fee_schedule
    except FeeSchedule.DoesNotExist:
        schedule = None
    fees = {LineKind.CONSULTATION: EffectiveFee(consultation_fee_for(doctor), False)}
    for kind, field in (
        (LineKind.LAB_TEST, "lab_test_fee"),
        (LineKind.MEDICATION, "medication_fee"),
        (LineKind.OTHER, "other_fee"),
    ):
        own = getattr(schedule, field) if schedule else None
        if own is None:
            fees[kind] = EffectiveFee(getattr(clinic, f"default_{field}"), True)
        else:
            fees[kind] = EffectiveFee(own, False)
    return fees


@dataclass(frozen=True)
class BillingTotals:
    outstanding_count: int
    outstanding_amount: Decimal
    paid_count: int
    paid_amount: Decimal
    draft_count: int


def billing_totals(invoices):
    """Outstanding (issued, unpaid) and paid totals of a queryset, in one query."""
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
    row = invoices.order_by().aggregate(
        outstanding_count=Count("id", filter=Q(status=InvoiceStatus.ISSUED)),
        outstanding_amount=Coalesce(Sum("total", filter=Q(status=InvoiceStatus.ISSUED)), zero),
        paid_count=Count("id", filter=Q(status=InvoiceStatus.PAID)),
        paid_amount=Coalesce(Sum("total", filter=Q(status=InvoiceStatus.PAID)), zero),
        draft_count=Count("id", filter=Q(status=InvoiceStatus.DRAFT)),
    )
    return BillingTotals(**row)


def invoices_for_biller(user):
    """Invoices a doctor (their own, while verified) or staff (all) may list."""
    if user.is_clinic_staff:
        return Invoice.objects.all()
    if user.is_doctor:
        return Invoice.objects.filter(doctor__in=DoctorProfile.objects.verified().filter(user=user))
    return Invoice.objects.none()
