from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    """Demo and load-test data (`seed_demo`, `seed_scale`). It sits above every other
    app: it may import any of them, and none imports it."""

    name = "seeding"
    verbose_name = _("Seeding")
