"""`manage.py seed_scale`: a clinic at scale, for load tests and query plans.

Why it lives in appointments: it fills every domain (accounts, doctors, patients,
records, prescriptions, billing), but its hard part is the appointment calendar,
and the rest hangs off appointments (records, prescriptions and invoices belong
to a visit). A separate "benchmarks" app would own no model and no rule.

How the data stays valid:
- Each verified doctor gets weekly windows and visit types; their appointments are
  sampled from the candidate starts of those windows, walked in time order on the
  Consultation grid (pitch = duration + buffers), so two visits of one doctor never
  overlap and future visits lie on the grid the slot engine offers. A doctor's time
  off is kept clear of visits.
- A patient never holds two active (pending / confirmed) visits at the same time:
  their active intervals are tracked while patients are drawn.
- Every appointment has its history: a "created" event, then one event per status
  change (confirm, decline, cancel, complete, no-show) with who and when.
- Consultation records, prescriptions and invoices are written for completed visits
  only, with encrypted fields encrypted by the field itself (`get_db_prep_save`).
  Receipt numbers are gapless per year and the receipt counters are set to match.
- Every account shares one password hash, made once (hashing is slow on purpose),
  and has a verified primary email, so patients can book.

Speed: rows are generated per chunk of doctors and written with COPY on PostgreSQL
(explicit primary keys, sequences reset afterwards), with `bulk_create` elsewhere.
Audit rows, notifications and reminders are not generated: they record things that
happened in the running app.
"""

import bisect
import datetime as dt
import json
import random
import secrets
import time
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Role, User
from appointments.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    AvailabilityRule,
    Mode,
    ModeOffer,
    TimeOff,
    VisitType,
)
from billing.models import (
    BillingSettings,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    PaymentMethod,
    ReceiptCounter,
)
from doctors.models import DoctorProfile, Specialization, VerificationStatus
from encryption.fields import EncryptedTextField
from patients.models import BloodGroup, PatientProfile, Sex
from prescriptions.models import Prescription, PrescriptionItem, PrescriptionStatus
from records.models import (
    Allergy,
    AllergySeverity,
    Condition,
    ConsultationRecord,
    ConsultationRecordRevision,
    HistoryChange,
    HistoryKind,
    Medication,
    RecordStatus,
)

S = AppointmentStatus
EMAIL_DOMAIN = "scale.medconnect.test"
PASSWORD = "scale-pass-2026"  # noqa: S105 - synthetic accounts of a load-test database
APPOINTMENT_CHUNK = 50_000

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
FIRST_NAMES = [
    "Aarav",
    "Aditi",
    "Akash",
    "Ananya",
    "Arjun",
    "Asha",
    "Deepa",
    "Divya",
    "Farah",
    "Gaurav",
    "Ishaan",
    "Kavya",
    "Kiran",
    "Lena",
    "Meera",
    "Mohan",
    "Neha",
    "Nikhil",
    "Omar",
    "Pooja",
    "Priya",
    "Rahul",
    "Ravi",
    "Rohan",
    "Sanjay",
    "Sara",
    "Shreya",
    "Sunil",
    "Tara",
    "Uma",
    "Varun",
    "Vikram",
    "Yusuf",
    "Zara",
    "Anil",
    "Bela",
    "Chitra",
    "Dev",
    "Esha",
    "Hari",
]
LAST_NAMES = [
    "Agarwal",
    "Bhat",
    "Chopra",
    "Das",
    "Desai",
    "Fischer",
    "Gupta",
    "Iyer",
    "Jain",
    "Joshi",
    "Kapoor",
    "Khan",
    "Kumar",
    "Mehta",
    "Menon",
    "Mishra",
    "Nair",
    "Patel",
    "Pillai",
    "Rao",
    "Reddy",
    "Saxena",
    "Shah",
    "Sharma",
    "Singh",
    "Sinha",
    "Verma",
    "Yadav",
    "Banerjee",
    "Chatterjee",
    "Dutta",
    "Ghosh",
    "Hegde",
    "Kulkarni",
    "Malhotra",
    "Naidu",
    "Pandey",
    "Qureshi",
    "Sethi",
]
QUALIFICATIONS = ["MBBS", "MBBS, MD", "MBBS, MS", "MBBS, DNB", "MBBS, MD, DM", "MBBS, DCH"]
LANGUAGES = ["English, Hindi", "English, Kannada", "English, Tamil", "English, Marathi"]

