from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Doctor directory"

    def ready(self):
        from . import page_cache

        page_cache.connect_signals()
