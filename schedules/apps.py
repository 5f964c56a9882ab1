from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = gettext_lazy("Schedule settings")
