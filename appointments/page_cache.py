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

Versions are read before the database, so a change that commits while an entry is
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

from .slots import many_schedule_versions

DIRECTORY_VERSION_KEY = "appointments:directory-version"
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


def get(key):
    """The content stored under `key` if every doctor it depends on is unchanged and it
    has not run out, else None."""
    entry = cache.get(key)
    if entry is None:
        return None
    content, versions, until = entry
    if timezone.now() >= until:
        return None
    if versions and many_schedule_versions(list(versions)) != versions:
        return None
    return content


def put(key, content, *, versions, until, now):
    """Keep `content` (computed under `versions`, read before the computation) until
    `until` at the latest."""
    seconds = _seconds_until(until, now)
    if seconds > 0:
        cache.set(key, (content, versions, until), seconds)


def search_key(query_items, *, partial):
    """The key of a search page's content: the directory version and the exact query."""
    query = "&".join(f"{name}={value}" for name, value in sorted(query_items))
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"appointments:search-page:{directory_version()}:{int(partial)}:{digest}"


def doctor_key(doctor_id, *, waitlist_link):
    return f"appointments:doctor-page:{directory_version()}:{doctor_id}:{int(waitlist_link)}"


# What decides who is listed and what their public profile says.
def _doctor_account_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    if getattr(instance, "role", None) == "doctor":
        directory_changed()


def _changed(sender, **kwargs):
    directory_changed()


def connect_signals():
    from accounts.models import User
    from doctors.models import DoctorProfile, Specialization

    from .models import AvailabilityRule, VisitType

    uid = "appointments.page_cache"
    for model in (DoctorProfile, Specialization, AvailabilityRule, VisitType):
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    m2m_changed.connect(
        _changed, sender=DoctorProfile.specializations.through, dispatch_uid=f"{uid}.m2m"
    )
    post_save.connect(_doctor_account_saved, sender=User, dispatch_uid=f"{uid}.user")
