from unittest import mock

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import notification_send
from notifications.tasks import deliver_notification_email


@pytest.mark.django_db
def test_send_creates_notice_and_emails_after_commit(
    patient_a, settings, django_capture_on_commit_callbacks
):
    settings.MEDCONNECT_SITE_URL = "https://clinic.example.com"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = notification_send(
            recipient=patient_a,
            kind="appointment_confirmed",
            title="Your appointment is confirmed",
            body="Dr. Ravi will see you on Monday.",
            url="/appointments/1/",
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asha@example.com"]
    assert message.subject == "[MedConnect] Your appointment is confirmed"
    assert "Hello Asha Patient" in message.body
    assert "Dr. Ravi will see you on Monday." in message.body
    assert "https://clinic.example.com/appointments/1/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://clinic.example.com/appointments/1/"' in html
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert notice.read_at is None


@pytest.mark.django_db
def test_html_email_escapes_what_people_typed(patient_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=patient_a, kind="x", title="Hi", body="<script>x</script>")

    assert "<script>" not in mail.outbox[0].alternatives[0][0]


@pytest.mark.django_db
def test_no_email_for_inactive_people_or_when_asked(patient_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=patient_a, kind="x", title="In-app only", email=False)
        patient_a.is_active = False
        patient_a.save()
        notification_send(recipient=patient_a, kind="x", title="To an inactive account")

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=patient_a).count() == 2


@pytest.mark.django_db
def test_a_retried_delivery_does_not_send_twice(patient_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notification_send(recipient=patient_a, kind="x", title="Once")

    deliver_notification_email.call(notice.pk)

    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_delivery_keeps_the_error(patient_a):
    notice = notification_send(recipient=patient_a, kind="x", title="Bounce", email=False)

    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
        ),
        pytest.raises(OSError),
    ):
        deliver_notification_email.call(notice.pk)

    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.email_error == "SMTP down"


@pytest.mark.django_db
def test_long_titles_are_cut_to_fit(patient_a):
    notice = notification_send(recipient=patient_a, kind="x", title="T" * 500, email=False)

    assert len(notice.title) == 200
