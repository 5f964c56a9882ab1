"""Fill the shared cache with every verified doctor's next free slot and public page.

Run after a deploy, after a cache flush, and from cron every few minutes: entries that
are still right are skipped, so a run over a warm cache costs little. Visitors then
find the doctor search and doctors' pages already computed; a booking or schedule
change replaces only that doctor's entries (see directory/page_cache.py).
"""

import time

from django.core.management.base import BaseCommand

from availability.selectors import next_free_slots_until
from directory import page_cache
from directory.views import doctor_page_content
from doctors.models import DoctorProfile

CHUNK = 200


class Command(BaseCommand):
    help = "Compute every verified doctor's next free slot and public page into the cache."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="Only the first N doctors (by id)."
        )

    def handle(self, *args, limit=None, **options):
        if not page_cache.enabled():
            self.stdout.write("The slot cache is off (no shared cache configured): nothing to do.")
            return
        started = time.monotonic()
        ids = list(DoctorProfile.objects.verified().order_by("pk").values_list("pk", flat=True))
        ids = ids[:limit] if limit is not None else ids
        with_slot = 0
        for offset in range(0, len(ids), CHUNK):
            chunk = ids[offset : offset + CHUNK]
            found = next_free_slots_until(doctors=chunk)
            with_slot += sum(1 for slot, _until in found.values() if slot is not None)
            for pk in chunk:
                doctor_page_content(pk)
        self.stdout.write(
            f"Warmed {len(ids)} doctors ({with_slot} with a free slot in the next 14 days) "
            f"in {time.monotonic() - started:.1f} s."
        )
