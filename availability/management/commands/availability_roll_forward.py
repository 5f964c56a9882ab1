from django.core.management.base import BaseCommand

from availability.materialize import roll_forward


class Command(BaseCommand):
    help = (
        "Bring the stored free slots up to now: drop past days, lay out new ones, renew "
        "next free slots about to run out (the scheduler runs this every few minutes)."
    )

    def handle(self, *args, **options):
        rolled, built = roll_forward()
        self.stdout.write(f"Rolled {rolled} doctors forward; laid out {built} new ones.")
