from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records")

    def ready(self):
        from prescriptions.safety import set_allergy_source

        from .selectors import active_allergy_list

        # Prescribing is checked against the allergies kept here (prescriptions/safety.py).
        set_allergy_source(active_allergy_list)
