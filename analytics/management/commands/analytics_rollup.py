import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics.services import rollup_backfill
from doctors.models import DoctorProfile


class Command(BaseCommand):
    help = (
        "Recount the clinic figures' daily rollups of every doctor (or one) for a range of "
        "days: after loading data in bulk, or to check them. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=400, help="Days back from today.")
        parser.add_argument("--doctor", type=int, help="Only this doctor (profile id).")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be done.")

    def handle(self, *args, **opts):
        if not 1 <= opts["days"] <= 3660:
            raise CommandError("--days must be between 1 and 3660.")
        doctors = DoctorProfile.objects.all()
        if opts["doctor"]:
            doctors = doctors.filter(pk=opts["doctor"])
        # A day of margin on both sides covers every doctor's time zone.
        last = timezone.now().date() + dt.timedelta(days=1)
        first = last - dt.timedelta(days=opts["days"] + 1)
        if opts["dry_run"]:
            self.stdout.write(f"Would recount {doctors.count()} doctors from {first} to {last}.")
            return
        count = rollup_backfill(first=first, last=last, doctors=doctors)
        self.stdout.write(f"Recounted {count} doctors from {first} to {last}.")
