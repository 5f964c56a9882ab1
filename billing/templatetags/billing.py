from django import template

from billing import money
from billing.selectors import billing_settings_get, consultation_fee_for

register = template.Library()


@register.filter
def money_format(amount, currency="INR"):
    """{{ invoice.total|money_format:invoice.currency }} -> 'INR 1,180.00'."""
    if amount is None or amount == "":
        return ""
    return money.format_amount(amount, currency or "INR")


@register.simple_tag
def consultation_fee(doctor, currency=None):
    """{% consultation_fee doctor %} -> 'INR 500.00', the fee a consultation is billed at.

    Without a currency it reads the clinic's (one query); pass it in lists.
    """
    return money.format_amount(
        consultation_fee_for(doctor), currency or billing_settings_get().currency
    )
