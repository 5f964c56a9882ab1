"""The free slots the assistant offers: read here and nowhere else in the app, so
that a faster source of availability replaces one function."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from directory.selectors import SearchSort, doctor_search


def soonest_free_slots(*, specialization=None, now=None, before=None, limit=3):
    """(doctor, slot) pairs of the soonest free slots, one per verified doctor,
    optionally of one specialization and starting before `before`."""
    page = doctor_search(page=1, sort=SearchSort.NEXT_SLOT, now=now, specialization=specialization)
    found = []
    for doctor in page.object_list:
        slot = doctor.next_slot
        if slot is None or (before is not None and slot.start >= before):
            break  # sorted by next slot: no later doctor has an earlier one
        found.append((doctor, slot))
        if len(found) == limit:
            break
    return found


def booking_url(doctor, slot):
    """The booking page for this slot, as the doctor's public page links it."""
    query = urlencode({"doctor": doctor.pk, "visit_type": slot.visit_type_id, "start": slot.value})
    return f"{reverse('appointments:book')}?{query}"


def search_url(specialization=None, sort=SearchSort.NEXT_SLOT):
    """The doctor search with this specialization chosen, soonest free slot first."""
    params = {"specialization": specialization.slug} if specialization else {}
    params["sort"] = sort
    return f"{reverse('directory:search')}?{urlencode(params)}"


def local_day_end(now, tz=None):
    """Midnight at the end of today, in the person's zone (or the clinic's)."""
    zone = tz or timezone.get_current_timezone()
    today = now.astimezone(zone).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
