"""manage.py seed_scale: valid data in every domain, written the way the app reads it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import Role, User
from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentEvent,
    AppointmentStatus,
    VisitType,
)
from billing.models import Invoice, ReceiptCounter
from directory.selectors import doctor_free_slots
from doctors.models import DoctorProfile, Specialization
from prescriptions.models import PrescriptionItem
from records.models import ConsultationRecord
from seeding.specializations import SPECIALIZATIONS

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = ["--doctors", "12", "--patients", "150", "--appointments", "1500", "--seed", "7"]


def seed_scale(*extra):
    out = io.StringIO()
    call_command("seed_scale", *SIZES, *extra, stdout=out)
    return out.getvalue()


def test_seeds_every_domain_with_valid_rows():
    output = seed_scale()
    assert "Seeded" in output
    assert User.objects.filter(role=Role.DOCTOR).count() == 12
    assert User.objects.filter(role=Role.PATIENT).count() == 150
    assert sorted(Specialization.objects.values_list("name", flat=True)) == sorted(SPECIALIZATIONS)
    total = Appointment.objects.count()
    assert 1400 <= total <= 1500
    # Every status appears, in the past and the future.
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == set(AppointmentStatus.values)

    # No two active visits of one doctor (blocked time) or one patient overlap.
    active = list(
        Appointment.objects.filter(status__in=ACTIVE_STATUSES).values_list(
            "doctor_id", "patient_id", "start", "end", "blocked_start", "blocked_end"
        )
    )
    by_doctor, by_patient = {}, {}
    for doctor, patient, start, end, blocked_start, blocked_end in active:
        by_doctor.setdefault(doctor, []).append((blocked_start, blocked_end))
        by_patient.setdefault(patient, []).append((start, end))
    for intervals in [*by_doctor.values(), *by_patient.values()]:
        intervals.sort()
        assert all(a[1] <= b[0] for a, b in zip(intervals, intervals[1:], strict=False))

    # Every visit has its history, starting with "created".
    created = AppointmentEvent.objects.filter(appointment=OuterRef("pk"), from_status="")
    assert not Appointment.objects.filter(~Exists(created)).exists()
    final = AppointmentEvent.objects.filter(
        appointment=OuterRef("pk"), to_status=OuterRef("status")
    )
    assert not Appointment.objects.filter(~Exists(final)).exists()

    # Clinical rows only for completed visits.
    assert ConsultationRecord.objects.exclude(appointment__status="completed").count() == 0
    assert Invoice.objects.exclude(appointment__status="completed").count() == 0
    assert Invoice.objects.count() > 0


def test_encrypted_fields_are_stored_encrypted_and_read_back():
    seed_scale()
    record = ConsultationRecord.objects.exclude(diagnosis="").first()
    item = PrescriptionItem.objects.exclude(instructions="").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT diagnosis FROM records_consultationrecord WHERE id = %s", [record.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAA")  # a Fernet token
    assert record.diagnosis and not record.diagnosis.startswith("gAAAA")
    assert item.instructions == "After food"


def test_accounts_can_sign_in_and_patients_can_book(client):
    seed_scale()
    patient = User.objects.filter(role=Role.PATIENT).first()
    assert patient.emailaddress_set.filter(verified=True, primary=True).exists()
    assert client.login(email=patient.email, password="scale-pass-2026")
    # Verified doctors offer free slots on the grid the seed used.
    doctor = DoctorProfile.objects.verified().first()
    assert VisitType.objects.filter(doctor=doctor).count() == 3
    assert any(group.slot_count for group in doctor_free_slots(doctor=doctor))


def test_receipt_numbers_are_gapless_and_counters_match():
    seed_scale()
    for counter in ReceiptCounter.objects.all():
        sequences = sorted(
            Invoice.objects.filter(receipt_year=counter.year).values_list(
                "receipt_sequence", flat=True
            )
        )
        assert sequences == list(range(1, counter.last_number + 1))


def test_refuses_when_data_exists_and_resets_on_request():
    seed_scale()
    with pytest.raises(CommandError, match="--reset"):
        seed_scale()
    seed_scale("--reset")
    assert User.objects.filter(email__endswith="@scale.medconnect.test").count() == 162
    duplicates = (
        Appointment.objects.values("doctor", "start")
        .filter(status__in=ACTIVE_STATUSES)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_dry_run_writes_nothing():
    output = seed_scale("--dry-run")
    assert "Would create 12 doctors" in output
    assert not User.objects.exists()
    assert not Appointment.objects.filter(Q(status="pending") | Q(status="completed")).exists()


def test_message_threads_at_scale_are_consistent():
    from django.db.models import F

    from messaging.models import Message, Participant, Thread

    seed_scale("--message-threads", "15")
    threads = Thread.objects.annotate(n=Count("participants"))
    assert 1 <= threads.count() <= 15 and set(threads.values_list("n", flat=True)) == {2}
    assert Message.objects.filter(thread=Thread.objects.order_by("id").first()).count() == 1000
    assert Message.objects.order_by("id").first().body  # encrypted by the field, reads back
    for participant in Participant.objects.all():
        unread = (
            Message.objects.filter(thread=participant.thread_id)
            .exclude(sender=participant.user_id)
            .filter(id__gt=participant.last_read_message_id or 0)
            .count()
        )
        assert participant.unread_count == unread
    patient_threads = Thread.objects.filter(kind="patient")
    assert not patient_threads.exclude(patient=F("appointment__patient")).exists()
