"""Races on a referral, on PostgreSQL: two answers at once give one outcome, and a revoke
racing downloads leaves no bytes handed out after the revoke commits."""

import time

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory

from appointments.tests.factories import run_at_once, run_together
from network import downloads
from network import referrals as svc
from network.errors import IllegalTransition
from network.models import Referral, ReferralEventKind
from network.models import ReferralStatus as RS

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
    ),
]


def test_two_accepts_at_once_give_one_outcome(sent, specialist):
    results = run_at_once(2, lambda i: svc.referral_accept(referral=sent, actor=specialist.user))
    accepted = [r for r in results if isinstance(r, Referral)]
    refused = [r for r in results if isinstance(r, IllegalTransition)]
    assert len(accepted) == 1 and len(refused) == 1, results
    assert sent.events.filter(kind=ReferralEventKind.ACCEPTED).count() == 1


def test_accept_and_decline_at_once_give_one_outcome(sent, specialist):
    results = run_together(
        lambda: svc.referral_accept(referral=sent, actor=specialist.user),
        lambda: svc.referral_decline(referral=sent, actor=specialist.user, reason="Full"),
    )
    assert sum(isinstance(r, Referral) for r in results) == 1, results
    sent.refresh_from_db()
    assert sent.status in (RS.ACCEPTED, RS.DECLINED)
    kinds = set(sent.events.values_list("kind", flat=True))
    assert len(kinds & {ReferralEventKind.ACCEPTED, ReferralEventKind.DECLINED}) == 1


def test_no_bytes_after_the_revoke_commits(sent, clinical, specialist, monkeypatch):
    """Downloads hold the referral row while they read (slowed down here); the revoke
    waits for them. Every download that got bytes finished reading before the revoke
    committed; every download after it is a 404."""
    real_read = downloads.document_read_for_download
    read_done = []

    def slow_read(**kwargs):
        time.sleep(0.2)
        data = real_read(**kwargs)
        read_done.append(time.monotonic())
        return data

    monkeypatch.setattr(downloads, "document_read_for_download", slow_read)

    def download():
        request = RequestFactory().get("/")
        request.user = specialist.user
        try:
            return downloads.shared_document_response(request, sent.pk, clinical.document.pk)
        except Http404 as exc:
            return exc

    def revoke():
        time.sleep(0.05)  # the first downloads hold the row by now
        svc.referral_revoke(referral=sent, actor=clinical.patient)
        return time.monotonic()

    results = run_together(download, download, download, revoke, download, download)
    revoked_at = results[3]
    assert isinstance(revoked_at, float), results
    served = [r for r in results[:3] + results[4:] if not isinstance(r, Http404)]
    assert served, "some downloads began before the revoke"
    assert all(r.status_code == 200 and r.content for r in served)
    assert all(done <= revoked_at for done in read_done)
    assert isinstance(download(), Http404)
