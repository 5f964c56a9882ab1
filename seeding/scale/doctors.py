"""Seeded doctors: accounts, profiles across cities and time zones, specializations.
Most are verified; the verified ones are kept on the run for their schedules and
calendars."""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress

from accounts.models import Role, User
from doctors.models import DoctorProfile, VerificationStatus
from seeding.specializations import ensure_specializations

from .people import EMAIL_DOMAIN, LAST_NAMES, person_name, write_accounts
from .schedules import TEMPLATES
from .writer import next_id

# city, time zone, weight
CITIES = [
    ("Bengaluru", "Asia/Kolkata", 18),
    ("Mumbai", "Asia/Kolkata", 18),
    ("Delhi", "Asia/Kolkata", 18),
    ("Chennai", "Asia/Kolkata", 12),
    ("Hyderabad", "Asia/Kolkata", 10),
    ("Pune", "Asia/Kolkata", 8),
    ("Kolkata", "Asia/Kolkata", 8),
    ("Dubai", "Asia/Dubai", 4),
    ("Berlin", "Europe/Berlin", 4),
]
QUALIFICATIONS = ["MBBS", "MBBS, MD", "MBBS, MS", "MBBS, DNB", "MBBS, MD, DM", "MBBS, DCH"]
LANGUAGES = ["English, Hindi", "English, Kannada", "English, Tamil", "English, Marathi"]
VERIFICATION = [
    (VerificationStatus.VERIFIED, 94),
    (VerificationStatus.PENDING, 4),
    (VerificationStatus.REJECTED, 2),
]
PROFILE_COLUMNS = [
    "id",
    "user_id",
    "license_id",
    "qualifications",
    "experience_years",
    "practice_name",
    "practice_address",
    "city",
    "languages",
    "consultation_fee",
    "time_zone",
    "verification_status",
    "rejection_reason",
    "verification_decided_at",
    "created_at",
    "updated_at",
]


def seed_doctors(run, count):
    """`count` doctors with their accounts and specializations; the verified ones go to
    `run.doctors` as (doctor id, user id, tz name, fee, template index, address)."""
    rng, now = run.rng, run.now
    specs, _created = ensure_specializations()
    spec_ids = [spec.pk for spec in specs.values()]
    user_id, email_id, doctor_id = next_id(User), next_id(EmailAddress), next_id(DoctorProfile)
    users, emails, profiles, links = [], [], [], []
    cities, weights = zip(*((c[:2], c[2]) for c in CITIES), strict=True)
    for n in range(count):
        uid, did = user_id + n, doctor_id + n
        email = f"doctor{n}@{EMAIL_DOMAIN}"
        joined = now - dt.timedelta(days=rng.randint(400, 3000))
        users.append((uid, run.password, email, person_name(rng), Role.DOCTOR, joined))
        emails.append((email_id + n, uid, email, True, True))
        city, tz = rng.choices(cities, weights=weights)[0]
        fee = Decimal(rng.randrange(300, 2500, 50))
        status = run.weighted(VERIFICATION)
        address = f"{rng.randint(1, 400)} {rng.choice(LAST_NAMES)} Road, {city}"
        profiles.append(
            (
                did,
                uid,
                f"SC-{n:06d}",
                rng.choice(QUALIFICATIONS),
                rng.randint(1, 40),
                f"{rng.choice(LAST_NAMES)} {rng.choice(['Clinic', 'Hospital', 'Care'])}",
                address,
                city,
                rng.choice(LANGUAGES),
                fee,
                tz,
                status,
                "License could not be confirmed" if status == "rejected" else "",
                None if status == "pending" else joined + dt.timedelta(days=2),
                joined,
                joined,
            )
        )
        for spec in rng.sample(spec_ids, rng.choice([1, 1, 1, 2])):
            links.append((did, spec))
        if status == VerificationStatus.VERIFIED:
            run.doctors.append((did, uid, tz, fee, n % len(TEMPLATES), address))
    write_accounts(run.writer, users, emails)
    run.writer.write(DoctorProfile, PROFILE_COLUMNS, profiles)
    through = DoctorProfile.specializations.through
    first_link = next_id(through)
    run.writer.write(
        through,
        ["id", "doctorprofile_id", "specialization_id"],
        [(first_link + i, *row) for i, row in enumerate(links)],
    )
