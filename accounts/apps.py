from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # allauth's form for asking a re-authentication code labels its field by its
        # name only; give it a label that follows the reader's language.
        from allauth.account.forms import RequestReauthenticationCodeForm

        RequestReauthenticationCodeForm.base_fields["recipient"].label = _("Send the code to")
