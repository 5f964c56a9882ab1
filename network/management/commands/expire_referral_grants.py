from django.core.management.base import BaseCommand
from django.utils import timezone

from network.grants import referral_expire_grants
from network.models import Referral


class Command(BaseCommand):
    help = (
        "End the referral grants whose time is up (the set days after a referral closed). "
        "Safe to run at any time, e.g. from cron; a task also runs at each expiry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due.")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            due = Referral.objects.filter(
                grant_expires_at__lte=timezone.now(),
                grant_revoked_at__isnull=True,
                grant_ended_at__isnull=True,
            ).count()
            self.stdout.write(f"{due} referral grant(s) would expire.")
            return
        self.stdout.write(f"{referral_expire_grants()} referral grant(s) expired.")