# Weekly windows: (weekdays, start, end, mode). The grid of every template fits
# Consultations (30 min + 10 min buffer) back to back.
TEMPLATES = [
    [
        (range(5), dt.time(9, 0), dt.time(13, 0), ModeOffer.BOTH),
        (range(5), dt.time(16, 0), dt.time(19, 0), ModeOffer.IN_PERSON),
        ((5,), dt.time(10, 0), dt.time(13, 0), ModeOffer.ONLINE),
    ],
    [
        (range(6), dt.time(10, 0), dt.time(14, 0), ModeOffer.IN_PERSON),
        ((1, 3), dt.time(18, 0), dt.time(20, 0), ModeOffer.ONLINE),
    ],
    [
        ((0, 2, 4), dt.time(8, 0), dt.time(12, 0), ModeOffer.BOTH),
        ((0, 2, 4), dt.time(14, 0), dt.time(18, 0), ModeOffer.BOTH),
        ((1, 3), dt.time(17, 0), dt.time(20, 0), ModeOffer.ONLINE),
    ],
]
# name, duration, buffer after, mode, minimum notice (min), max advance (days)
VISIT_TYPES = [
    ("Consultation", 30, 10, ModeOffer.BOTH, 120, 60),
    ("Follow-up", 15, 5, ModeOffer.BOTH, 60, 30),
    ("Extended consultation", 60, 0, ModeOffer.IN_PERSON, 24 * 60, 60),
]
CONSULTATION, FOLLOW_UP = 0, 1

# Final statuses and their weights, for visits that already happened and to come.
PAST_STATUSES = [(S.COMPLETED, 75), (S.NO_SHOW, 7), (S.CANCELLED, 13), (S.DECLINED, 5)]
FUTURE_STATUSES = [(S.CONFIRMED, 55), (S.PENDING, 27), (S.CANCELLED, 14), (S.DECLINED, 4)]
FUTURE_SHARE = 0.25  # of each doctor's visits, in the days to come

COMPLAINTS = ["Fever for three days", "Persistent cough", "Joint pain", "Headache", "Skin rash"]
DIAGNOSES = ["Viral fever", "Bronchitis", "Osteoarthritis", "Migraine", "Contact dermatitis"]
PLANS = ["Rest and fluids", "Review in two weeks", "Physiotherapy", "Blood tests", "Cream twice"]
DRUGS = [
    ("Paracetamol", "500 mg", "Tablet"),
    ("Amoxicillin", "250 mg", "Capsule"),
    ("Cetirizine", "10 mg", "Tablet"),
    ("Ibuprofen", "400 mg", "Tablet"),
    ("Pantoprazole", "40 mg", "Tablet"),
]
CONDITIONS = ["Hypertension", "Type 2 diabetes", "Asthma", "Hypothyroidism", "Migraine"]
ALLERGENS = ["Penicillin", "Peanuts", "Dust mites", "Sulfa drugs", "Latex"]
MEDICATIONS = [("Metformin", "500 mg"), ("Amlodipine", "5 mg"), ("Levothyroxine", "50 mcg")]
CANCEL_REASONS = ["Feeling better", "Travelling", "Clash with work", "Booked by mistake"]
DECLINE_REASONS = ["Not my specialty", "Please book a longer visit", "Clinic closed that day"]


