"""seed_scale's doctor network: valid connections and referrals at every stage."""

import io

import pytest
from django.core.management import call_command

from network.models import Connection, ConnectionStatus, Referral
from network.models import ReferralStatus as RS
from network.services import are_connected

pytestmark = pytest.mark.django_db(transaction=True)


def test_connections_and_referrals_at_scale():
    out = io.StringIO()
    call_command(
        "seed_scale",
        *["--doctors", "12", "--patients", "150", "--appointments", "1500"],
        *["--referrals", "120", "--seed", "7"],
        stdout=out,
    )
    assert Connection.objects.filter(status=ConnectionStatus.ACCEPTED).count() >= 12
    assert Connection.objects.filter(status=ConnectionStatus.PENDING).exists()
    referrals = list(Referral.objects.select_related("referring_doctor", "specialist"))
    assert 60 <= len(referrals) <= 120
    assert {r.status for r in referrals} >= {RS.AWAITING_PATIENT, RS.SENT, RS.CLOSED}
    sample = referrals[:20]
    assert all(are_connected(r.referring_doctor, r.specialist) for r in sample)
    assert all(r.reason for r in sample)  # encrypted by the field, read back
    assert all(r.events.exists() and r.items.exists() for r in sample)
    # New rows get fresh keys after the explicit ones.
    assert Referral.objects.create(
        referring_doctor=referrals[0].referring_doctor,
        specialist=referrals[0].specialist,
        patient=referrals[0].patient,
        reason="After seeding",
    ).pk > max(r.pk for r in referrals)
