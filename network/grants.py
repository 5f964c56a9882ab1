"""The specialist's grant through a referral: django-guardian view permissions on
exactly the shared consultation records, prescriptions and documents, given when the
patient agrees and taken away when the grant ends (revoked, expired, declined,
cancelled). The network's own pages check the referral's grant window on every
request as well, so access ends at the exact moment even before the sweep runs.
"""

from django.db import transaction
from django.utils import timezone

from records.grants import records_grant_view, records_revoke_doctor_access

from .models import Referral, ReferralEventKind
from .services import referral_event_record


def _items_objects(referral):
    for item in referral.items.select_related("record", "prescription", "document"):
        obj = item.record or item.prescription or item.document
        if obj is not None:
            yield obj


def grant_assign(referral):
    """Give the specialist view permission on each shared object."""
    user = referral.specialist.user
    for obj in _items_objects(referral):
        records_grant_view(user=user, obj=obj)


def grant_withdraw(referral, now=None):
    """Take away the specialist's permissions on the patient's record, then give back
    those that another active referral of the same patient to them still holds. (What
    they wrote or uploaded themselves stays theirs by rule, not by permission.)"""
    user = referral.specialist.user
    records_revoke_doctor_access(doctor_user=user, patient=referral.patient)
    still_active = (
        Referral.objects.grant_active(now)
        .filter(specialist=referral.specialist, patient=referral.patient)
        .exclude(pk=referral.pk)
    )
    for other in still_active:
        grant_assign(other)


def referral_expire_grants(*, now=None):
    """End every grant whose time is up (closed more than the set days ago): the sweep
    run by `manage.py expire_referral_grants` and by a task at each expiry time."""
    now = now or timezone.now()
    expired = 0
    due = Referral.objects.filter(
        grant_expires_at__lte=now, grant_revoked_at__isnull=True, grant_ended_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=pk)
            if referral.grant_ended_at is not None or referral.grant_revoked_at is not None:
                continue
            referral.grant_ended_at = now
            referral.save(update_fields=["grant_ended_at", "updated_at"])
            grant_withdraw(referral, now)
            referral_event_record(
                referral=referral, kind=ReferralEventKind.GRANT_EXPIRED, actor=None
            )
            expired += 1
    return expired
