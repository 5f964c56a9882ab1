"""`manage.py seed_scale`: a clinic at scale, for load tests and query plans.

The rows are made in `seeding.scale`; this command checks its options, refuses to
mix with existing data unless told to empty the database, and reports what it wrote.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from appointments.models import Appointment
from availability.materialize import doctor_rebuild
from doctors.models import DoctorProfile
from seeding.scale.people import EMAIL_DOMAIN, PASSWORD
from seeding.scale.run import ScaleRun, finish_scale, seed_scale


class Command(BaseCommand):
    help = (
        "Fill the database with a clinic at scale (doctors with schedules, patients with "
        "history, appointments past and future in every status, records, prescriptions, "
        "invoices, connections and referrals, message threads) for load tests. Refuses to "
        "run when seeded data exists unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--doctors", type=int, default=200)
        parser.add_argument("--patients", type=int, default=5000)
        parser.add_argument("--appointments", type=int, default=50_000)
        parser.add_argument(
            "--past-days", type=int, default=365, help="How far back visits go (default 365)."
        )
        parser.add_argument(
            "--future-days", type=int, default=45, help="How far ahead visits go (default 45)."
        )
        parser.add_argument(
            "--referrals",
            type=int,
            default=2000,
            help="Referrals between connected doctors, at every stage (default 2000).",
        )
        parser.add_argument(
            "--message-threads",
            type=int,
            default=1000,
            help="Message threads (1 to 40 messages each, one of 1,000; default 1000).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty EVERY table of the database first (manage.py flush): bench databases only.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be made.")

    def handle(self, *args, **opts):
        for name in ("doctors", "patients"):
            if opts[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if opts["appointments"] < 0 or opts["referrals"] < 0:
            raise CommandError("--appointments and --referrals cannot be negative.")
        seeded = (
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()
            or Appointment.objects.exists()
        )
        if opts["dry_run"]:
            verb = "empty the database, then create" if opts["reset"] else "create"
            self.stdout.write(
                f"Would {verb} {opts['doctors']} doctors, {opts['patients']} patients and about "
                f"{opts['appointments']} appointments on {connection.vendor}"
                + (" (data exists: would refuse without --reset)." if seeded else ".")
            )
            return
        if seeded and not opts["reset"]:
            raise CommandError(
                "Appointments or seeded accounts exist already; pass --reset to empty the "
                "database first (every table) or use a fresh database."
            )
        started = time.monotonic()
        if opts["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(f"Database emptied ({time.monotonic() - started:.1f}s).")
        run = ScaleRun(seed=opts["seed"], batch_size=opts["batch_size"])
        self._seed(run, opts)
        self._report(run, started)

    def _seed(self, run, opts):
        short = seed_scale(
            run,
            doctors=opts["doctors"],
            patients=opts["patients"],
            appointments=opts["appointments"],
            past_days=opts["past_days"],
            future_days=opts["future_days"],
            referrals=opts["referrals"],
            message_threads=opts["message_threads"],
        )
        if short:
            self.stdout.write(
                self.style.WARNING(
                    f"{short:,} appointments fewer than asked: the doctors' windows over "
                    f"{opts['past_days']} + {opts['future_days']} days have no more room "
                    "(raise --past-days)."
                )
            )
        finish = time.monotonic()
        finish_scale(run)
        self.stdout.write(f"Counters, sequences and statistics ({time.monotonic() - finish:.1f}s).")
        # The rows above were written past the services: lay out the free slots.
        started = time.monotonic()
        ids = list(DoctorProfile.objects.order_by("pk").values_list("pk", flat=True))
        slots = sum(doctor_rebuild(doctor_id=pk) for pk in ids)
        self.stdout.write(f"{slots:,} free slots laid out ({time.monotonic() - started:.1f}s).")

    def _report(self, run, started):
        elapsed = time.monotonic() - started
        counts, seconds = run.writer.counts, run.writer.seconds
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label:<40} {count:>10,} rows  {seconds[label]:6.1f}s writing")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {sum(counts.values()):,} rows in {elapsed:.1f}s on {connection.vendor}. "
                f"Every account's password: {PASSWORD}"
            )
        )
