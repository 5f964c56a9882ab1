from django_tasks import task

from .grants import referral_expire_grants


@task()
def expire_referral_grants():
    """End the referral grants whose time is up (enqueued for each grant's expiry)."""
    return referral_expire_grants()
