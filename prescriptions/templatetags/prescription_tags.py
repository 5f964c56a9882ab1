"""The prescriptions of an appointment for its page, which the appointments app shows
without importing prescriptions (it sits below them)."""

from django import template

from prescriptions.access import prescriptions_for_appointment

register = template.Library()


@register.simple_tag(takes_context=True)
def appointment_prescriptions(context, appointment):
    """The appointment's prescriptions the viewer may see: its patient and doctors."""
    return list(prescriptions_for_appointment(context["request"].user, appointment))
