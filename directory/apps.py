from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = gettext_lazy("Doctor directory")

    def ready(self):
        from . import page_cache

        page_cache.connect_signals()
