"""Every write to message threads: starting one, posting, retracting, reading,
closing. Each is one transaction that locks the thread row, checks the rule in
messaging.access, writes, and audits; notices go out after the commit and never
carry the text of a message, its subject or its files' names.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.languages import in_language_of
from audit.models import AuditAction
from audit.services import audit_record
from encryption.files import encrypted_file_store
from network.services import are_connected, referral_event_record
from notifications.services import notification_send
from patients.access import is_treating_doctor, verified_doctor
from records.uploads import check_upload

from . import access
from .models import (
    MAX_ATTACHMENTS,
    MAX_BODY_LENGTH,
    MAX_SUBJECT_LENGTH,
    Attachment,
    Message,
    Participant,
    Thread,
    ThreadKind,
)


def _check_text(*, body, subject="", files=()):
    errors = {}
    if len(body) > MAX_BODY_LENGTH:
        errors["body"] = _("A message holds at most %(limit)s characters.") % {
            "limit": MAX_BODY_LENGTH
        }
    if len(subject) > MAX_SUBJECT_LENGTH:
        errors["subject"] = _("A subject holds at most %(limit)s characters.") % {
            "limit": MAX_SUBJECT_LENGTH
        }
    if len(files) > MAX_ATTACHMENTS:
        errors["attachments"] = _("Attach at most %(count)s files to one message.") % {
            "count": MAX_ATTACHMENTS
        }
    if not body.strip() and not files:
        errors["body"] = _("Write a message or attach a file.")
    if errors:
        raise ValidationError(errors)


def _patient_of(thread):
    if thread.patient_id:
        return thread.patient
    return thread.referral.patient if thread.referral_id else None


def _thread_create(*, kind, creator, users, subject="", **links):
    thread = Thread(kind=kind, subject=subject.strip(), created_by=creator, **links)
    thread.full_clean(exclude=["referral", "patient", "appointment", "created_by"])
    thread.save()
    Participant.objects.bulk_create([Participant(thread=thread, user=user) for user in users])
    return thread


# ---------------------------------------------------------------------------
# Starting threads


def thread_start_direct(*, sender, doctor, subject, body, files=(), request=None):
    """A verified doctor starts a conversation with a connected doctor (`doctor`, a
    DoctorProfile); posting to anyone they are not connected with changes nothing."""
    _check_text(body=body, subject=subject, files=files)
    mine = verified_doctor(sender)
    if mine is None or not doctor.is_verified or not are_connected(mine, doctor):
        raise PermissionDenied(_("You can write only to doctors you are connected with."))
    with transaction.atomic():
        thread = _thread_create(
            kind=ThreadKind.DIRECT, creator=sender, users=[sender, doctor.user], subject=subject
        )
        message_post(thread=thread, sender=sender, body=body, files=files, request=request)
    return thread


def thread_start_with_patient(
    *, starter, patient, doctor, subject, body, files=(), appointment=None, request=None
):
    """A patient writes to a doctor who treats them (from one of their appointments),
    or a treating doctor writes to their patient (from the patient's record)."""
    _check_text(body=body, subject=subject, files=files)
    if appointment is not None and (
        appointment.patient_id != patient.pk or appointment.doctor_id != doctor.pk
    ):
        raise PermissionDenied(_("This appointment is not one of yours with this doctor."))
    if starter.pk not in (patient.pk, doctor.user_id) or not is_treating_doctor(
        doctor.user, patient.pk
    ):
        raise PermissionDenied(
            _("Messages go only between a patient and a doctor who treats them.")
        )
    with transaction.atomic():
        thread = _thread_create(
            kind=ThreadKind.PATIENT,
            creator=starter,
            users=[starter, doctor.user if starter.pk == patient.pk else patient],
            subject=subject,
            patient=patient,
            appointment=appointment,
        )
        message_post(thread=thread, sender=starter, body=body, files=files, request=request)
    return thread


def thread_for_referral(*, referral):
    """The one thread of a referral between its two doctors, made on first use."""
    thread = Thread.objects.filter(referral=referral).first()
    if thread is not None:
        return thread
    subject = _("Referral of %(patient)s") % {"patient": referral.patient.full_name}
    try:
        with transaction.atomic():
            return _thread_create(
                kind=ThreadKind.REFERRAL,
                creator=referral.referring_doctor.user,
                users=[referral.referring_doctor.user, referral.specialist.user],
                subject=subject,
                referral=referral,
            )
    except IntegrityError:
        # Both doctors opened it at once: the other request made it.
        return Thread.objects.get(referral=referral)


# ---------------------------------------------------------------------------
# Posting and retracting


def _stored_attachment(checked):
    """An unsaved Attachment whose file is already stored, encrypted."""
    attachment = Attachment(
        original_filename=checked.display_name,
        content_type=checked.file_type.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
    )
    encrypted_file_store(attachment.file, checked.data)
    return attachment


def _notify_new_message(*, thread, sender, recipient):
    # The notice is written with the message, in the recipient's language; its email
    # goes out after the commit.
    with in_language_of(recipient):
        notification_send(
            recipient=recipient,
            kind="message_new",
            title=_("New message from %(sender)s") % {"sender": sender.display_name},
            body=_("You have a new secure message. Sign in to MedConnect to read it."),
            url=reverse("messaging:thread", args=[thread.pk]),
            email_template="message_new",
            context={"sender": sender.display_name},
        )


def message_post(*, thread, sender, body, files=(), request=None):
    """Post a message (text and/or checked files) into a thread the sender takes part in.

    Every file is checked before anything is stored; the text and the files are
    encrypted at rest. The other participant is notified once per unread streak.
    """
    _check_text(body=body, files=files)
    # Every file is checked before any is stored; stored files go again on failure.
    checked_files = [check_upload(f) for f in files]
    attachments = [_stored_attachment(checked) for checked in checked_files]
    try:
        with transaction.atomic():
            message = _message_write(thread, sender, body, attachments, request)
    except Exception:
        for attachment in attachments:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return message


def _message_write(thread, sender, body, attachments, request):
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    refusal = access.thread_refusal(sender, thread, access.POST)
    if refusal is not None:
        raise refusal
    message = Message.objects.create(thread=thread, sender=sender, body=body.strip())
    for attachment in attachments:
        attachment.message = message
        attachment.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    others = Participant.objects.filter(thread=thread).exclude(user=sender)
    recipient_row = others.select_related("user").get()
    others.update(unread_count=F("unread_count") + 1)
    Participant.objects.filter(thread=thread, user=sender).update(
        last_read_message_id=message.pk, last_read_at=message.created_at, unread_count=0
    )
    _audit_post(thread, sender, message, attachments, request)
    if recipient_row.unread_count == 0:
        _notify_new_message(thread=thread, sender=sender, recipient=recipient_row.user)
    return message


def _audit_post(thread, sender, message, attachments, request):
    detail = f"{len(attachments)} attachment(s)" if attachments else "text"
    audit_record(
        actor=sender,
        action=AuditAction.CREATE,
        obj=message,
        patient=_patient_of(thread),
        detail=detail,
        request=request,
    )
    if thread.referral_id:
        referral_event_record(referral=thread.referral, kind="message", actor=sender)
        # No file name: the referral's timeline is also the patient's, the thread is not.
        for _attachment in attachments:
            referral_event_record(referral=thread.referral, kind="file", actor=sender)


def message_retract(*, message, actor, request=None):
    """The sender retracts their message: it stays, marked retracted, its text and
    files no longer shown to anyone. Retracting twice is refused."""
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("thread").get(pk=message.pk)
        if message.sender_id != actor.pk or not access.can_read_thread(actor, message.thread):
            raise PermissionDenied(_("Only the sender can retract a message."))
        if message.is_retracted:
            raise ValidationError(
                _("This message is already retracted."), code="illegal_transition"
            )
        message.retracted_at = timezone.now()
        message.save(update_fields=["retracted_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=message,
            patient=_patient_of(message.thread),
            detail="retracted",
            request=request,
        )
    return message


# ---------------------------------------------------------------------------
# Reading and closing


def thread_mark_read(*, thread, user):
    """Everything in the thread up to now is read by `user` (their read receipt).
    Writes only when something new arrived since their last visit."""
    newest = thread.messages.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    return (
        Participant.objects.filter(thread=thread, user=user)
        .exclude(last_read_message_id__gte=newest)
        .update(last_read_message_id=newest, last_read_at=timezone.now(), unread_count=0)
    )


def thread_close(*, thread, actor, request=None):
    """Either participant closes the thread: it stays readable, nobody can post."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        refusal = access.thread_refusal(actor, thread, access.CLOSE)
        if refusal is not None:
            raise refusal
        thread.closed_at = timezone.now()
        thread.closed_by = actor
        thread.save(update_fields=["closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=thread,
            patient=_patient_of(thread),
            detail="closed",
            request=request,
        )
    return thread
