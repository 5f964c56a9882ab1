"""Measure one appointments export at scale: rows, time, and the worker's resident
memory at the start and at its peak. Run it against a throwaway database."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from appointments.models import Appointment, VisitType
from doctors.models import DoctorProfile
from exports import services
from exports.bench import appointments_bulk_make, measured
from exports.models import Export, ExportKind

MB = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Export every appointment as staff would, in this process, and report rows, "
        "seconds and resident memory (start, peak, end). With --make N, first write N "
        "completed visits in bulk for the first verified doctor (a throwaway database!)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--make", type=int, default=0, help="appointments to write first")
        parser.add_argument("--dry-run", action="store_true", help="say what would be done")

    def handle(self, *args, make, dry_run, **options):
        staff = User.objects.filter(role=Role.STAFF, is_staff=True, is_active=True).first()
        if staff is None:
            raise CommandError("No active staff user: create one (createsuperuser).")
        if make:
            doctor = DoctorProfile.objects.filter(verification_status="verified").first()
            visit_type = VisitType.objects.filter(doctor=doctor).first() if doctor else None
            patients = list(User.objects.filter(role=Role.PATIENT)[:500])
            if doctor is None or visit_type is None or not patients:
                raise CommandError("Needs a verified doctor with a visit type, and patients.")
            if dry_run:
                self.stdout.write(f"Would write {make} appointments for {doctor}.")
                return
            _, made = measured(
                lambda: appointments_bulk_make(
                    count=make, doctor=doctor, patients=patients, visit_type=visit_type
                )
            )
            self.stdout.write(f"Wrote {make} appointments in {made.seconds:.1f} s.")
        first = Appointment.objects.order_by("start").values_list("start", flat=True).first()
        last = Appointment.objects.order_by("-start").values_list("start", flat=True).first()
        if first is None:
            raise CommandError("No appointments to export.")
        if dry_run:
            self.stdout.write("Would export every appointment.")
            return
        export = Export.objects.create(
            requested_by=staff,
            kind=ExportKind.APPOINTMENTS,
            date_from=first.date() - dt.timedelta(days=1),
            date_to=last.date() + dt.timedelta(days=1),
        )
        status, m = measured(lambda: services.export_run(export_id=export.pk))
        export.refresh_from_db()
        self.stdout.write(
            f"Export #{export.pk}: {status}, {export.rows_done} rows, {export.size / MB:.1f} MB "
            f"file, {m.seconds:.1f} s ({export.rows_done / max(m.seconds, 0.001):,.0f} rows/s); "
            f"RSS start {m.rss_start / MB:.1f} MB, peak {m.rss_peak / MB:.1f} MB "
            f"(+{(m.rss_peak - m.rss_start) / MB:.1f} MB), end {m.rss_end / MB:.1f} MB."
        )
