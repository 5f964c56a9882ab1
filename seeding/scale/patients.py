"""Seeded patients: accounts and profiles. Their medical history is in `clinical`."""

import datetime as dt

from allauth.account.models import EmailAddress

from accounts.models import Role, User
from patients.models import BloodGroup, PatientProfile, Sex

from .people import EMAIL_DOMAIN, LAST_NAMES, person_name, write_accounts
from .writer import next_id

PROFILE_COLUMNS = [
    "id",
    "user_id",
    "date_of_birth",
    "sex",
    "blood_group",
    "phone",
    "address",
    "created_at",
    "updated_at",
]


def seed_patients(run, count):
    """`count` patients with their accounts; their user ids go to `run.patient_ids`."""
    rng, now = run.rng, run.now
    user_id, email_id, patient_id = next_id(User), next_id(EmailAddress), next_id(PatientProfile)
    users, emails, profiles = [], [], []
    for n in range(count):
        uid = user_id + n
        email = f"patient{n}@{EMAIL_DOMAIN}"
        joined = now - dt.timedelta(days=rng.randint(30, 2000))
        users.append((uid, run.password, email, person_name(rng), Role.PATIENT, joined))
        emails.append((email_id + n, uid, email, True, True))
        birth = dt.date(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28))
        profiles.append(
            (
                patient_id + n,
                uid,
                birth,
                rng.choice(Sex.values),
                rng.choice(BloodGroup.values),
                f"+91 9{rng.randint(100000000, 999999999)}",
                f"{rng.randint(1, 900)} {rng.choice(LAST_NAMES)} Street",
                joined,
                joined,
            )
        )
        run.patient_ids.append(uid)
    write_accounts(run.writer, users, emails)
    run.writer.write(PatientProfile, PROFILE_COLUMNS, profiles)
