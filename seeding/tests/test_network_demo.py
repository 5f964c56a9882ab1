import pytest
from django.core.management import call_command

from network.models import Connection, ConnectionStatus, Referral
from network.models import ReferralStatus as RS


@pytest.mark.django_db
def test_seed_demo_connects_doctors_and_leaves_a_referral_at_each_stage(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == sorted(RS.values)
    assert Connection.objects.filter(status=ConnectionStatus.ACCEPTED).count() == 2
    assert Connection.objects.filter(status=ConnectionStatus.PENDING).count() == 1
    closed = Referral.objects.get(status=RS.CLOSED)
    assert closed.report_letter and closed.grant_expires_at
    before = (Referral.objects.count(), Connection.objects.count())
    call_command("seed_demo", stdout=None)
    assert (Referral.objects.count(), Connection.objects.count()) == before
