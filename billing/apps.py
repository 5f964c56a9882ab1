from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from appointments.signals import visit_completed

        from .services import invoice_draft_on_completion

        visit_completed.connect(invoice_draft_on_completion, dispatch_uid="billing.visit_completed")
