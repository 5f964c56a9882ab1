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


@pytest.mark.django_db
def test_seed_demo_books_one_case_discussion_on_a_visit_type_for_colleagues(settings):
    from appointments.models import AppointmentKind, VisitType
    from network.models import CaseDiscussion

    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    discussion = CaseDiscussion.objects.select_related("appointment__visit_type").get()
    assert discussion.appointment.kind == AppointmentKind.COLLEAGUE
    assert discussion.appointment.visit_type.for_colleagues
    assert discussion.requester.user.email == "dr.mehta@demo.medconnect"
    assert discussion.topic
    before = (CaseDiscussion.objects.count(), VisitType.objects.count())
    call_command("seed_demo", stdout=None)
    assert (CaseDiscussion.objects.count(), VisitType.objects.count()) == before
