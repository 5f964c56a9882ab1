"""Appointments in people's calendars: the "Add to calendar" file and the private feed."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from notifications.calendar import PUBLISH
from notifications.selectors import calendar_feed_get

from .access import get_appointment_for_user
from .calendar import appointment_ics, feed_ics
from .selectors import calendar_feed_appointments


@require_GET
def appointment_ics_download(request, pk):
    appointment = get_appointment_for_user(request, pk)
    ics = appointment_ics(appointment, method=PUBLISH, viewer=request.user)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


@login_not_required
@require_GET
def calendar_feed(request, token):
    # Calendar apps cannot sign in: the secret in the URL is the credential.
    feed = calendar_feed_get(token)
    if feed is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    appointments = calendar_feed_appointments(user=feed.user, now=now)
    ics = feed_ics(appointments, viewer=feed.user, now=now)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
