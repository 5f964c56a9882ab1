from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("REST API")

    def ready(self):
        # Registers the OpenAPI description of the X-Session-Token authentication.
        from . import schema  # noqa: F401
