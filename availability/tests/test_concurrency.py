"""Bookings, cancellations and the roll-forward at once: the stored free slots end
equal to the computed ones (PostgreSQL: real concurrent transactions)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from appointments import services
from appointments.errors import BookingError
from appointments.models import Appointment
from appointments.tests.factories import (
    book_free_slot,
    bookable_consultation,
    free_slots_ahead,
    run_at_once,
    run_together,
)
from availability import materialize
from availability.models import DoctorAvailability, FreeSlot
from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory

from .checks import assert_stored_equals_computed

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]

THREADS = 16


def test_bookings_and_cancellations_at_once_leave_the_stored_slots_right():
    doctor = DoctorFactory()
    visit_type = bookable_consultation(doctor)
    patients = [PatientFactory().user for _ in range(THREADS)]
    free = free_slots_ahead(doctor, visit_type, days_ahead=2, days=1)
    # Half the threads cancel visits booked beforehand, half book next to them.
    booked = [
        book_free_slot(
            patient=patients[n], doctor=doctor, visit_type=visit_type, start=free[2 * n].start
        )
        for n in range(THREADS // 2)
    ]

    def work(index):
        if index % 2:
            appointment = booked[index // 2]
            return services.appointment_cancel(
                appointment=appointment, actor=appointment.patient, reason="Cannot come"
            )
        patient = patients[THREADS // 2 + index // 2]
        try:
            return book_free_slot(
                patient=patient, doctor=doctor, visit_type=visit_type, start=free[index + 1].start
            )
        except BookingError as error:
            return error

    results = run_at_once(THREADS, work)
    assert all(isinstance(result, Appointment) for result in results), results
    assert_stored_equals_computed(doctor, timezone.now())


def test_two_roll_forwards_at_once_do_the_work_once():
    doctors = [DoctorFactory() for _ in range(3)]
    for doctor in doctors:
        bookable_consultation(doctor)
    later = timezone.now() + dt.timedelta(days=2)
    results = run_together(
        lambda: materialize.roll_forward(now=later), lambda: materialize.roll_forward(now=later)
    )
    assert sum(rolled for rolled, _built in results) == len(doctors), results
    for doctor in doctors:
        state = DoctorAvailability.objects.get(doctor=doctor)
        assert state.first_day == later.astimezone(doctor.tz).date()
        assert_stored_equals_computed(doctor, later)
    assert FreeSlot.objects.count() == len(doctors) * 31 * 16
