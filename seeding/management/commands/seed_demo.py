from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from availability.materialize import roll_forward
from doctors.models import VerificationStatus
from notifications.models import Notification
from seeding.demo import (
    DEMO_PASSWORD,
    DOCTORS,
    PATIENTS,
    STAFF,
    seed_demo_people,
    seed_demo_schedules,
)
from seeding.demo_messages import seed_demo_messages
from seeding.network_demo import seed_demo_network
from seeding.specializations import SPECIALIZATIONS


class Command(BaseCommand):
    help = (
        "Load demo data: specializations, a staff account, verified and pending doctors, "
        "patients. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create demo accounts even though DJANGO_DEBUG is off.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say what would be created."
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Only print the demo logins and where the site is served (make run).",
        )

    def handle(self, *args, allow_production, dry_run, logins=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts with DJANGO_DEBUG off. "
                "Pass --allow-production if you really mean it."
            )
        if logins:
            self.stdout.write(
                self.style.SUCCESS(f"MedConnect is ready at {settings.MEDCONNECT_SITE_URL}/")
            )
            self._print_logins()
            return
        if dry_run:
            self.stdout.write(
                f"Would ensure {len(SPECIALIZATIONS)} specializations, 1 staff account, "
                f"{len(DOCTORS)} doctors and {len(PATIENTS)} patients, with connected doctors "
                "and a referral at each stage."
            )
            return
        with transaction.atomic():
            counts = seed_demo_people()
        started = timezone.now()
        counts.update(seed_demo_schedules())
        counts.update(seed_demo_network())
        counts.update(seed_demo_messages())
        roll_forward()  # a day or more since the last run: the stored free slots catch up
        # The demo's own bookings notify in the app but send no email: the
        # delivery task skips a notice already marked emailed.
        Notification.objects.filter(created_at__gte=started, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created now: {summary})."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  staff            {STAFF[0]}   (Django Admin: /admin/)")
        for email, name, _lic, _sp, _city, _fee, status, _tz in DOCTORS:
            label = "doctor" if status == VerificationStatus.VERIFIED else "doctor (pending)"
            self.stdout.write(f"  {label:<16} {email}   Dr. {name}")
        for email, name, *_ in PATIENTS:
            self.stdout.write(f"  {'patient':<16} {email}   {name}")
