"""A waitlist claim racing a normal booking for the same slot: the hold is advisory,
the database decides, exactly one of them gets the time. PostgreSQL only."""

import pytest
from django.db import connection

from appointments.errors import SlotTaken
from appointments.models import Appointment, Mode
from appointments.services import appointment_book, appointment_cancel
from appointments.tests.factories import run_together
from patients.tests.factories import PatientFactory
from waitlist.models import OfferStatus, WaitlistOffer
from waitlist.services import LOST_MESSAGE, WaitlistError, waitlist_join, waitlist_offer_claim

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]


@pytest.mark.parametrize("round_", range(5))
def test_a_claim_and_a_normal_booking_race_and_exactly_one_wins(full_day, round_):
    ctx = full_day
    waiter = PatientFactory().user
    walk_in = PatientFactory().user
    waitlist_join(
        patient=waiter,
        doctor=ctx["doctor"],
        visit_type=ctx["visit_type"],
        date_from=ctx["day"],
        date_to=ctx["day"],
    )
    appointment_cancel(appointment=ctx["appointment"], actor=ctx["holder"])  # offers on commit
    offer = WaitlistOffer.objects.get(entry__patient=waiter)

    claim, booking = run_together(
        lambda: waitlist_offer_claim(offer=offer, patient=waiter, mode=Mode.IN_PERSON),
        lambda: appointment_book(
            patient=walk_in,
            doctor=ctx["doctor"],
            visit_type=ctx["visit_type"],
            start=ctx["start"],
            mode=Mode.IN_PERSON,
        ),
    )

    winners = [r for r in (claim, booking) if isinstance(r, Appointment)]
    assert len(winners) == 1, (claim, booking)
    active = Appointment.objects.active().filter(doctor=ctx["doctor"], start=ctx["start"])
    assert active.count() == 1
    offer.refresh_from_db()
    if isinstance(claim, Appointment):
        assert isinstance(booking, SlotTaken)
        assert offer.status == OfferStatus.CLAIMED
    else:
        assert isinstance(claim, WaitlistError) and claim.messages == [LOST_MESSAGE]
        assert offer.status == OfferStatus.LOST
