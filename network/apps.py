from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = gettext_lazy("Doctor network")

    def ready(self):
        from appointments.signals import slot_freed, visit_completed

        from .referrals import referral_on_slot_freed, referral_on_visit_completed

        visit_completed.connect(referral_on_visit_completed, dispatch_uid="network.visit_completed")
        slot_freed.connect(referral_on_slot_freed, dispatch_uid="network.slot_freed")
