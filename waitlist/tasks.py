"""Waitlist background work, and the receiver of appointments' slot_freed.

The services enqueue these tasks and the tasks run the services: each module
imports the other as a module, so neither needs the other's names at import time."""

import datetime as dt

from django.db import transaction
from django_tasks import task

from . import services


@task()
def offer_freed_slots(doctor_id, date_from, date_to):
    offers = services.waitlist_offer_freed_slots(
        doctor_id=doctor_id,
        date_from=dt.date.fromisoformat(date_from),
        date_to=dt.date.fromisoformat(date_to),
    )
    return len(offers)


@task()
def expire_waitlist_offer(offer_id):
    return services.waitlist_offer_expire(offer_id=offer_id)


def waitlist_slot_freed(sender=None, *, doctor, start, end, **kwargs):
    """Time of a doctor between start and end became free: once the change commits,
    offer it to the waiting patients."""
    tz = doctor.tz
    date_from = start.astimezone(tz).date().isoformat()
    date_to = end.astimezone(tz).date().isoformat()
    doctor_id = doctor.pk
    transaction.on_commit(lambda: offer_freed_slots.enqueue(doctor_id, date_from, date_to))


@task()
def expire_due_offers():
    """The periodic sweep (MEDCONNECT_PERIODIC_JOBS): offers past their window move on."""
    return services.waitlist_expire_due()