def _weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Writer:
    """Writes rows of one model: COPY on PostgreSQL, bulk_create elsewhere.

    `columns` are attnames; concrete fields not named take their (constant) default.
    """

    def __init__(self, batch_size):
        self.batch_size = batch_size
        self.copy = connection.vendor == "postgresql"
        self.counts = defaultdict(int)
        self.seconds = defaultdict(float)

    def _extras(self, model, columns):
        extras = {}
        for field in model._meta.concrete_fields:
            if field.attname in columns:
                continue
            default = field.get_default()
            if default is None and not field.null:
                raise CommandError(f"seed_scale must set {model.__name__}.{field.attname}")
            extras[field.attname] = default
        return extras

    def write(self, model, columns, rows):
        rows = list(rows)
        if not rows:
            return
        started = time.monotonic()
        extras = self._extras(model, columns)
        names = list(columns) + list(extras)
        tail = tuple(extras.values())
        if not self.copy:
            model.objects.bulk_create(
                [model(**dict(zip(names, row + tail, strict=True))) for row in rows],
                batch_size=self.batch_size,
            )
        else:
            fields = {f.attname: f for f in model._meta.concrete_fields}
            encrypted = [
                i for i, name in enumerate(names) if isinstance(fields[name], EncryptedTextField)
            ]
            json_columns = [
                i for i, name in enumerate(names) if isinstance(fields[name], models.JSONField)
            ]
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
            sql = f"COPY {table} ({quoted}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    row = list(row + tail)
                    for i in encrypted:
                        # The field's own encryption, as a save would do it.
                        row[i] = fields[names[i]].get_db_prep_save(row[i], connection)
                    for i in json_columns:
                        row[i] = json.dumps(row[i])
                    copy.write_row(row)
        self.counts[model._meta.label] += len(rows)
        self.seconds[model._meta.label] += time.monotonic() - started


def _next_id(model):
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


