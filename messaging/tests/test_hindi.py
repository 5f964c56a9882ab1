"""A message thread and the new-message notice in Hindi; English stays the default."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Hindi request leaves Hindi active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_thread_page_in_hindi(colleague_thread, other_doctor, login):
    other_doctor.user.language = "hi"
    other_doctor.user.save(update_fields=["language"])
    client = login(other_doctor.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    page = client.get(reverse("messaging:thread", args=[colleague_thread.pk])).content.decode()
    for hindi in ("जवाब दें", "भेजें", "यह बातचीत बंद करें", "सभी संदेश", "A case"):
        assert hindi in page
    for english in ("Reply", "Close this conversation", ">Send<"):
        assert english not in page


def test_the_inbox_in_hindi(colleague_thread, other_doctor, login):
    other_doctor.user.language = "hi"
    other_doctor.user.save(update_fields=["language"])
    client = login(other_doctor.user)
    page = client.get(reverse("messaging:inbox"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "Dr. Ravi Treating के साथ" in page and "with Dr. Ravi Treating" not in page


def test_a_message_that_is_too_long_is_refused_in_hindi(colleague_thread, other_doctor, login):
    other_doctor.user.language = "hi"
    other_doctor.user.save(update_fields=["language"])
    client = login(other_doctor.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    url = reverse("messaging:thread", args=[colleague_thread.pk])
    response = client.post(url, {"body": ""})
    assert response.status_code == 400
    assert "संदेश लिखें या फ़ाइल संलग्न करें।" in response.content.decode()


def test_the_new_message_notice_reaches_a_hindi_patient_in_hindi(
    asha_thread, patient_a, doctor, django_capture_on_commit_callbacks
):
    """The doctor answers in English; Asha, who reads Hindi, is told in Hindi."""
    from django.core import mail

    from messaging.services import message_post
    from notifications.models import Notification

    patient_a.language = "hi"
    patient_a.save(update_fields=["language"])
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        message_post(thread=asha_thread, sender=doctor.user, body="Take rest.")
    notice = Notification.objects.filter(recipient=patient_a, kind="message_new").latest("pk")
    assert notice.title.endswith("का नया संदेश")
    [email] = [m for m in mail.outbox if patient_a.email in m.to]
    assert email.subject.endswith("से नया सुरक्षित संदेश")
