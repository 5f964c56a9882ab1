"""The referral page and the network's notices in Hindi; English stays the default."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from network import referrals as svc
from notifications.models import Notification

from .factories import refer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Hindi request leaves Hindi active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_referral_page_in_hindi(login, awaiting, clinical):
    clinical.patient.language = "hi"
    clinical.patient.save(update_fields=["language"])
    client = login(clinical.patient)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    page = client.get(reverse("network:referral", args=[awaiting.pk])).content.decode()
    for hindi in (
        f"रेफ़रल #{awaiting.pk}",
        "इस रेफ़रल के बारे में",
        "रेफ़र करने वाले",
        "मैं सहमत हूँ",
        "क्या साझा किया गया है",
        "Chest pain on exertion",  # what the doctor wrote stays as written
    ):
        assert hindi in page
    for english in ("I agree", "About this referral", "What is shared"):
        assert english not in page


def test_the_referral_page_in_english_by_default(login, awaiting, clinical):
    page = login(clinical.patient).get(reverse("network:referral", args=[awaiting.pk]))
    assert b"I agree" in page.content


def test_a_referral_notice_reaches_each_reader_in_their_language(
    awaiting, clinical, specialist, django_capture_on_commit_callbacks
):
    """The specialist acts in English; the Hindi patient reads Hindi, the English
    referring doctor English."""
    clinical.patient.language = "hi"
    clinical.patient.save(update_fields=["language"])
    sent = svc.referral_consent(referral=awaiting, actor=clinical.patient, agree=True)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        svc.referral_accept(referral=sent, actor=specialist.user)
    notice = Notification.objects.get(kind="referral_accepted", recipient=clinical.patient)
    assert notice.title == "डॉ. Sara Specialist ने रेफ़रल स्वीकार किया"
    assert notice.body.startswith(f"{clinical.patient.full_name} का रेफ़रल #{awaiting.pk}")
    [email] = [m for m in mail.outbox if clinical.patient.email in m.to]
    assert "डॉ. Sara Specialist ने रेफ़रल स्वीकार किया" in email.subject
    assert "accepted" not in email.body
    doctors_copy = Notification.objects.get(
        kind="referral_accepted", recipient=clinical.doctor.user
    )
    assert doctors_copy.title == "Dr. Sara Specialist accepted the referral"


def test_consent_is_asked_in_the_patients_language(clinical, specialist):
    clinical.patient.language = "hi"
    clinical.patient.save(update_fields=["language"])
    with translation.override("en"):
        refer(clinical, specialist)
    notice = Notification.objects.get(kind="referral_consent_requested", recipient=clinical.patient)
    assert "would like to refer" not in notice.title and "डॉ. Sara Specialist" in notice.title


def test_the_network_api_refuses_in_hindi(api, unverified_doctor):
    response = api(unverified_doctor.user).get(
        reverse("api:connections"), HTTP_ACCEPT_LANGUAGE="hi"
    )
    assert response.status_code == 403
    assert "डॉक्टर नेटवर्क केवल सत्यापित डॉक्टरों के लिए है।" in response.content.decode()
