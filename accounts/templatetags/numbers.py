"""{% load numbers %}{{ count|indian_number }} -> '1,23,456': counts and amounts on pages
grouped as people in India read them, in every language (printing.numbers)."""

from django import template

from printing.numbers import indian_number as _indian_number

register = template.Library()


@register.filter
def indian_number(value, places=None):
    """{{ 123456|indian_number }} -> '1,23,456'; {{ 1234.5|indian_number:2 }} -> '1,234.50'."""
    if value is None or value == "":
        return ""
    try:
        return _indian_number(value, int(places) if places not in (None, "") else None)
    except (ValueError, ArithmeticError):
        return value
