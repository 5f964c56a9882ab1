"""The functions other apps build on: are_connected, the timeline, the access helper."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from audit.models import AuditEvent
from network.access import get_referral_for_user
from network.models import ConnectionStatus, ReferralEventKind
from network.services import are_connected, referral_event_record

from .factories import ConnectionFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_are_connected_either_direction_only_when_accepted(doctor, other_doctor):
    assert not are_connected(doctor, other_doctor)
    connection = ConnectionFactory(
        requester=doctor, recipient=other_doctor, status=ConnectionStatus.PENDING
    )
    assert not are_connected(doctor, other_doctor)
    connection.status = ConnectionStatus.ACCEPTED
    connection.save()
    assert are_connected(doctor, other_doctor)
    assert are_connected(other_doctor, doctor)
    assert not are_connected(doctor, doctor)


def test_referral_event_record_appends_in_order(doctor):
    referral = ReferralFactory(referring_doctor=doctor)
    referral_event_record(referral=referral, kind="message", actor=doctor.user)
    referral_event_record(referral=referral, kind="file", actor=doctor.user, detail="scan.pdf")
    kinds = list(referral.events.values_list("kind", flat=True))
    assert kinds == [ReferralEventKind.MESSAGE, ReferralEventKind.FILE]
    assert referral.events.last().detail == "scan.pdf"
    with pytest.raises(ValueError):
        referral_event_record(referral=referral, kind="nonsense", actor=doctor.user)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_get_referral_for_user_parties_only(doctor, other_doctor, patient_a, patient_b, staff):
    referral = ReferralFactory(referring_doctor=doctor, specialist=other_doctor, patient=patient_a)
    for user in (doctor.user, other_doctor.user, patient_a):
        assert get_referral_for_user(_request(user), referral.pk) == referral
    for user in (patient_b, staff):
        with pytest.raises(Http404):
            get_referral_for_user(_request(user), referral.pk)
    assert AuditEvent.objects.filter(actor=staff, allowed=False).exists()
