"""Demo data for `manage.py seed_demo`: the people (specializations, a staff account,
verified and pending doctors, patients), then the doctors' schedules (visit types,
weekly windows, time off) and a few appointments for the demo patients. Running it
again adds nothing."""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from appointments.errors import BookingError
from appointments.models import (
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    Mode,
    ModeOffer,
    VisitType,
)
from appointments.services import appointment_book, appointment_confirm
from appointments.slots import free_slots
from doctors.models import DoctorProfile, VerificationStatus
from patients.models import PatientProfile
from schedules.services import availability_rule_save, time_off_add, visit_type_save
from seeding.specializations import ensure_specializations

DEMO_DOMAIN = "@demo.medconnect"
DEMO_PASSWORD = "demo-pass-2026"

STAFF = ("staff@demo.medconnect", "Clinic Staff")
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
    ("asha@demo.medconnect", "Asha Verma", dt.date(1988, 3, 14), "+91 98450 11111", "B+"),
    ("rahul@demo.medconnect", "Rahul Nair", dt.date(1975, 11, 2), "+91 98450 22222", "O+"),
]
DEMO_PATIENTS = [email for email, *_ in PATIENTS]

VISIT_TYPES = [
    {
        "name": "Consultation",
        "duration_minutes": 30,
        "mode": ModeOffer.BOTH,
        "buffer_after_minutes": 10,
        "min_notice_minutes": 120,
        "max_advance_days": 60,
        "cancel_cutoff_hours": 24,
        "reschedule_cutoff_hours": 24,
        "requires_approval": True,
    },
    {
        "name": "Follow-up",
        "duration_minutes": 15,
        "mode": ModeOffer.ONLINE,
        "buffer_after_minutes": 5,
        "min_notice_minutes": 60,
        "max_advance_days": 30,
        "cancel_cutoff_hours": 4,
        "reschedule_cutoff_hours": 4,
        "requires_approval": False,
    },
]

# weekday(s), start, end, mode: mornings for both kinds of visit, evenings at the
# practice, Saturday mornings online.
WINDOWS = [
    *((day, dt.time(9, 30), dt.time(13, 0), ModeOffer.BOTH) for day in range(5)),
    *((day, dt.time(16, 0), dt.time(19, 0), ModeOffer.IN_PERSON) for day in range(5)),
    (5, dt.time(10, 0), dt.time(13, 0), ModeOffer.ONLINE),
]

# Visits that already happened: patient, doctor, days ago, local hour, status.
PAST_VISITS = [
    ("asha@demo.medconnect", "dr.mehta@demo.medconnect", 21, 10, AppointmentStatus.COMPLETED),
    ("asha@demo.medconnect", "dr.iyer@demo.medconnect", 9, 11, AppointmentStatus.COMPLETED),
    ("rahul@demo.medconnect", "dr.mehta@demo.medconnect", 14, 17, AppointmentStatus.COMPLETED),
    ("rahul@demo.medconnect", "dr.khan@demo.medconnect", 6, 10, AppointmentStatus.NO_SHOW),
]

# Visits to come, booked through the booking rules: patient, doctor, visit type,
# mode, days from now to start looking, confirmed by the doctor afterwards.
FUTURE_VISITS = [
    ("asha@demo.medconnect", "dr.mehta@demo.medconnect", "Consultation", Mode.IN_PERSON, 2, False),
    ("asha@demo.medconnect", "dr.fischer@demo.medconnect", "Follow-up", Mode.ONLINE, 4, False),
    ("rahul@demo.medconnect", "dr.iyer@demo.medconnect", "Consultation", Mode.ONLINE, 3, True),
    ("rahul@demo.medconnect", "dr.mehta@demo.medconnect", "Follow-up", Mode.ONLINE, 5, False),
]


def seed_demo_people():
    """The specializations, the staff account, the demo doctors and patients; what
    exists already is left as it is. Returns how many of each were created now."""
    specs, created_specs = ensure_specializations()
    counts = {"specializations": created_specs, "staff": 0, "doctors": 0, "patients": 0}
    _staff, created = _demo_user(STAFF[0], STAFF[1], Role.STAFF, is_staff=True, is_superuser=True)
    counts["staff"] += created
    for email, name, license_id, spec_names, city, fee, status, tz in DOCTORS:
        user, created = _demo_user(email, name, Role.DOCTOR)
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
        user, _ = _demo_user(email, name, Role.PATIENT)
        _profile, created = PatientProfile.objects.get_or_create(
            user=user,
            defaults={"date_of_birth": dob, "phone": phone, "blood_group": blood},
        )
        counts["patients"] += created
    return counts


