from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Clinic analytics")

    def ready(self):
        from . import receivers

        receivers.connect()
