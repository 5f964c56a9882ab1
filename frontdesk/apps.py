from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FrontDeskConfig(AppConfig):
    name = "frontdesk"
    verbose_name = gettext_lazy("Front desk")
