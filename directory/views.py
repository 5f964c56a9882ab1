"""The doctor directory: search and a doctor's public page, whose main content is
kept rendered in the shared cache until it would change (page_cache)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from appointments.clock import clock
from appointments.selectors import BOOKING_WINDOW_DAYS, doctor_public_get

from . import page_cache
from .forms import CalendarForm, DoctorSearchForm
from .selectors import (
    doctor_calendars,
    doctor_free_slots,
    doctor_search,
    search_city_choices,
    slot_list_valid_until,
    visit_type_calendar,
)

# The search parameters a search page depends on: the filters and the page number.
SEARCH_PARAMETERS = frozenset([*DoctorSearchForm.base_fields, "page"])


def _search_content(query, *, partial, key, stamp):
    """The rendered results (or, for a whole page, filters and results) of a search."""
    now = timezone.now()
    form = DoctorSearchForm(query or None)
    valid = not form.is_bound or form.is_valid()  # invalid filters are dropped, and shown
    page = doctor_search(
        page=query.get("page"), sort=form.sort_value(), now=now, **form.search_filters()
    )
    params = query.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query_string": params.urlencode(), "partial": partial}
    if partial:
        html = render_to_string("directory/_search_results.html", context)
    else:
        context["cities"] = search_city_choices()
        html = render_to_string("directory/_search_page.html", context)
    if key and valid:
        page_cache.put(
            key,
            html,
            stamp=stamp,
            versions=page.schedule_versions,
            until=page.valid_until,
            now=now,
        )
    return html


@login_not_required
@require_GET
def search(request):
    partial = bool(request.htmx)  # the filters changed in place: only the results
    key = content = stamp = None
    if page_cache.enabled():
        items = [
            (name, value)
            for name, values in request.GET.lists()
            if name in SEARCH_PARAMETERS
            for value in values
        ]
        key = page_cache.search_key(items, partial=partial)
        content, stamp = page_cache.lookup(key)
    if content is None:
        content = _search_content(request.GET, partial=partial, key=key, stamp=stamp)
    if partial:
        return HttpResponse(content)
    return render(request, "directory/search.html", {"content": mark_safe(content)})


def _calendar_links(doctor, calendar):
    """Each day's booking links and local times, built once here for the template."""
    book_url = reverse("appointments:book")
    prefix = f"{book_url}?doctor={doctor.pk}&visit_type={calendar.visit_type.pk}&start="
    tz = doctor.tz
    for day in calendar.days:
        day.links = [
            (
                prefix + quote(slot.value, safe="/"),
                clock(slot.start, tz),
                slot.modes[0] if len(slot.modes) == 1 else "",
            )
            for slot in day.slots
        ]
    return calendar


def _doctor_content(pk, *, waitlist_link, key, stamp):
    """(title, rendered main content) of a doctor's public page; 404 if not public."""
    now = timezone.now()
    doctor = doctor_public_get(pk)
    if doctor is None:
        raise Http404("No such doctor.")
    visit_types = list(doctor.visit_types.for_patients())
    visit_type_slots = doctor_free_slots(doctor=doctor, now=now, visit_types=visit_types)
    title = doctor.user.display_name
    html = render_to_string(
        "directory/_doctor_page.html",
        {
            "doctor": doctor,
            "visit_types": visit_types,
            "calendars": [
                _calendar_links(doctor, calendar)
                for calendar in doctor_calendars(
                    doctor=doctor, visit_type_slots=visit_type_slots, now=now
                )
            ],
            "window_days": BOOKING_WINDOW_DAYS,
            "waitlist_link": waitlist_link,
        },
    )
    if key:
        until = slot_list_valid_until(doctor=doctor, visit_type_slots=visit_type_slots, now=now)
        page_cache.put(key, (title, html), stamp=stamp, until=until, now=now)
    return title, html


def doctor_page_content(pk, *, waitlist_link=True):
    """(title, main content) of a doctor's page, from the cache when it holds it."""
    key = entry = stamp = None
    if page_cache.enabled():
        key = page_cache.doctor_key(pk, waitlist_link=waitlist_link)
        entry, stamp = page_cache.lookup(key, [pk])  # the versions, before the database
    if entry is None:
        entry = _doctor_content(pk, waitlist_link=waitlist_link, key=key, stamp=stamp)
    return entry


@login_not_required
@require_GET
def doctor_detail(request, pk):
    # Doctors and staff do not join waitlists; everyone else sees the same page.
    user = request.user
    waitlist_link = not (user.is_authenticated and user.role in (Role.DOCTOR, Role.STAFF))
    title, content = doctor_page_content(pk, waitlist_link=waitlist_link)
    context = {"title": title, "content": mark_safe(content)}
    return render(request, "directory/doctor_detail.html", context)


@login_not_required
@require_GET
def doctor_calendar(request, pk, visit_type):
    """One visit type's strip of days on a doctor's page, moved forward or back (htmx);
    without htmx, a page of its own."""
    doctor = doctor_public_get(pk)
    if doctor is None:
        raise Http404("No such doctor.")
    chosen = doctor.visit_types.filter(pk=visit_type, is_active=True).first()
    if chosen is None:
        raise Http404("No such visit type.")
    now = timezone.now()
    form = CalendarForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a date as YYYY-MM-DD."))
    start = form.cleaned_data["start"] or now.astimezone(doctor.tz).date()
    calendar = visit_type_calendar(doctor=doctor, visit_type=chosen, start=start, now=now)
    context = {"doctor": doctor, "calendar": _calendar_links(doctor, calendar)}
    if request.htmx:
        return render(request, "directory/_calendar.html", context)
    return render(request, "directory/doctor_calendar.html", context)
