from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from accounts.signals import two_factor_removed

        from .receivers import record_two_factor_removed

        two_factor_removed.connect(record_two_factor_removed, dispatch_uid="audit.two_factor")
