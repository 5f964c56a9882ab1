from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from doctors.models import DoctorProfile, normalize_license_id
from doctors.services import doctor_reject, doctor_verify


class Command(BaseCommand):
    help = "Verify a doctor's license, or reject it with a reason, by email or license ID."

    def add_arguments(self, parser):
        parser.add_argument("doctor", help="The doctor's email address or license ID.")
        parser.add_argument("--reject", action="store_true", help="Reject instead of verify.")
        parser.add_argument("--reason", default="", help="Why the license is rejected.")
        parser.add_argument(
            "--as",
            dest="decided_by",
            default="",
            help="Email of the staff member deciding (recorded in the audit trail).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen.")

    def handle(self, *args, doctor, reject, reason, decided_by, dry_run, **options):
        key = doctor.strip()
        profile = (
            DoctorProfile.objects.select_related("user")
            .filter(Q(user__email__iexact=key) | Q(license_id=normalize_license_id(key)))
            .first()
        )
        if profile is None:
            raise CommandError(f"No doctor with email or license ID {key!r}.")
        staff = None
        if decided_by:
            staff = get_user_model().objects.filter(email__iexact=decided_by, is_staff=True).first()
            if staff is None:
                raise CommandError(f"No staff account {decided_by!r}.")
        if reject and not reason.strip():
            raise CommandError('--reject needs --reason "..." (it is sent to the doctor).')
        action = "reject" if reject else "verify"
        if dry_run:
            self.stdout.write(
                f"Would {action} Dr. {profile.user.full_name} ({profile.license_id})."
            )
            return
        try:
            if reject:
                doctor_reject(doctor=profile, decided_by=staff, reason=reason)
            else:
                doctor_verify(doctor=profile, decided_by=staff)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Dr. {profile.user.full_name} ({profile.license_id}) is now "
                f"{'rejected' if reject else 'verified'}; the doctor was notified by email."
            )
        )
