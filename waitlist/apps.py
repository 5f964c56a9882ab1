from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitlistConfig(AppConfig):
    name = "waitlist"
    verbose_name = _("Waitlist")

    def ready(self):
        from appointments.signals import slot_freed

        from .tasks import waitlist_slot_freed

        slot_freed.connect(waitlist_slot_freed, dispatch_uid="waitlist.slot_freed")