def _demo_user(email, name, role, **extra):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"full_name": name, "role": role, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, created


def seed_demo_schedules():
    """Give every verified demo doctor a schedule and the demo patients some visits."""
    counts = {"visit types": 0, "availability windows": 0, "time off": 0, "appointments": 0}
    with transaction.atomic():
        doctors = {
            doctor.user.email: doctor
            for doctor in DoctorProfile.objects.verified()
            .filter(user__email__endswith=DEMO_DOMAIN)
            .select_related("user")
        }
        for doctor in doctors.values():
            _seed_schedule(doctor, counts)
        patients = {
            user.email: user for user in get_user_model().objects.filter(email__in=DEMO_PATIENTS)
        }
        if patients and not Appointment.objects.filter(patient__in=patients.values()).exists():
            _seed_past(doctors, patients, counts)
            _seed_future(doctors, patients, counts)
    return counts


def _seed_schedule(doctor, counts):
    existing = set(doctor.visit_types.values_list("name", flat=True))
    for spec in VISIT_TYPES:
        if spec["name"] not in existing:
            visit_type_save(doctor=doctor, **spec)
            counts["visit types"] += 1
    if not doctor.availability_rules.exists():
        for weekday, start, end, mode in WINDOWS:
            availability_rule_save(
                doctor=doctor, weekday=weekday, start_time=start, end_time=end, mode=mode
            )
            counts["availability windows"] += 1
    if not doctor.time_off.exists():
        # A Wednesday afternoon away, ten days or so from now.
        day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=10)
        day += dt.timedelta(days=(2 - day.weekday()) % 7)
        start = dt.datetime.combine(day, dt.time(14), tzinfo=doctor.tz)
        time_off_add(
            doctor=doctor, start=start, end=start + dt.timedelta(hours=6), reason="Hospital board"
        )
        counts["time off"] += 1


def _seed_past(doctors, patients, counts):
    # Past visits cannot be booked through the rules (they are in the past), so
    # they are written directly with the history a real visit would have.
    for email, doctor_email, days_ago, hour, status in PAST_VISITS:
        doctor, patient = doctors.get(doctor_email), patients.get(email)
        if not doctor or not patient:
            continue
        visit_type = VisitType.objects.get(doctor=doctor, name="Consultation")
        day = timezone.now().astimezone(doctor.tz).date() - dt.timedelta(days=days_ago)
        if day.weekday() > 4:
            day -= dt.timedelta(days=day.weekday() - 4)
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=doctor.tz).astimezone(dt.UTC)
        end = start + visit_type.duration
        appointment = Appointment.objects.create(
            doctor=doctor,
            patient=patient,
            visit_type=visit_type,
            start=start,
            end=end,
            blocked_start=start - visit_type.buffer_before,
            blocked_end=end + visit_type.buffer_after,
            mode=Mode.IN_PERSON,
            location=doctor.practice_address,
            reason="Routine check-up",
            status=status,
            created_by=patient,
        )
        for from_status, to_status, actor in [
            ("", AppointmentStatus.PENDING, patient),
            (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED, doctor.user),
            (AppointmentStatus.CONFIRMED, status, doctor.user),
        ]:
            AppointmentEvent.objects.create(
                appointment=appointment,
                actor=actor,
                from_status=from_status,
                to_status=to_status,
                to_start=start,
            )
        counts["appointments"] += 1


def _seed_future(doctors, patients, counts):
    for email, doctor_email, type_name, mode, days_ahead, confirm in FUTURE_VISITS:
        doctor, patient = doctors.get(doctor_email), patients.get(email)
        if not doctor or not patient:
            continue
        visit_type = VisitType.objects.get(doctor=doctor, name=type_name)
        first = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=days_ahead)
        # The first free slot of the first day that has one: each visit on its own
        # day keeps the patient's visits from overlapping.
        for slot in free_slots(
            doctor=doctor,
            visit_type=visit_type,
            start_date=first,
            end_date=first + dt.timedelta(days=7),
        ):
            if slot.allows(mode) and slot.start.astimezone(doctor.tz).date() >= first:
                break
        else:
            continue
        try:
            appointment = appointment_book(
                patient=patient,
                doctor=doctor,
                visit_type=visit_type,
                start=slot.start,
                mode=mode,
                reason="Follow-up on last visit"
                if type_name == "Follow-up"
                else "Persistent cough",
                email=False,  # the demo's bookings notify in the app only
            )
        except BookingError:
            continue  # the demo does without this one rather than fail
        if confirm and appointment.status == AppointmentStatus.PENDING:
            appointment_confirm(appointment=appointment, actor=doctor.user)
        counts["appointments"] += 1
