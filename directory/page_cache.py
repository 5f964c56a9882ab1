"""The rendered content of the public directory pages, kept in the shared cache.

The doctor search and a doctor's page are what most visitors open and what changes
least, so their main content is rendered once and reused until it would change:

- Every entry is stored under the *directory version*, which is replaced (after the
  commit) whenever something that decides who is listed or what their profile says
  changes: a doctor profile, a doctor's account, specializations, weekly windows,
  visit types (see `connect_signals`).
- An entry also remembers the *schedule version* of every doctor whose free slots
  it shows or sorts by (slots.schedule_version, replaced on every booking, status
  change and schedule setting). A hit is used only if all of them are unchanged.
- And it holds no longer than its free slots stay right as time passes (a slot
  falling inside its minimum notice, a new local day), never past
  CONTENT_MAX_SECONDS.

Versions are read before the database (with the entry, in one round trip where the
doctors are known), so a change that commits while an entry is
being computed leaves that entry stale, never wrong. Only the page's main content is
kept: the frame around it (navigation, messages, CSRF token) is rendered for each
request. Without a shared cache (MEDCONNECT_SLOT_CACHE_SECONDS = 0) nothing is kept.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import User
from appointments.models import AvailabilityRule, VisitType
from appointments.slots import GENERATION_KEY, many_schedule_versions, version_key
from doctors.models import DoctorProfile, Specialization

DIRECTORY_VERSION_KEY = "appointments:directory-version"
# The versions of a page that depends on every doctor's schedule (a search sorted by
# next free slot): it holds only while no schedule changed anywhere.
EVERY_SCHEDULE = "every"
CONTENT_MAX_SECONDS = 600


def enabled():
    return bool(getattr(settings, "MEDCONNECT_SLOT_CACHE_SECONDS", 0))


def directory_version():
    return cache.get_or_set(DIRECTORY_VERSION_KEY, time.time_ns, None)


def directory_changed():
    """Forget every cached directory page once the current transaction commits."""
    if enabled():
        transaction.on_commit(lambda: cache.set(DIRECTORY_VERSION_KEY, time.time_ns(), None))


def _seconds_until(until, now):
    return max(0, min(int((until - now).total_seconds()), CONTENT_MAX_SECONDS))


def _current(found, key):
    """A version read with the entry, or a fresh one if the cache lost it."""
    value = found.get(key)
    if value is None:
        value = cache.get_or_set(key, time.time_ns, None)
    return value


def lookup(key, doctor_ids=()):
    """(content or None, stamp) for the entry under `key`.

    One cache round trip for a doctor's page (its doctor is known) and for a search
    when no schedule anywhere changed since it was stored; otherwise a second one
    reads the schedule versions of the doctors it shows, and if none of theirs
    changed the entry is kept, restamped. `stamp` holds the directory version, the
    schedule generation and the schedule versions of `doctor_ids` as read now, before
    any database read: pass it to `put` with what was computed.
    """
    keys = {pk: version_key(pk) for pk in doctor_ids}
    found = cache.get_many([DIRECTORY_VERSION_KEY, GENERATION_KEY, key, *keys.values()])
    directory = _current(found, DIRECTORY_VERSION_KEY)
    generation = _current(found, GENERATION_KEY)
    known = {pk: found[k] for pk, k in keys.items() if k in found}
    if len(known) < len(keys):
        known.update(many_schedule_versions([pk for pk in keys if pk not in known]))
    stamp = (directory, generation, known)
    entry = found.get(key)
    if entry is None:
        return None, stamp
    content, entry_directory, entry_generation, versions, until = entry
    now = timezone.now()
    if entry_directory != directory or now >= until:
        return None, stamp
    if entry_generation == generation:
        return content, stamp  # no schedule changed anywhere since
    if versions == EVERY_SCHEDULE:
        return None, stamp  # sorted by every listed doctor's next slot: one changed
    current = {pk: known[pk] for pk in versions if pk in known}
    fetched = len(current) < len(versions)
    if fetched:
        current.update(many_schedule_versions([pk for pk in versions if pk not in current]))
    if current != versions:
        return None, stamp
    if fetched:
        # Other doctors' schedules changed, not these: still right, and now known to
        # be, so the next visitor is answered in one round trip again.
        put(key, content, stamp=stamp, versions=versions, until=until, now=now)
    return content, stamp


def put(key, content, *, stamp, versions=None, until, now):
    """Keep `content`, computed after `stamp` was read, until `until` at the latest.

    `versions`: the schedule versions it depends on, if not those of the stamp (a
    search learns which doctors it shows only while computing)."""
    directory, generation, stamped_versions = stamp
    seconds = _seconds_until(until, now)
    if seconds > 0:
        versions = stamped_versions if versions is None else versions
        cache.set(key, (content, directory, generation, versions, until), seconds)


def search_key(query_items, *, partial):
    """The key of a search page's content: the exact query, whole page or results only,
    in the language of the request (each language has its own rendering)."""
    query = "&".join(f"{name}={value}" for name, value in sorted(query_items))
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"directory:search-page:{get_language()}:{int(partial)}:{digest}"


def doctor_key(doctor_id, *, waitlist_link):
    return f"appointments:doctor-page:{get_language()}:{doctor_id}:{int(waitlist_link)}"


# What decides who is listed and what their public profile says.
def _doctor_account_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    if getattr(instance, "role", None) == "doctor":
        directory_changed()


def _changed(sender, **kwargs):
    directory_changed()


def connect_signals():
    uid = "directory.page_cache"
    for model in (DoctorProfile, Specialization, AvailabilityRule, VisitType):
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    m2m_changed.connect(
        _changed, sender=DoctorProfile.specializations.through, dispatch_uid=f"{uid}.m2m"
    )
    post_save.connect(_doctor_account_saved, sender=User, dispatch_uid=f"{uid}.user")
