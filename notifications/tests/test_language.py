"""A notice reaches its recipient in their language, whoever's request sends it: the
lazy title and body, the email context, the calendar file and the email itself."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from notifications.services import notification_send

pytestmark = pytest.mark.django_db


def _send(recipient, django_capture_on_commit_callbacks, request_language):
    seen = {}

    def ics():
        seen["language"] = translation.get_language()
        return "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"

    # The request that triggers it reads in another language than the recipient.
    with (
        translation.override(request_language),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notice = notification_send(
            recipient=recipient,
            kind="test",
            title=format_lazy(gettext_lazy("Receipt {number} was voided"), number="MC-7"),
            body=gettext_lazy("Your prescription is ready to view and download."),
            url="/prescriptions/",
            context={"label": gettext_lazy("Prescription")},
            ics=ics,
        )
    return notice, seen


def test_a_hindi_recipient_gets_the_notice_and_email_in_hindi(
    patient_a, django_capture_on_commit_callbacks
):
    patient_a.language = "hi"
    patient_a.save(update_fields=["language"])
    notice, seen = _send(patient_a, django_capture_on_commit_callbacks, "en")
    assert notice.title == "रसीद MC-7 रद्द कर दी गई"
    assert notice.body == "आपका प्रिस्क्रिप्शन देखने और डाउनलोड करने के लिए तैयार है।"
    assert notice.email_context == {"label": "पर्चा"}
    assert seen["language"] == "hi"
    message = mail.outbox[-1]
    assert message.subject == "[MedConnect] रसीद MC-7 रद्द कर दी गई"
    assert "नमस्ते Asha Patient," in message.body
    assert "MedConnect खोलें" in message.body
    assert '<html lang="hi">' in message.alternatives[0][0]


def test_an_english_recipient_gets_english_even_from_a_hindi_request(
    patient_a, django_capture_on_commit_callbacks
):
    notice, seen = _send(patient_a, django_capture_on_commit_callbacks, "hi")
    assert notice.title == "Receipt MC-7 was voided"
    assert seen["language"] == "en"
    assert "Hello Asha Patient," in mail.outbox[-1].body
