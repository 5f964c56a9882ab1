"""The network's pages for each persona: what they see and what they may do."""

import datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from network import models as network_models
from network import referrals as svc
from network.grants import referral_expire_grants
from network.models import Connection, ConnectionStatus
from network.models import ReferralStatus as RS
from patients.access import has_view_grant

pytestmark = pytest.mark.django_db


def test_connections_page_per_persona(login, doctor, unverified_doctor, patient_a, staff):
    page = login(doctor.user).get(reverse("network:connections"))
    assert page.status_code == 200 and b"Find colleagues" in page.content
    pending = login(unverified_doctor.user).get(reverse("network:connections"))
    assert b"network-unavailable" in pending.content
    for user in (patient_a, staff):
        assert login(user).get(reverse("network:connections")).status_code == 404
    from django.test import Client

    assert Client().get(reverse("network:connections")).status_code == 302


def test_find_connect_accept_remove(login, doctor, other_doctor, unverified_doctor):
    a, b = login(doctor.user), login(other_doctor.user)
    found = a.get(reverse("network:connections"), {"q": "o"})
    assert b"Olga Other" in found.content and b"Uma Pending" not in found.content
    a.post(reverse("network:connect"), {"doctor": other_doctor.pk, "note": "Cardiology?"})
    received = b.get(reverse("network:connections"))
    assert b"Cardiology?" in received.content
    connection = Connection.objects.get()
    b.post(reverse("network:connection-action", args=[connection.pk, "accept"]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACCEPTED
    again = a.post(reverse("network:connect"), {"doctor": other_doctor.pk}, follow=True)
    assert b"already connected" in again.content
    a.post(reverse("network:connection-action", args=[connection.pk, "remove"]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.REMOVED


def test_connecting_to_an_unverified_doctor_is_a_404(login, doctor, unverified_doctor):
    response = login(doctor.user).post(reverse("network:connect"), {"doctor": unverified_doctor.pk})
    assert response.status_code == 404
    assert not Connection.objects.exists()


def test_referral_page_for_parties_and_404_for_others(
    login, awaiting, clinical, specialist, other_doctor, patient_b, staff
):
    url = reverse("network:referral", args=[awaiting.pk])
    patient_page = login(clinical.patient).get(url)
    assert b"I agree" in patient_page.content and b"Chest pain on exertion" in patient_page.content
    assert b"Document blood-test.pdf" in patient_page.content
    assert login(clinical.doctor.user).get(url).status_code == 200
    # The specialist sees the referral exists only after consent; before, no shared links.
    early = login(specialist.user).get(url)
    assert b"shared-document" not in early.content
    for user in (other_doctor.user, patient_b, staff):
        assert login(user).get(url).status_code == 404
    assert AuditEvent.objects.filter(actor=staff, allowed=False).exists()


def test_patient_agrees_on_the_page_and_the_specialist_downloads(
    login, awaiting, clinical, specialist
):
    login(clinical.patient).post(reverse("network:referral-action", args=[awaiting.pk, "agree"]))
    awaiting.refresh_from_db()
    assert awaiting.status == RS.SENT
    page = login(specialist.user).get(reverse("network:referral", args=[awaiting.pk]))
    assert b"shared-document" in page.content and b"Allergies" in page.content
    download = reverse("network:shared-document", args=[awaiting.pk, clinical.document.pk])
    response = login(specialist.user).get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    record = reverse("network:shared-record", args=[awaiting.pk, clinical.signed.pk])
    assert b"Bronchitis" in login(specialist.user).get(record).content
    # Not shared: the draft and anything else.
    draft = reverse("network:shared-record", args=[awaiting.pk, clinical.draft.pk])
    assert login(specialist.user).get(draft).status_code == 404
    # Every access shows in the patient's log with the referral.
    log = login(clinical.patient).get(reverse("records:who_viewed"))
    assert f"through referral #{awaiting.pk}".encode() in log.content
    assert AuditEvent.objects.filter(
        actor=specialist.user, action=AuditAction.DOWNLOAD, detail__contains="referral"
    ).exists()


def test_revoke_from_the_sharing_page(login, sent, clinical, specialist):
    page = login(clinical.patient).get(reverse("network:sharing"))
    assert b"Sara Specialist" in page.content and b"Ravi Treating" in page.content
    download = reverse("network:shared-document", args=[sent.pk, clinical.document.pk])
    assert login(specialist.user).get(download).status_code == 200
    login(clinical.patient).post(
        reverse("network:referral-action", args=[sent.pk, "revoke"]), {"next": "sharing"}
    )
    assert login(specialist.user).get(download).status_code == 404
    assert not has_view_grant(specialist.user, clinical.document)
    page = login(clinical.patient).get(reverse("network:sharing"))
    assert b"Sara Specialist" not in page.content


def test_referring_doctor_may_revoke_the_specialist_may_not(login, sent, clinical, specialist):
    url = reverse("network:referral-action", args=[sent.pk, "revoke"])
    assert login(specialist.user).post(url).status_code == 404
    sent.refresh_from_db()
    assert sent.grant_is_active()
    login(clinical.doctor.user).post(url)
    sent.refresh_from_db()
    assert not sent.grant_is_active()


def _closed(sent, clinical, specialist):
    from network.models import Referral

    Referral.objects.filter(pk=sent.pk).update(status=RS.REPORT_RETURNED)
    sent.refresh_from_db()
    return svc.referral_close(referral=sent, actor=clinical.doctor.user)


def test_grant_expires_with_a_frozen_clock(login, sent, clinical, specialist, settings):
    settings.MEDCONNECT_REFERRAL_GRANT_DAYS = 90
    closed = _closed(sent, clinical, specialist)
    download = reverse("network:shared-document", args=[sent.pk, clinical.document.pk])
    client = login(specialist.user)
    just_before = closed.closed_at + datetime.timedelta(days=90) - datetime.timedelta(seconds=1)
    # The referral's clock is frozen (the session's own clock keeps running).
    with _referral_clock(just_before):
        assert client.get(download).status_code == 200
    assert referral_expire_grants(now=just_before) == 0
    after = closed.closed_at + datetime.timedelta(days=90, seconds=1)
    with _referral_clock(after):
        # Refused at the exact moment, before any sweep ran.
        assert client.get(download).status_code == 404
    assert has_view_grant(specialist.user, clinical.document)
    assert referral_expire_grants(now=after) == 1
    assert referral_expire_grants(now=after) == 0
    assert not has_view_grant(specialist.user, clinical.document)
    assert closed.events.filter(kind="grant_expired").exists()
    with _referral_clock(after):
        assert client.get(download).status_code == 404


def _referral_clock(moment):
    return mock.patch.object(network_models, "timezone", SimpleNamespace(now=lambda: moment))


def test_report_back_and_the_referring_doctor_sees_it(login, clinical, specialist, sent):
    from network.models import Referral
    from records.tests.factories import pdf_bytes, upload

    Referral.objects.filter(pk=sent.pk).update(status=RS.SEEN)
    url = reverse("network:referral-report", args=[sent.pk])
    bad = login(specialist.user).post(
        url, {"letter": "x", "attachments": [upload("evil.pdf", b"MZ\x90\x00")]}
    )
    assert bad.status_code == 200 and b"PDF" in bad.content
    sent.refresh_from_db()
    assert sent.status == RS.SEEN and not sent.attachments.exists()
    response = login(specialist.user).post(
        url, {"letter": "Angina ruled out.", "attachments": [upload("echo.pdf", pdf_bytes())]}
    )
    assert response.status_code == 302
    page = login(clinical.doctor.user).get(reverse("network:referral", args=[sent.pk]))
    assert b"Angina ruled out." in page.content and b"echo.pdf" in page.content
    attachment = sent.attachments.get().document
    download = login(clinical.doctor.user).get(
        reverse("records:document_download", args=[attachment.pk])
    )
    assert download.status_code == 200


def test_expire_command(sent, clinical, specialist):
    from io import StringIO

    from django.core.management import call_command

    from network.models import Referral

    closed = _closed(sent, clinical, specialist)
    Referral.objects.filter(pk=closed.pk).update(grant_expires_at=closed.closed_at)
    out = StringIO()
    call_command("expire_referral_grants", "--dry-run", stdout=out)
    assert "1 referral grant(s) would expire" in out.getvalue()
    call_command("expire_referral_grants", stdout=out)
    assert "1 referral grant(s) expired" in out.getvalue()
    assert not has_view_grant(specialist.user, clinical.document)