class Command(BaseCommand):
    help = (
        "Fill the database with a clinic at scale (doctors with schedules, patients with "
        "history, appointments past and future in every status, records, prescriptions, "
        "invoices) for load tests. Refuses to run when seeded data exists unless --reset."
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
        if opts["appointments"] < 0:
            raise CommandError("--appointments cannot be negative.")
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
        self.rng = random.Random(opts["seed"])
        self.now = timezone.now().replace(microsecond=0)
        self.writer = _Writer(opts["batch_size"])
        self.password = make_password(PASSWORD)  # once: every account shares it

        with transaction.atomic():
            self._people(opts["doctors"], opts["patients"])
            self._schedules()
        self._history()
        self._calendars(opts["appointments"], opts["past_days"], opts["future_days"])
        finish = time.monotonic()
        self._finish()
        self.stdout.write(f"Counters, sequences and statistics ({time.monotonic() - finish:.1f}s).")

        elapsed = time.monotonic() - started
        for label, count in sorted(self.writer.counts.items()):
            seconds = self.writer.seconds[label]
            self.stdout.write(f"  {label:<40} {count:>10,} rows  {seconds:6.1f}s writing")
        total = sum(self.writer.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {total:,} rows in {elapsed:.1f}s on {connection.vendor}. "
                f"Every account's password: {PASSWORD}"
            )
        )

    # People --------------------------------------------------------------------------

    def _name(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _people(self, doctor_count, patient_count):
        rng, now, w = self.rng, self.now, self.writer
        specs = {}
        for name in SPECIALIZATIONS:
            specs[name], _ = Specialization.objects.get_or_create(name=name)
        spec_ids = [spec.pk for spec in specs.values()]
        BillingSettings.objects.get_or_create(pk=BillingSettings.SINGLETON_PK)

        user_id, email_id = _next_id(User), _next_id(EmailAddress)
        doctor_id, patient_id = _next_id(DoctorProfile), _next_id(PatientProfile)
        user_cols = ["id", "password", "email", "full_name", "role", "date_joined"]
        users, emails, doctors, doctor_specs, patients = [], [], [], [], []
        self.doctors = []  # (doctor id, user id, tz name, fee, template index, address)
        cities, weights = zip(*((c[:2], c[2]) for c in CITIES), strict=True)
        for n in range(doctor_count):
            uid, did = user_id + n, doctor_id + n
            email = f"doctor{n}@{EMAIL_DOMAIN}"
            joined = now - dt.timedelta(days=rng.randint(400, 3000))
            users.append((uid, self.password, email, self._name(), Role.DOCTOR, joined))
            emails.append((email_id + n, uid, email, True, True))
            city, tz = rng.choices(cities, weights=weights)[0]
            fee = Decimal(rng.randrange(300, 2500, 50))
            status = _weighted(
                rng,
                [
                    (VerificationStatus.VERIFIED, 94),
                    (VerificationStatus.PENDING, 4),
                    (VerificationStatus.REJECTED, 2),
                ],
            )
            address = f"{rng.randint(1, 400)} {rng.choice(LAST_NAMES)} Road, {city}"
            doctors.append(
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
                doctor_specs.append((did, spec))
            if status == VerificationStatus.VERIFIED:
                self.doctors.append((did, uid, tz, fee, n % len(TEMPLATES), address))
        first_patient_user = user_id + doctor_count
        self.patient_ids = []
        for n in range(patient_count):
            uid = first_patient_user + n
            email = f"patient{n}@{EMAIL_DOMAIN}"
            joined = now - dt.timedelta(days=rng.randint(30, 2000))
            users.append((uid, self.password, email, self._name(), Role.PATIENT, joined))
            emails.append((email_id + doctor_count + n, uid, email, True, True))
            birth = dt.date(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28))
            patients.append(
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
            self.patient_ids.append(uid)
        w.write(User, user_cols, users)
        w.write(EmailAddress, ["id", "user_id", "email", "verified", "primary"], emails)
        w.write(
            DoctorProfile,
            [
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
            ],
            doctors,
        )
        through = DoctorProfile.specializations.through
        first_link = _next_id(through)
        w.write(
            through,
            ["id", "doctorprofile_id", "specialization_id"],
            [(first_link + i, *row) for i, row in enumerate(doctor_specs)],
        )
        w.write(
            PatientProfile,
            [
                "id",
                "user_id",
                "date_of_birth",
                "sex",
                "blood_group",
                "phone",
                "address",
                "created_at",
                "updated_at",
            ],
            patients,
        )

    def _schedules(self):
        """Visit types and weekly windows for every verified doctor; time off for some."""
        rng, w = self.rng, self.writer
        vt_id, rule_id, off_id = _next_id(VisitType), _next_id(AvailabilityRule), _next_id(TimeOff)
        visit_types, rules, time_off = [], [], []
        self.visit_types = {}  # doctor id -> [(id, duration, buffer after, requires approval)]
        self.time_off = {}
        for did, _uid, tz, _fee, template, _addr in self.doctors:
            own = []
            for name, minutes, after, mode, notice, advance in VISIT_TYPES:
                approval = rng.random() < 0.6
                visit_types.append(
                    (vt_id, did, name, minutes, mode, 0, after, notice, advance, 24, 24, approval)
                )
                own.append((vt_id, minutes, after, approval))
                vt_id += 1
            self.visit_types[did] = own
            for weekdays, start, end, mode in TEMPLATES[template]:
                for day in weekdays:
                    rules.append((rule_id, did, day, start, end, mode, ""))
                    rule_id += 1
            if rng.random() < 0.1:
                # A few days away within the next month.
                first = self.now.astimezone(ZoneInfo(tz)).date() + dt.timedelta(
                    days=rng.randint(10, 30)
                )
                start = dt.datetime.combine(first, dt.time.min, tzinfo=ZoneInfo(tz))
                end = start + dt.timedelta(days=rng.randint(1, 4))
                time_off.append((off_id, did, start, end, "Conference"))
                self.time_off[did] = (start, end)
                off_id += 1
        w.write(
            VisitType,
            [
                "id",
                "doctor_id",
                "name",
                "duration_minutes",
                "mode",
                "buffer_before_minutes",
                "buffer_after_minutes",
                "min_notice_minutes",
                "max_advance_days",
                "cancel_cutoff_hours",
                "reschedule_cutoff_hours",
                "requires_approval",
            ],
            visit_types,
        )
        w.write(
            AvailabilityRule,
            ["id", "doctor_id", "weekday", "start_time", "end_time", "mode", "location"],
            rules,
        )
        w.write(TimeOff, ["id", "doctor_id", "start", "end", "reason"], time_off)

    def _history(self):
        """Conditions, allergies and medications for some patients, each with its change row."""
        rng, now, w = self.rng, self.now, self.writer
        ids = {m: _next_id(m) for m in (Condition, Allergy, Medication, HistoryChange)}
        conditions, allergies, medications, changes = [], [], [], []
        for uid in self.patient_ids:
            when = now - dt.timedelta(days=rng.randint(1, 900))
            if rng.random() < 0.4:
                name = rng.choice(CONDITIONS)
                conditions.append((ids[Condition], uid, uid, uid, when, when, name, "active"))
                changes.append(
                    (ids[HistoryChange], uid, HistoryKind.CONDITION, ids[Condition], uid, when)
                    + ({"name": name, "status": "active"}, True)
                )
                ids[Condition] += 1
                ids[HistoryChange] += 1
            if rng.random() < 0.2:
                substance = rng.choice(ALLERGENS)
                severity = rng.choice(AllergySeverity.values)
                allergies.append(
                    (ids[Allergy], uid, uid, uid, when, when, substance, "Rash", severity, "active")
                )
                changes.append(
                    (ids[HistoryChange], uid, HistoryKind.ALLERGY, ids[Allergy], uid, when)
                    + ({"substance": substance, "severity": severity}, True)
                )
                ids[Allergy] += 1
                ids[HistoryChange] += 1
            if rng.random() < 0.3:
                name, dose = rng.choice(MEDICATIONS)
                medications.append(
                    (ids[Medication], uid, uid, uid, when, when, name, dose, "once a day")
                    + ("current", when.date())
                )
                changes.append(
                    (ids[HistoryChange], uid, HistoryKind.MEDICATION, ids[Medication], uid, when)
                    + ({"name": name, "dose": dose}, True)
                )
                ids[Medication] += 1
                ids[HistoryChange] += 1
        base = ["id", "patient_id", "recorded_by_id", "updated_by_id", "created_at", "updated_at"]
        with transaction.atomic():
            w.write(Condition, [*base, "name", "status"], conditions)
            w.write(Allergy, [*base, "substance", "reaction", "severity", "status"], allergies)
            w.write(
                Medication,
                [*base, "name", "dose", "frequency", "status", "started_on"],
                medications,
            )
            w.write(
                HistoryChange,
                ["id", "patient_id", "kind", "item_id", "changed_by_id", "changed_at"]
                + ["changes", "created"],
                changes,
            )

    # Calendars -------------------------------------------------------------------------

    def _candidates(self, template, tz_name, first_day, last_day):
        """Consultation-grid starts (UTC) of a template's windows between two local dates."""
        key = (template, tz_name, first_day, last_day)
        if key in self._candidate_cache:
            return self._candidate_cache[key]
        tz = ZoneInfo(tz_name)
        _name, minutes, after, *_ = VISIT_TYPES[CONSULTATION]
        pitch = dt.timedelta(minutes=minutes + after)
        duration = dt.timedelta(minutes=minutes)
        by_weekday = defaultdict(list)
        for weekdays, start, end, mode in TEMPLATES[template]:
            for day in weekdays:
                by_weekday[day].append((start, end, mode))
        found = []
        day = first_day
        while day <= last_day:
            for start, end, mode in by_weekday.get(day.weekday(), ()):
                wall = dt.datetime.combine(day, start)
                wall_end = dt.datetime.combine(day, end)
                while wall + duration <= wall_end:
                    local = wall.replace(tzinfo=tz)
                    utc = local.astimezone(dt.UTC)
                    # Skip wall times a daylight-saving change removes.
                    if utc.astimezone(tz).replace(tzinfo=None) == wall:
                        found.append((utc, mode))
                    wall += pitch
            day += dt.timedelta(days=1)
        found.sort(key=lambda candidate: candidate[0])
        self._candidate_cache[key] = found
        self._candidate_starts[id(found)] = [start for start, _mode in found]
        return found

    def _calendars(self, total, past_days, future_days):
        if not self.doctors or total == 0:
            return
        self._candidate_cache = {}
        self._candidate_starts = {}
        self.patient_busy = defaultdict(list)  # patient -> active [(start, end)]
        self.receipts = {}  # year -> last sequence
        self.ids = {
            m: _next_id(m)
            for m in (
                Appointment,
                AppointmentEvent,
                ConsultationRecord,
                ConsultationRecordRevision,
                Prescription,
                PrescriptionItem,
                Invoice,
                InvoiceLine,
            )
        }
        per_doctor, extra = divmod(total, len(self.doctors))
        chunk = max(1, APPOINTMENT_CHUNK // max(per_doctor, 1))
        self.short = 0
        for first in range(0, len(self.doctors), chunk):
            batch = self.doctors[first : first + chunk]
            rows = defaultdict(list)
            for offset, doctor in enumerate(batch):
                count = per_doctor + (1 if first + offset < extra else 0)
                self._doctor_calendar(doctor, count, past_days, future_days, rows)
            self._write_chunk(rows)
        if self.short:
            self.stdout.write(
                self.style.WARNING(
                    f"{self.short:,} appointments fewer than asked: the doctors' windows over "
                    f"{past_days} + {future_days} days have no more room (raise --past-days)."
                )
            )

    def _doctor_calendar(self, doctor, count, past_days, future_days, rows):
        rng, now = self.rng, self.now
        did, duid, tz_name, fee, template, address = doctor
        today = now.astimezone(ZoneInfo(tz_name)).date()
        candidates = self._candidates(
            template,
            tz_name,
            today - dt.timedelta(days=past_days),
            today + dt.timedelta(days=future_days),
        )
        # Candidates are in time order: cut at "now", leaving a margin either side.
        starts = self._candidate_starts[id(candidates)]
        past = candidates[: bisect.bisect_left(starts, now - dt.timedelta(hours=1))]
        future = candidates[bisect.bisect_right(starts, now + dt.timedelta(hours=3)) :]
        away = self.time_off.get(did)
        if away:
            future = [c for c in future if not (away[0] - dt.timedelta(hours=1) < c[0] < away[1])]
        want_future = min(len(future), round(count * FUTURE_SHARE))
        want_past = min(len(past), count - want_future)
        self.short += count - want_future - want_past
        picked = [(past[i], False) for i in sorted(rng.sample(range(len(past)), want_past))]
        picked += [(future[i], True) for i in sorted(rng.sample(range(len(future)), want_future))]
        for (start, window_mode), upcoming in picked:
            self._appointment(doctor, start, window_mode, upcoming, rows)

    def _patient_for(self, start, end, active):
        rng = self.rng
        for _ in range(20):
            patient = rng.choice(self.patient_ids)
            if not active:
                return patient
            busy = self.patient_busy[patient]
            if not any(s < end and start < e for s, e in busy):
                busy.append((start, end))
                return patient
        raise CommandError("Too few patients for this many upcoming visits: raise --patients.")

    def _appointment(self, doctor, start, window_mode, upcoming, rows):
        rng, now, ids = self.rng, self.now, self.ids
        did, duid, _tz, fee, _template, address = doctor
        kind = CONSULTATION if rng.random() < 0.7 else FOLLOW_UP
        vt_id, minutes, after, approval = self.visit_types[did][kind]
        end = start + dt.timedelta(minutes=minutes)
        status = _weighted(rng, FUTURE_STATUSES if upcoming else PAST_STATUSES)
        if status == S.DECLINED and not approval:
            status = S.CANCELLED  # only requests wait for an answer to decline
        if status == S.PENDING and not approval:
            status = S.CONFIRMED
        active = status in (S.PENDING, S.CONFIRMED)
        patient = self._patient_for(start, end, active)
        if window_mode == ModeOffer.BOTH:
            mode = Mode.ONLINE if rng.random() < 0.3 else Mode.IN_PERSON
        else:
            mode = window_mode
        online = mode == Mode.ONLINE
        created = min(start - dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 12)), now)
        created -= dt.timedelta(minutes=1)
        first = S.PENDING if approval else S.CONFIRMED

        # The history: created, then each change to the final status.
        steps = [("", first, patient, created, "")]
        answered = created + dt.timedelta(hours=rng.randint(1, 20))
        reason = ""
        if status == S.DECLINED:
            reason = rng.choice(DECLINE_REASONS)
            steps.append((first, S.DECLINED, duid, answered, reason))
        elif status in (S.CONFIRMED, S.COMPLETED, S.NO_SHOW) and first == S.PENDING:
            steps.append((S.PENDING, S.CONFIRMED, duid, answered, ""))
        if status == S.CANCELLED:
            reason = rng.choice(CANCEL_REASONS)
            steps.append((first, S.CANCELLED, patient, answered, reason))
        elif status in (S.COMPLETED, S.NO_SHOW):
            steps.append((S.CONFIRMED, status, duid, end + dt.timedelta(minutes=15), ""))
        updated = min(max(step[3] for step in steps), now)

        aid = ids[Appointment]
        ids[Appointment] += 1
        rows[Appointment].append(
            (
                aid,
                did,
                patient,
                vt_id,
                start,
                end,
                start,
                end + dt.timedelta(minutes=after),
                mode,
                "" if online else address,
                "",
                status,
                reason,
                secrets.token_urlsafe(24) if online else None,
                0,
                patient,
                created,
                updated,
            )
        )
        for from_status, to_status, actor, when, why in steps:
            rows[AppointmentEvent].append(
                (ids[AppointmentEvent], aid, actor, from_status, to_status, None, start, why)
                + (min(when, now),)
            )
            ids[AppointmentEvent] += 1
        if status == S.COMPLETED:
            self._clinical(aid, did, duid, patient, end, fee, rows)

    def _clinical(self, aid, did, duid, patient, end, fee, rows):
        """A record, a prescription and an invoice for some completed visits."""
        rng, ids = self.rng, self.ids
        signed = min(end + dt.timedelta(minutes=rng.randint(5, 90)), self.now)
        if rng.random() < 0.2:
            texts = (rng.choice(COMPLAINTS), rng.choice(DIAGNOSES), rng.choice(PLANS))
            rid = ids[ConsultationRecord]
            ids[ConsultationRecord] += 1
            rows[ConsultationRecord].append(
                (rid, aid, patient, did, *texts, RecordStatus.SIGNED, 1, signed, signed, signed)
            )
            rows[ConsultationRecordRevision].append(
                (ids[ConsultationRecordRevision], rid, 1, *texts, duid, signed)
            )
            ids[ConsultationRecordRevision] += 1
        if rng.random() < 0.2:
            pid = ids[Prescription]
            ids[Prescription] += 1
            rows[Prescription].append(
                (pid, aid, patient, did, PrescriptionStatus.ISSUED, signed, signed)
            )
            for position, (drug, strength, form) in enumerate(rng.sample(DRUGS, rng.randint(1, 3))):
                rows[PrescriptionItem].append(
                    (ids[PrescriptionItem], pid, position + 1, drug, strength, form, "1 tablet")
                    + ("twice a day", "Oral", "5 days", "10", "After food")
                )
                ids[PrescriptionItem] += 1
        if rng.random() < 0.6:
            iid = ids[Invoice]
            ids[Invoice] += 1
            year = signed.astimezone(ZoneInfo(settings.TIME_ZONE)).year
            sequence = self.receipts.get(year, 0) + 1
            self.receipts[year] = sequence
            tax = (fee * Decimal("0.18")).quantize(Decimal("0.01"))
            paid = rng.random() < 0.75
            rows[Invoice].append(
                (
                    iid,
                    aid,
                    patient,
                    did,
                    InvoiceStatus.PAID if paid else InvoiceStatus.ISSUED,
                    f"MC-{year}-{sequence:06d}",
                    year,
                    sequence,
                    settings.MEDCONNECT_CLINIC_NAME,
                    fee,
                    fee,
                    tax,
                    fee + tax,
                    signed,
                    duid,
                    signed if paid else None,
                    rng.choice(PaymentMethod.values) if paid else "",
                    duid if paid else None,
                    signed,
                    signed,
                )
            )
            rows[InvoiceLine].append(
                (ids[InvoiceLine], iid, LineKind.CONSULTATION, "Consultation", Decimal("1"), fee)
                + (True, 0)
            )
            ids[InvoiceLine] += 1

    def _may_skip_triggers(self):
        if connection.vendor != "postgresql":
            return False
        if not hasattr(self, "_superuser"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
            self._superuser = bool(row and row[0])
        return self._superuser

    def _write_chunk(self, rows):
        w = self.writer
        with transaction.atomic():
            if self._may_skip_triggers():
                # Skips the per-row foreign key triggers of this chunk (a third of the
                # time); every key comes from rows written just before. Checks,
                # unique and exclusion constraints still apply.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            w.write(
                Appointment,
                [
                    "id",
                    "doctor_id",
                    "patient_id",
                    "visit_type_id",
                    "start",
                    "end",
                    "blocked_start",
                    "blocked_end",
                    "mode",
                    "location",
                    "reason",
                    "status",
                    "status_reason",
                    "video_room",
                    "sequence",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                ],
                rows[Appointment],
            )
            w.write(
                AppointmentEvent,
                ["id", "appointment_id", "actor_id", "from_status", "to_status", "from_start"]
                + ["to_start", "reason", "created_at"],
                rows[AppointmentEvent],
            )
            texts = ["presenting_complaint", "diagnosis", "plan"]
            w.write(
                ConsultationRecord,
                ["id", "appointment_id", "patient_id", "doctor_id", *texts, "status", "version"]
                + ["signed_at", "created_at", "updated_at"],
                rows[ConsultationRecord],
            )
            w.write(
                ConsultationRecordRevision,
                ["id", "record_id", "version", *texts, "signed_by_id", "signed_at"],
                rows[ConsultationRecordRevision],
            )
            w.write(
                Prescription,
                ["id", "appointment_id", "patient_id", "doctor_id", "status", "issued_at"]
                + ["created_at"],
                rows[Prescription],
            )
            w.write(
                PrescriptionItem,
                ["id", "prescription_id", "position", "drug", "strength", "form", "dose"]
                + ["frequency", "route", "duration", "quantity", "instructions"],
                rows[PrescriptionItem],
            )
            w.write(
                Invoice,
                ["id", "appointment_id", "patient_id", "doctor_id", "status", "number"]
                + ["receipt_year", "receipt_sequence", "clinic_name", "subtotal"]
                + ["taxable_subtotal", "tax_total", "total", "issued_at", "issued_by_id"]
                + ["paid_at", "payment_method", "paid_recorded_by_id", "created_at", "updated_at"],
                rows[Invoice],
            )
            w.write(
                InvoiceLine,
                ["id", "invoice_id", "kind", "description", "quantity", "unit_price", "taxable"]
                + ["position"],
                rows[InvoiceLine],
            )

    def _finish(self):
        with transaction.atomic():
            for year, last in getattr(self, "receipts", {}).items():
                counter, _ = ReceiptCounter.objects.select_for_update().get_or_create(year=year)
                if counter.last_number < last:
                    counter.last_number = last
                    counter.save(update_fields=["last_number"])
        # Explicit keys were written: move each sequence past them.
        touched = [
            User,
            EmailAddress,
            DoctorProfile,
            DoctorProfile.specializations.through,
            PatientProfile,
            VisitType,
            AvailabilityRule,
            TimeOff,
            Condition,
            Allergy,
            Medication,
            HistoryChange,
            Appointment,
            AppointmentEvent,
            ConsultationRecord,
            ConsultationRecordRevision,
            Prescription,
            PrescriptionItem,
            Invoice,
            InvoiceLine,
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
