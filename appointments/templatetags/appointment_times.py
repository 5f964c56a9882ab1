"""Times of a visit in the viewer's own zone, beside the doctor's."""

from django import template
from django.utils.translation import gettext as _

from accounts.timezones import viewer_time_zone

register = template.Library()


@register.simple_tag(takes_context=True)
def your_time(context, moment, doctor, fmt="H:i"):
    """ "14:30 your time (Asia/Kolkata)" when the viewer's zone is not the doctor's, else "".
    {% your_time appointment.start appointment.doctor %}"""
    from django.utils.dateformat import format as date_format

    request = context.get("request")
    zone = viewer_time_zone(request) if request is not None else None
    if zone is None or moment is None or zone.key == doctor.time_zone:
        return ""
    return _("%(time)s your time (%(zone)s)") % {
        "time": date_format(moment.astimezone(zone), fmt),
        "zone": zone.key,
    }
