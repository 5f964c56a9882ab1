"""Staff see connections and referrals with their states, never clinical content."""

import pytest
from django.urls import reverse

from network import referrals as svc

pytestmark = pytest.mark.django_db


def test_staff_see_states_not_clinical_text(staff_client, sent, clinical, specialist):
    svc.referral_decline(referral=sent, actor=specialist.user, reason="Not my specialty today")
    listing = staff_client.get(reverse("admin:network_referral_changelist"))
    assert listing.status_code == 200 and b"Declined" in listing.content
    page = staff_client.get(reverse("admin:network_referral_change", args=[sent.pk]))
    assert page.status_code == 200
    for secret in (b"Chest pain", b"Stable angina", b"Not my specialty"):
        assert secret not in page.content
    connections = staff_client.get(reverse("admin:network_connection_changelist"))
    assert connections.status_code == 200 and b"Connected" in connections.content


def test_staff_cannot_change_a_referral(staff_client, sent):
    url = reverse("admin:network_referral_change", args=[sent.pk])
    staff_client.post(url, {"status": "closed"})
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert staff_client.get(reverse("admin:network_referral_add")).status_code == 403


def test_staff_see_case_discussions_without_their_topic(staff_client, doctor, specialist):
    from appointments.tests.factories import VisitTypeFactory, free_starts_ahead, weekly_schedule
    from network.discussions import case_discussion_book

    from .factories import connect

    weekly_schedule(specialist)
    talk = VisitTypeFactory(doctor=specialist, name="Case discussion", for_colleagues=True)
    connect(doctor, specialist)
    discussion = case_discussion_book(
        actor=doctor.user,
        colleague=specialist,
        visit_type=talk,
        start=free_starts_ahead(specialist, talk)[0],
        topic="Refractory migraine plan",
    )
    listing = staff_client.get(reverse("admin:network_casediscussion_changelist"))
    assert listing.status_code == 200 and b"Sara Specialist" in listing.content
    page = staff_client.get(reverse("admin:network_casediscussion_change", args=[discussion.pk]))
    assert page.status_code == 200 and b"Refractory migraine" not in page.content
    assert b"Refractory migraine" not in listing.content
    assert staff_client.get(reverse("admin:network_casediscussion_add")).status_code == 403
