"""One `seed_scale` run: the state its steps share, and the steps in order."""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from appointments.models import (
    Appointment,
    AppointmentEvent,
    AvailabilityRule,
    TimeOff,
    VisitType,
)
from billing.models import Invoice, InvoiceLine
from doctors.models import DoctorProfile
from messaging.models import Message, Participant, Thread
from network.models import Connection, Referral, ReferralEvent, ReferralItem
from patients.models import PatientProfile
from prescriptions.models import Prescription, PrescriptionItem
from records.models import (
    Allergy,
    Condition,
    ConsultationRecord,
    ConsultationRecordRevision,
    HistoryChange,
    Medication,
)

from .appointments import seed_calendars
from .billing import seed_billing_settings, update_receipt_counters
from .clinical import seed_history
from .doctors import seed_doctors
from .messages import seed_messages
from .network import seed_network
from .patients import seed_patients
from .people import PASSWORD
from .schedules import seed_schedules
from .writer import RowWriter, reset_sequences

# Every model written with explicit keys: their sequences are moved past them.
SEQUENCED_MODELS = [
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
    Connection,
    Referral,
    ReferralItem,
    ReferralEvent,
    Thread,
    Participant,
    Message,
]


class ScaleRun:
    """The random source, "now", the writer and one password hash for a whole run, and
    what the earlier steps made that the later ones draw from."""

    def __init__(self, *, seed, batch_size):
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)
        self.writer = RowWriter(batch_size)
        self.password = make_password(PASSWORD)  # once: every account shares it
        self.doctors = []  # verified: (doctor id, user id, tz name, fee, template, address)
        self.patient_ids = []  # user ids
        self.visit_types = {}  # doctor id -> [(id, duration, buffer after, requires approval)]
        self.time_off = {}  # doctor id -> (start, end)
        self.receipts = {}  # year -> last receipt sequence

    def weighted(self, choices):
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights=weights)[0]


def seed_scale(
    run,
    *,
    doctors,
    patients,
    appointments,
    past_days,
    future_days,
    referrals=0,
    message_threads=0,
):
    """Write the whole clinic. Returns how many appointments fewer than asked found room."""
    with transaction.atomic():
        seed_billing_settings()
        seed_doctors(run, doctors)
        seed_patients(run, patients)
        seed_schedules(run)
    seed_history(run)
    short = seed_calendars(run, total=appointments, past_days=past_days, future_days=future_days)
    with transaction.atomic():
        seed_network(run, referrals=referrals)
    seed_messages(run, threads=message_threads)
    return short


def finish_scale(run):
    """Receipt counters to match the receipts written, sequences past the explicit keys,
    fresh planner statistics."""
    update_receipt_counters(run)
    reset_sequences(SEQUENCED_MODELS)
