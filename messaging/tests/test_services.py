"""Posting, reading, retracting and closing, through the services."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from network.models import ConnectionStatus, ReferralEvent
from notifications.models import Notification

from .. import services
from ..models import Message, Participant, Thread, ThreadKind
from .factories import SECRET, connect, pdf_upload, referral_between


def _participant(thread, user):
    return Participant.objects.get(thread=thread, user=user)


def test_a_new_message_is_unread_for_the_other_and_notified_without_its_text(
    colleague_thread, doctor, other_doctor
):
    assert _participant(colleague_thread, other_doctor.user).unread_count == 1
    assert _participant(colleague_thread, doctor.user).unread_count == 0
    notice = Notification.objects.get(recipient=other_doctor.user, kind="message_new")
    assert notice.title == "New message from Dr. Ravi Treating"
    assert SECRET not in notice.body and "A case" not in notice.body
    (email,) = [m for m in mail.outbox if other_doctor.user.email in m.to]
    assert "Dr. Ravi Treating" in email.subject
    for text in (email.subject, email.body, email.alternatives[0][0]):
        assert SECRET not in text and "A case" not in text


def test_one_notice_per_unread_streak(
    colleague_thread, doctor, other_doctor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(thread=colleague_thread, sender=doctor.user, body="And another")
    assert _participant(colleague_thread, other_doctor.user).unread_count == 2
    assert Notification.objects.filter(recipient=other_doctor.user).count() == 1

    services.thread_mark_read(thread=colleague_thread, user=other_doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(thread=colleague_thread, sender=doctor.user, body="Third")
    assert Notification.objects.filter(recipient=other_doctor.user).count() == 2


def test_read_receipt_records_the_newest_message_read(colleague_thread, other_doctor):
    newest = colleague_thread.messages.get()
    assert services.thread_mark_read(thread=colleague_thread, user=other_doctor.user) == 1
    reader = _participant(colleague_thread, other_doctor.user)
    assert reader.last_read_message_id == newest.pk
    assert reader.last_read_at is not None and reader.unread_count == 0
    # Reading again writes nothing.
    assert services.thread_mark_read(thread=colleague_thread, user=other_doctor.user) == 0


def test_writing_to_an_unconnected_doctor_changes_nothing(doctor, other_doctor):
    with pytest.raises(PermissionDenied):
        services.thread_start_direct(
            sender=doctor.user, doctor=other_doctor, subject="Hi", body=SECRET
        )
    assert not Thread.objects.exists() and not Message.objects.exists()


def test_an_unverified_colleague_cannot_be_written_to(doctor, unverified_doctor):
    connect(doctor, unverified_doctor)
    with pytest.raises(PermissionDenied):
        services.thread_start_direct(
            sender=doctor.user, doctor=unverified_doctor, subject="", body="Hello"
        )
    assert not Thread.objects.exists()


def test_a_removed_connection_keeps_the_history_read_only(colleague_thread, doctor, other_doctor):
    from network.models import Connection

    Connection.objects.update(status=ConnectionStatus.REMOVED)
    with pytest.raises(ValidationError, match="no longer connected"):
        services.message_post(thread=colleague_thread, sender=other_doctor.user, body="Still?")
    assert colleague_thread.messages.count() == 1


def test_a_non_participant_cannot_post_into_a_thread(colleague_thread, patient_a):
    with pytest.raises(PermissionDenied):
        services.message_post(thread=colleague_thread, sender=patient_a, body="Let me in")
    assert colleague_thread.messages.count() == 1


def test_retraction_keeps_the_row_and_only_the_sender_may(colleague_thread, doctor, other_doctor):
    message = colleague_thread.messages.get()
    with pytest.raises(PermissionDenied):
        services.message_retract(message=message, actor=other_doctor.user)

    services.message_retract(message=message, actor=doctor.user)
    message.refresh_from_db()
    assert message.is_retracted and message.body == SECRET  # kept, never deleted
    with pytest.raises(ValidationError, match="already retracted"):
        services.message_retract(message=message, actor=doctor.user)


def test_either_participant_closes_and_nobody_posts_after(asha_thread, patient_a, doctor):
    services.thread_close(thread=asha_thread, actor=doctor.user)
    asha_thread.refresh_from_db()
    assert asha_thread.closed_by == doctor.user
    with pytest.raises(ValidationError, match="closed"):
        services.message_post(thread=asha_thread, sender=patient_a, body="One more thing")
    with pytest.raises(ValidationError):
        services.thread_close(thread=asha_thread, actor=patient_a)


def test_a_patient_writes_only_to_a_doctor_who_treats_them(patient_a, other_doctor):
    with pytest.raises(PermissionDenied):
        services.thread_start_with_patient(
            starter=patient_a, patient=patient_a, doctor=other_doctor, subject="", body="Hi"
        )
    assert not Thread.objects.exists()


def test_a_doctor_writes_to_a_patient_they_treat(asha_thread, doctor, patient_a):
    thread = services.thread_start_with_patient(
        starter=doctor.user, patient=patient_a, doctor=doctor, subject="Results", body="All fine"
    )
    assert thread.kind == ThreadKind.PATIENT and thread.patient == patient_a
    assert set(thread.participants.values_list("user", flat=True)) == {doctor.user.pk, patient_a.pk}


def test_empty_and_overlong_messages_are_refused(colleague_thread, doctor):
    with pytest.raises(ValidationError, match="Write a message or attach a file"):
        services.message_post(thread=colleague_thread, sender=doctor.user, body="   ")
    with pytest.raises(ValidationError, match="at most 5000"):
        services.message_post(thread=colleague_thread, sender=doctor.user, body="x" * 5001)
    assert colleague_thread.messages.count() == 1


def test_referral_thread_is_made_once_and_posts_show_on_the_timeline(
    doctor, other_doctor, patient_a
):
    referral = referral_between(doctor, other_doctor, patient_a)
    thread = services.thread_for_referral(referral=referral)
    assert services.thread_for_referral(referral=referral) == thread
    assert thread.kind == ThreadKind.REFERRAL
    services.message_post(
        thread=thread, sender=other_doctor.user, body="Seen the echo", files=[pdf_upload()]
    )
    kinds = list(ReferralEvent.objects.filter(referral=referral).values_list("kind", "detail"))
    assert ("message", "") in kinds and ("file", "") in kinds
