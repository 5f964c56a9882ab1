"""collectstatic, skipped when the static sources are what the last run collected.

Collecting copies, hashes and compresses a few thousand files (Bootstrap, the icon
font, the API docs' bundles); on a busy machine that takes a minute. A release, or
the loopback cluster started again, usually brings the same files: their paths,
sizes and modification times, and the storage class, make a stamp kept in
STATIC_ROOT, and an unchanged stamp skips the work.
"""

import hashlib
import os

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

STAMP_NAME = ".sources-stamp"


def static_sources_stamp():
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(ignore):
            stat = os.stat(storage.path(path))
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Run collectstatic (no questions asked) unless the static sources are unchanged "
        "since the last collection into STATIC_ROOT."
    )

    def handle(self, *args, **options):
        stamp_file = settings.STATIC_ROOT / STAMP_NAME
        stamp = static_sources_stamp()
        if stamp_file.exists() and stamp_file.read_text() == stamp:
            if options["verbosity"]:
                self.stdout.write("Static files unchanged since the last collection.")
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp_file.write_text(stamp)
        if options["verbosity"]:
            self.stdout.write(f"Static files collected into {settings.STATIC_ROOT}.")
