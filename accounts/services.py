from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import User
from .signals import two_factor_removed


def two_factor_remove(*, user, actor, reason, request=None):
    """Remove every authenticator of `user` (app, recovery codes, keys), for a person
    who lost their device. The reason is kept in the audit trail. Returns how many
    authenticators were removed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why two-factor is removed."})
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        removed, _ = Authenticator.objects.filter(user=user).delete()
        if removed:
            two_factor_removed.send(
                sender=User, user=user, actor=actor, reason=reason, request=request
            )
    return removed
