from django import template

from appointments.clock import clock

register = template.Library()


@register.filter
def slot_clock(moment, tz):
    """A slot's start as HH:MM in the doctor's zone, with the offset's abbreviation
    when that time happens twice (a fall-back night)."""
    return clock(moment, tz) if moment else ""
