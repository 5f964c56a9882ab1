from django.core.management.base import BaseCommand
from django.utils import timezone

from waitlist.models import WaitlistOffer
from waitlist.services import waitlist_expire_due


class Command(BaseCommand):
    help = (
        "Expire waitlist offers whose claim window has passed and offer their slots to the "
        "next waiting patients. A safety net next to the worker; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due without changing anything."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            due = WaitlistOffer.objects.open().filter(expires_at__lte=now).count()
            self.stdout.write(f"{due} waitlist offer(s) past their claim window (dry run).")
            return
        expired = waitlist_expire_due(now=now)
        self.stdout.write(f"Expired {expired} waitlist offer(s); their slots were offered on.")
