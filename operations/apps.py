from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from . import logging, metrics

        logging.connect_task_signals()
        metrics.connect_signals()
