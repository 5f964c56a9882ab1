import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from doctors.models import DoctorProfile, Specialization, VerificationStatus
from notifications.models import Notification
from patients.models import PatientProfile
from seeding.demo import seed_demo_schedules

DEMO_PASSWORD = "demo-pass-2026"

SPECIALIZATIONS = [
    "General Medicine",
    "Cardiology",
    "Dermatology",
    "Paediatrics",
    "Orthopaedics",
    "Gynaecology",
    "ENT",
    "Ophthalmology",
    "Psychiatry",
    "Neurology",
    "Endocrinology",
    "Gastroenterology",
]

DOCTORS = [
    # email, name, license, specializations, city, fee, status, time zone
    (
        "dr.mehta@demo.medconnect",
        "Anil Mehta",
        "KMC-2011-4471",
        ["General Medicine"],
        "Bengaluru",
        "500",
        VerificationStatus.VERIFIED,
        "Asia/Kolkata",
    ),
    (
        "dr.iyer@demo.medconnect",
        "Priya Iyer",
        "TNMC-77812",
        ["Cardiology"],
        "Chennai",
        "1200",
        VerificationStatus.VERIFIED,
        "Asia/Kolkata",
    ),
    (
        "dr.khan@demo.medconnect",
        "Sara Khan",
        "DMC-R-99120",
        ["Dermatology"],
        "Delhi",
        "800",
        VerificationStatus.VERIFIED,
        "Asia/Kolkata",
    ),
    (
        "dr.fischer@demo.medconnect",
        "Lena Fischer",
        "LAEK-BY-55310",
        ["Paediatrics"],
        "Berlin",
        "900",
        VerificationStatus.VERIFIED,
        "Europe/Berlin",
    ),
    (
        "dr.pending@demo.medconnect",
        "Vikram Rao",
        "MMC-2020-1234",
        ["Orthopaedics"],
        "Mumbai",
        "700",
        VerificationStatus.PENDING,
        "Asia/Kolkata",
    ),
]

PATIENTS = [
    ("asha@demo.medconnect", "Asha Verma", datetime.date(1988, 3, 14), "+91 98450 11111", "B+"),
    ("rahul@demo.medconnect", "Rahul Nair", datetime.date(1975, 11, 2), "+91 98450 22222", "O+"),
]

STAFF = ("staff@demo.medconnect", "Clinic Staff")


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

    def handle(self, *args, allow_production, dry_run, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo accounts with DJANGO_DEBUG off. "
                "Pass --allow-production if you really mean it."
            )
        if dry_run:
            self.stdout.write(
                f"Would ensure {len(SPECIALIZATIONS)} specializations, 1 staff account, "
                f"{len(DOCTORS)} doctors and {len(PATIENTS)} patients."
            )
            return
        with transaction.atomic():
            counts = self.seed()
        started = timezone.now()
        counts.update(seed_demo_schedules(password=DEMO_PASSWORD))
        # The demo's own bookings notify in the app but send no email: the
        # delivery task skips a notice already marked emailed.
        Notification.objects.filter(created_at__gte=started, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created now: {summary})."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  staff            {STAFF[0]}   (Django Admin: /admin/)")
        for email, name, _lic, _sp, _city, _fee, status, _tz in DOCTORS:
            label = "doctor" if status == VerificationStatus.VERIFIED else "doctor (pending)"
            self.stdout.write(f"  {label:<16} {email}   Dr. {name}")
        for email, name, *_ in PATIENTS:
            self.stdout.write(f"  {'patient':<16} {email}   {name}")

    def _user(self, email, name, role, **extra):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "role": role, **extra}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user, created

    def seed(self):
        counts = {"specializations": 0, "staff": 0, "doctors": 0, "patients": 0}
        specs = {}
        for name in SPECIALIZATIONS:
            spec, created = Specialization.objects.get_or_create(name=name)
            specs[name] = spec
            counts["specializations"] += created
        _staff, created = self._user(
            STAFF[0], STAFF[1], Role.STAFF, is_staff=True, is_superuser=True
        )
        counts["staff"] += created
        for email, name, license_id, spec_names, city, fee, status, tz in DOCTORS:
            user, created = self._user(email, name, Role.DOCTOR)
            profile, created = DoctorProfile.objects.get_or_create(
                user=user,
                defaults={
                    "license_id": license_id,
                    "qualifications": "MBBS, MD",
                    "experience_years": 12,
                    "practice_name": f"{city} Family Clinic",
                    "practice_address": f"1 Hospital Road, {city}",
                    "city": city,
                    "languages": "English, Hindi",
                    "consultation_fee": Decimal(fee),
                    "verification_status": status,
                    "time_zone": tz,
                    "bio": f"Dr. {name} has practised in {city} for over a decade.",
                },
            )
            if created:
                profile.specializations.set([specs[s] for s in spec_names])
            counts["doctors"] += created
        for email, name, dob, phone, blood in PATIENTS:
            user, _ = self._user(email, name, Role.PATIENT)
            _profile, created = PatientProfile.objects.get_or_create(
                user=user,
                defaults={"date_of_birth": dob, "phone": phone, "blood_group": blood},
            )
            counts["patients"] += created
        return counts
