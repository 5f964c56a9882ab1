from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        from appointments.signals import visit_completed

        from .services import invoice_draft_on_completion

        visit_completed.connect(invoice_draft_on_completion, dispatch_uid="billing.visit_completed")
