"""Reads of message threads: the inbox, a thread's pages, new messages since an id,
the unread total for the navigation, and attachments' verified bytes."""

import hashlib

from django.core.paginator import Paginator
from django.db.models import Q, Sum

from appointments.models import Appointment, AppointmentKind
from encryption.files import EncryptedFileUnreadable, encrypted_file_read
from network.models import Connection, ConnectionStatus
from records.selectors import DocumentIntegrityError

from .models import Message, Participant, Thread

THREAD_PAGE_SIZE = 50
INBOX_PAGE_SIZE = 25


def inbox(user):
    return Thread.objects.for_inbox(user).select_related("referral")


def unread_total(user):
    """Unread messages over all of the person's threads (one indexed query)."""
    total = Participant.objects.filter(user=user, unread_count__gt=0).aggregate(
        total=Sum("unread_count")
    )["total"]
    return total or 0


def thread_messages(thread):
    return Message.objects.filter(thread=thread).for_page().order_by("id")


def thread_page(thread, page_number):
    """One page of the thread in order; without a page number the newest page."""
    paginator = Paginator(thread_messages(thread), THREAD_PAGE_SIZE)
    if page_number in (None, ""):
        page_number = paginator.num_pages
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def messages_after(thread, after_id):
    return thread_messages(thread).filter(pk__gt=after_id)[:THREAD_PAGE_SIZE]


def mark_receipts(messages, *, viewer, other):
    """Set `read_by_other` on the viewer's own messages the other has read."""
    seen_up_to = (other.last_read_message_id or 0) if other is not None else 0
    for message in messages:
        message.is_mine = message.sender_id == viewer.pk
        message.read_by_other = message.is_mine and message.pk <= seen_up_to
    return messages


def connected_doctors(doctor):
    """The verified doctors `doctor` is connected with, by name."""
    connections = (
        Connection.objects.filter(status=ConnectionStatus.ACCEPTED)
        .filter(Q(requester=doctor) | Q(recipient=doctor))
        .select_related("requester__user", "recipient__user")
    )
    others = [c.recipient if c.requester_id == doctor.pk else c.requester for c in connections]
    return sorted((d for d in others if d.is_verified), key=lambda d: d.user.full_name)


def appointment_for_patient_thread(*, patient, appointment_id):
    """The patient's own appointment a conversation starts from, or None."""
    return (
        Appointment.objects.select_related("doctor__user")
        .filter(pk=appointment_id, patient=patient, kind=AppointmentKind.PATIENT)
        .first()
    )


def attachment_read_verified(attachment):
    """The attachment's plain bytes, checked against the SHA-256 taken at upload."""
    try:
        data = encrypted_file_read(attachment.file)
    except EncryptedFileUnreadable as exc:
        raise DocumentIntegrityError(str(exc)) from exc
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise DocumentIntegrityError("The stored file does not match the uploaded file.")
    return data
