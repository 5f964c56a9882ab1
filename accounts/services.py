from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User
from .signals import two_factor_removed


def two_factor_remove(*, user, actor, reason, request=None):
    """Remove every authenticator of `user` (app, recovery codes, keys), for a person
    who lost their device. The reason is kept in the audit trail. Returns how many
    authenticators were removed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why two-factor is removed.")})
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        removed, _details = Authenticator.objects.filter(user=user).delete()
        if removed:
            two_factor_removed.send(
                sender=User, user=user, actor=actor, reason=reason, request=request
            )
    return removed


def user_language_set(*, user, language):
    """Save the language `user` reads MedConnect in (pages, emails, notices, PDFs)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
