"""Many people asking for the same time at once: the database lets exactly one in.

These need real concurrent transactions, so they run on PostgreSQL only (SQLite
serialises every write anyway).
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from appointments import services, slots
from appointments.errors import BookingError, SlotTaken
from appointments.models import Appointment, Mode
from appointments.services import appointment_book, appointment_reschedule
from appointments.tests.factories import (
    AppointmentFactory,
    VisitTypeFactory,
    run_at_once,
    weekly_schedule,
)
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]

THREADS = 32


@pytest.fixture
def contested_slot():
    """One doctor, a 30-minute Consultation and a 15-minute Follow-up, THREADS patients
    and 10:00 three days ahead: the time they all ask for."""
    doctor = DoctorFactory()
    weekly_schedule(doctor, start=(8, 0), end=(18, 0))
    long_visit = VisitTypeFactory(
        doctor=doctor, name="Consultation", duration_minutes=30, requires_approval=False
    )
    short_visit = VisitTypeFactory(doctor=doctor, name="Follow-up", duration_minutes=15)
    patients = [PatientFactory().user for _ in range(THREADS)]
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    ten = dt.datetime.combine(day, dt.time(10), tzinfo=doctor.tz)
    return doctor, long_visit, short_visit, patients, ten


def _outcomes(results):
    booked = [r for r in results if isinstance(r, Appointment)]
    taken = [r for r in results if isinstance(r, SlotTaken)]
    others = [r for r in results if not isinstance(r, Appointment | SlotTaken)]
    return booked, taken, others


def test_many_patients_booking_the_same_slot_get_exactly_one_appointment(contested_slot):
    doctor, visit_type, _short, patients, ten = contested_slot

    results = run_at_once(
        THREADS,
        lambda i: appointment_book(
            patient=patients[i], doctor=doctor, visit_type=visit_type, start=ten, mode=Mode.ONLINE
        ),
    )

    booked, taken, others = _outcomes(results)
    assert others == []
    assert len(booked) == 1 and len(taken) == THREADS - 1
    assert Appointment.objects.filter(doctor=doctor).count() == 1
    assert all(str(exc.messages[0]) == "This slot was just taken." for exc in taken)


def test_overlapping_slots_of_different_visit_types_get_exactly_one(contested_slot):
    doctor, long_visit, short_visit, patients, ten = contested_slot
    starts = {long_visit.pk: ten, short_visit.pk: ten + dt.timedelta(minutes=15)}

    def book(i):
        visit_type = long_visit if i % 2 else short_visit
        return appointment_book(
            patient=patients[i],
            doctor=doctor,
            visit_type=visit_type,
            start=starts[visit_type.pk],
            mode=Mode.IN_PERSON,
        )

    booked, taken, others = _outcomes(run_at_once(THREADS, book))

    assert others == []
    assert len(booked) == 1 and len(taken) == THREADS - 1
    assert Appointment.objects.filter(doctor=doctor).count() == 1


def test_concurrent_reschedules_into_one_slot_move_exactly_one(contested_slot):
    doctor, visit_type, _short, patients, ten = contested_slot
    day_after = ten + dt.timedelta(days=1)
    originals = [
        AppointmentFactory(
            doctor=doctor,
            patient=patients[i],
            visit_type=visit_type,
            start=day_after - dt.timedelta(hours=2) + i * dt.timedelta(minutes=30),
        )
        for i in range(THREADS)
    ]
    before = {a.pk: a.start for a in originals}

    results = run_at_once(
        THREADS,
        lambda i: appointment_reschedule(
            appointment=originals[i], actor=patients[i], new_start=ten
        ),
    )

    moved, taken, others = _outcomes(results)
    assert others == []
    assert len(moved) == 1 and len(taken) == THREADS - 1
    assert Appointment.objects.filter(doctor=doctor, start=ten).count() == 1
    for appointment in Appointment.objects.filter(doctor=doctor).exclude(pk=moved[0].pk):
        assert appointment.start == before[appointment.pk]
        assert appointment.sequence == 0


def test_the_database_alone_refuses_double_booking(contested_slot, monkeypatch):
    # Without the row lock and the engine's check, the exclusion constraint
    # must still let only one booking in.
    doctor, visit_type, _short, patients, ten = contested_slot
    monkeypatch.setattr(services, "_lock_doctor", lambda doctor: doctor)
    monkeypatch.setattr(slots, "check_slot_location", lambda **kwargs: (None, "", "Clinic"))

    results = run_at_once(
        THREADS,
        lambda i: appointment_book(
            patient=patients[i],
            doctor=doctor,
            visit_type=visit_type,
            start=ten + dt.timedelta(minutes=5 * (i % 4)),
            mode=Mode.IN_PERSON,
        ),
    )

    booked, taken, others = _outcomes(results)
    assert others == []
    assert len(booked) == 1 and len(taken) == THREADS - 1
    assert Appointment.objects.filter(doctor=doctor).count() == 1


def test_one_patient_booking_many_doctors_at_once_gets_one(contested_slot):
    _doctor, _long, _short, patients, ten = contested_slot
    patient = patients[0]
    doctors = []
    for _ in range(THREADS):
        doctor = DoctorFactory()
        weekly_schedule(doctor, start=(8, 0), end=(18, 0))
        doctors.append((doctor, VisitTypeFactory(doctor=doctor, requires_approval=False)))

    results = run_at_once(
        THREADS,
        lambda i: appointment_book(
            patient=patient,
            doctor=doctors[i][0],
            visit_type=doctors[i][1],
            start=ten,
            mode=Mode.IN_PERSON,
        ),
    )

    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, BookingError)]
    assert len(booked) == 1 and len(refused) == THREADS - 1
    assert all("already have an appointment" in exc.messages[0] for exc in refused)
    assert Appointment.objects.filter(patient=patient).count() == 1
