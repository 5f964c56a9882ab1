from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records"

    def ready(self):
        from prescriptions.safety import set_allergy_source

        from .selectors import active_allergy_list

        # Prescribing is checked against the allergies kept here (prescriptions/safety.py).
        set_allergy_source(active_allergy_list)
