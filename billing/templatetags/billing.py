from django import template

from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from billing import money
from billing.models import Invoice, InvoiceStatus
from billing.selectors import billing_settings_get, consultation_fee_for

register = template.Library()


@register.filter
def money_format(amount, currency="INR"):
    """{{ invoice.total|money_format:invoice.currency }} -> '₹1,180.00'."""
    if amount is None or amount == "":
        return ""
    return money.display_amount(amount, currency or "INR")


@register.simple_tag
def consultation_fee(doctor, currency=None):
    """{% consultation_fee doctor %} -> '₹500.00', the fee a consultation is billed at.

    Without a currency it reads the clinic's (one query); pass it in lists.
    """
    return money.display_amount(
        consultation_fee_for(doctor), currency or billing_settings_get().currency
    )


@register.simple_tag
def unbilled_visits(doctor, limit=8):
    """The doctor's completed visits with no issued or paid invoice yet, oldest first."""
    return list(
        Appointment.objects.filter(doctor=doctor, status=AppointmentStatus.COMPLETED)
        .exclude(kind=AppointmentKind.COLLEAGUE)  # a case discussion is never billed
        .exclude(invoices__status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID])
        .select_related("patient", "visit_type")
        .order_by("start", "pk")[:limit]
    )


@register.simple_tag
def appointment_invoice(appointment):
    """The live invoice of a visit, or None: the appointment page shows its state."""
    return Invoice.objects.filter(appointment=appointment).live().order_by("-pk").first()
