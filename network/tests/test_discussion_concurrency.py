"""A case discussion and patients asking for the same time of a doctor at once, on
PostgreSQL: the database lets exactly one booking in, whoever it is; and a connection
removed while a booking runs leaves no booking made after the removal."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import enrol_totp
from appointments.errors import SlotTaken
from appointments.models import Appointment, Mode
from appointments.services import appointment_book
from appointments.tests.factories import (
    VisitTypeFactory,
    run_at_once,
    run_together,
    weekly_schedule,
)
from availability.models import FreeSlot
from doctors.tests.factories import DoctorFactory
from network.discussions import case_discussion_book
from network.errors import NetworkError
from network.models import CaseDiscussion, ConnectionStatus
from network.services import connection_remove
from patients.tests.factories import PatientFactory

from .factories import connect

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]

EACH = 8


@pytest.fixture
def contested():
    """A doctor with a patients' Consultation and colleagues' Case discussion, EACH
    patients and EACH connected doctors, and 10:00 three days ahead."""
    host = DoctorFactory()
    weekly_schedule(host, start=(8, 0), end=(18, 0))
    consultation = VisitTypeFactory(
        doctor=host, name="Consultation", duration_minutes=30, requires_approval=False
    )
    talk = VisitTypeFactory(
        doctor=host, name="Case discussion", duration_minutes=30, for_colleagues=True
    )
    patients = [PatientFactory().user for _ in range(EACH)]
    colleagues = [DoctorFactory() for _ in range(EACH)]
    for colleague in colleagues:
        connect(colleague, host)
    day = timezone.now().astimezone(host.tz).date() + dt.timedelta(days=3)
    ten = dt.datetime.combine(day, dt.time(10), tzinfo=host.tz)
    return host, consultation, talk, patients, colleagues, ten


def test_a_discussion_and_patients_for_the_same_slot_get_one_booking(contested):
    host, consultation, talk, patients, colleagues, ten = contested

    def work(i):
        if i % 2:
            return case_discussion_book(
                actor=colleagues[i // 2].user,
                colleague=host,
                visit_type=talk,
                start=ten,
                topic="Same time, please.",
            )
        return appointment_book(
            patient=patients[i // 2],
            doctor=host,
            visit_type=consultation,
            start=ten,
            mode=Mode.ONLINE,
        )

    results = run_at_once(2 * EACH, work)
    made = [r for r in results if isinstance(r, Appointment | CaseDiscussion)]
    taken = [r for r in results if isinstance(r, SlotTaken)]
    assert len(made) == 1 and len(taken) == 2 * EACH - 1, results
    assert Appointment.objects.filter(doctor=host).count() == 1
    assert CaseDiscussion.objects.count() in (0, 1)
    # The stored free slots followed the one booking: none left at that time.
    assert not FreeSlot.objects.filter(doctor=host, start=ten).exists()


def test_a_removal_racing_a_booking_leaves_no_booking_after_it(contested):
    host, _consultation, talk, _patients, colleagues, ten = contested
    requester = colleagues[0]
    enrol_totp(requester.user)
    link = requester.connections_sent.get(recipient=host)
    results = run_together(
        lambda: case_discussion_book(
            actor=requester.user, colleague=host, visit_type=talk, start=ten, topic="Quick one."
        ),
        lambda: connection_remove(connection=link, actor=host.user),
    )
    link.refresh_from_db()
    assert link.status == ConnectionStatus.REMOVED
    booked, _removed = results
    if isinstance(booked, CaseDiscussion):
        # Booked first: the removal waited for it and the discussion stays.
        assert CaseDiscussion.objects.filter(pk=booked.pk).exists()
    else:
        assert isinstance(booked, NetworkError), results
        assert not CaseDiscussion.objects.exists()
