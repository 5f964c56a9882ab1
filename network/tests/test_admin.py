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
