from contextlib import nullcontext
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .languages import in_language_of


def clinic_site():
    """How account emails name the sender: the clinic, not the host the server runs on."""
    return SimpleNamespace(
        name=settings.MEDCONNECT_CLINIC_NAME,
        domain=urlsplit(settings.MEDCONNECT_SITE_URL).netloc,
    )


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", user.full_name or "").strip()
        # The language picked on the form, else the one the page was read in.
        language = form.cleaned_data.get("language") or translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        # An account email reads in its recipient's saved language, whoever's page
        # asked for it; to an address with no account, in the language of that page.
        recipient = context.get("user") or next(iter(filter_users_by_email(email)), None)
        context = {**context, "current_site": clinic_site(), "user": recipient}
        with in_language_of(recipient) if recipient else nullcontext():
            return super().send_mail(template_prefix, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # A notice may go to an address the account no longer has (the old one,
        # after a change): name the account so that it still reads in its language.
        return super().send_notification_mail(
            template_prefix, user, {**(context or {}), "user": user}, email
        )

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or reverse("accounts:dashboard")

    # Accounts have no phone number. allauth's headless API still routes its phone
    # endpoints, and the default adapter answers them with NotImplementedError (a 500).
    def get_phone(self, user):
        return None

    def get_user_by_phone(self, phone):
        return None
