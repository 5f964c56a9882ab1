"""Fixtures in the seeded database: signed-in sessions, doctors with TOTP enrolled,
and distinct free slots each paired with a fresh patient, written to one JSON file
the locust scenarios read."""

import datetime as dt
import json
import random
import secrets
import string
import sys
import time

from .environment import log


def data_counts():
    from django.db import connection

    tables = {
        "doctors": "doctors_doctorprofile",
        "patients": "patients_patientprofile",
        "appointments": "appointments_appointment",
        "appointment_events": "appointments_appointmentevent",
        "prescriptions": "prescriptions_prescription",
        "invoices": "billing_invoice",
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            counts[name] = cursor.fetchone()[0]
    return counts


def _sessions(users):
    """A signed-in session per user, written straight to the session table."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY

    store = SessionStore()
    now = time.time()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    alphabet = string.ascii_lowercase + string.digits
    rows, keys = [], []
    for user in users:
        key = "".join(secrets.choice(alphabet) for _ in range(32))
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            SESSION_STARTED_KEY: now,
            SESSION_LAST_SEEN_KEY: now,
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def _booking_patients(count, stamp):
    from allauth.account.models import EmailAddress

    from accounts.models import Role, User
    from patients.models import PatientProfile

    password = User.objects.filter(email__endswith="@scale.medconnect.test").first().password
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-{stamp}-{n}@bench.medconnect.test",
                full_name=f"Bench Patient {n}",
                role=Role.PATIENT,
                password=password,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=2000,
    )
    PatientProfile.objects.bulk_create(
        [
            PatientProfile(user=u, date_of_birth=dt.date(1990, 1, 1), phone="+91 98765 43210")
            for u in users
        ],
        batch_size=2000,
    )
    return users


def _searches(rng):
    """Sixty doctor searches: fifty by specialization and city, ten by specialization."""
    from doctors.models import DoctorProfile, Specialization

    cities = list(DoctorProfile.objects.verified().values_list("city", flat=True).distinct())
    slugs = list(Specialization.objects.values_list("slug", flat=True))
    searches = [
        {"specialization": rng.choice(slugs), "city": rng.choice(cities)} for _ in range(50)
    ]
    searches += [{"specialization": rng.choice(slugs)} for _ in range(10)]
    return searches


def _patient_sessions(now):
    """Sessions of up to 300 patients with upcoming visits."""
    from accounts.models import User
    from appointments.models import Appointment

    patient_ids = list(
        Appointment.objects.filter(status__in=["pending", "confirmed"], start__gt=now)
        .values_list("patient_id", flat=True)
        .distinct()[:300]
    )
    return _sessions(User.objects.filter(pk__in=patient_ids))


def _doctor_sessions(doctors):
    """Sessions of the first 50 doctors, each with TOTP enrolled: two-factor stays
    required, as in production."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import Role, User

    doctor_users = list(User.objects.filter(role=Role.DOCTOR, doctor_profile__pk__in=doctors[:50]))
    enrolled = set(
        Authenticator.objects.filter(
            user__in=doctor_users, type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for user in doctor_users:
        if user.pk not in enrolled:
            TOTP.activate(user, generate_totp_secret())
    return _sessions(doctor_users)


def _slots_to_book(args, rng, doctors, now):
    """Distinct free slots: one visit type per doctor so no two slots overlap, from
    tomorrow on so minimum notice cannot expire during the run."""
    from django.utils import timezone

    from appointments.models import VisitType
    from appointments.slots import free_slots
    from doctors.models import DoctorProfile

    booking = []
    pool = doctors[:]
    rng.shuffle(pool)
    today = timezone.localdate()
    for doctor in DoctorProfile.objects.filter(pk__in=pool[:400]):
        if len(booking) >= args.booking_slots:
            break
        visit_type = VisitType.objects.filter(doctor=doctor, is_active=True).first()
        for slot in free_slots(
            doctor=doctor,
            visit_type=visit_type,
            start_date=today + dt.timedelta(days=1),
            end_date=today + dt.timedelta(days=13),
            now=now,
        ):
            booking.append(
                {
                    "doctor": doctor.pk,
                    "visit_type": visit_type.pk,
                    "start": slot.start.isoformat(),
                    "mode": slot.modes[0],
                }
            )
    booking = booking[: args.booking_slots]
    rng.shuffle(booking)  # consecutive bookings go to different doctors
    return booking


def _staff_sessions():
    """Sessions of one staff member with TOTP enrolled (made if the seed has none), for
    the clinic dashboard."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import Role, User

    staff = User.objects.filter(role=Role.STAFF, is_staff=True, is_active=True).first()
    if staff is None:
        staff = User.objects.create_user(
            email="bench-staff@example.com",
            password=secrets.token_urlsafe(16),
            full_name="Bench Staff",
            role=Role.STAFF,
            is_staff=True,
        )
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, generate_totp_secret())
    return _sessions([staff] * 10)


def prepare_fixtures(args, stamp, path):
    from django.core.cache import cache
    from django.utils import timezone

    from doctors.models import DoctorProfile

    # The bench's own Redis database: the seed wrote rows no cache version knows of.
    cache.clear()
    rng = random.Random(stamp)
    now = timezone.now()
    doctors = list(DoctorProfile.objects.verified().values_list("pk", flat=True))
    if not doctors:
        sys.exit("No verified doctors: seed the database first (manage.py seed_scale).")
    searches = _searches(rng)
    patient_sessions = _patient_sessions(now)
    doctor_sessions = _doctor_sessions(doctors)
    staff_sessions = _staff_sessions()
    booking = _slots_to_book(args, rng, doctors, now)
    patients = _booking_patients(len(booking), stamp)
    for slot, user, key in zip(booking, patients, _sessions(patients), strict=True):
        slot["patient"] = user.pk
        slot["session"] = key
    fixtures = {
        "csrf_token": "".join(secrets.choice(string.ascii_letters) for _ in range(32)),
        "doctors": doctors,
        "searches": searches,
        "api_searches": searches,
        "patient_sessions": patient_sessions,
        "doctor_sessions": doctor_sessions,
        "staff_sessions": staff_sessions,
        "booking": booking,
        "booking_patients": [slot["patient"] for slot in booking],
    }
    path.write_text(json.dumps(fixtures))
    log(
        f"fixtures: {len(patient_sessions)} patient sessions, {len(doctor_sessions)} doctor "
        f"sessions (TOTP enrolled), {len(booking)} distinct free slots with fresh patients"
    )
    return fixtures
