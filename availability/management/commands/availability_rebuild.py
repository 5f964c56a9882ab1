import time

from django.core.management.base import BaseCommand, CommandError

from availability.materialize import doctor_rebuild, materialized_days
from doctors.models import DoctorProfile


class Command(BaseCommand):
    help = (
        "Lay out the stored free slots of every doctor (or of --doctor) again from the "
        "slot engine. Needed only after loading data past the services (a restore, a "
        "bulk import); every change made through MedConnect keeps them current."
    )

    def add_arguments(self, parser):
        parser.add_argument("--doctor", type=int, action="append", help="A doctor's id.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done.")

    def handle(self, *args, doctor=None, dry_run=False, **options):
        doctors = DoctorProfile.objects.order_by("pk")
        if doctor:
            doctors = doctors.filter(pk__in=doctor)
            missing = set(doctor) - set(doctors.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No doctor with id {', '.join(map(str, sorted(missing)))}.")
        ids = list(doctors.values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(
                f"Would lay out {materialized_days()} days of free slots for {len(ids)} doctors."
            )
            return
        started = time.monotonic()
        slots = sum(doctor_rebuild(doctor_id=pk) for pk in ids)
        self.stdout.write(
            f"Laid out {slots:,} free slots of {len(ids):,} doctors over "
            f"{materialized_days()} days in {time.monotonic() - started:.1f} s."
        )
