"""Message threads between two people: two connected doctors (directly or about a
referral), or a patient and a doctor who treats them.

A thread has exactly two participants; only they read it. Message text, the
subject and attached files are encrypted at rest. Nothing here is ever deleted:
a retracted message keeps its row (and its encrypted text) and shows as retracted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from encryption.fields import EncryptedTextField
from encryption.files import EncryptedFileField

MAX_BODY_LENGTH = 5000
MAX_SUBJECT_LENGTH = 200
MAX_ATTACHMENTS = 5


class ThreadKind(models.TextChoices):
    REFERRAL = "referral", gettext_lazy("Referral")
    DIRECT = "direct", gettext_lazy("Colleague")
    PATIENT = "patient", gettext_lazy("Patient and doctor")


class ThreadQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(participants__user=user)

    def for_inbox(self, user):
        """The inbox page and endpoint: the user's threads, newest activity first, each
        with both participants and the user's unread count in the same two queries."""
        return (
            self.for_user(user)
            .annotate(my_unread=models.F("participants__unread_count"))
            .prefetch_related(
                models.Prefetch("participants", queryset=Participant.objects.select_related("user"))
            )
            .order_by("-last_message_at", "-id")
        )


class Thread(models.Model):
    kind = models.CharField(
        max_length=16, choices=ThreadKind.choices, verbose_name=gettext_lazy("kind")
    )
    subject = EncryptedTextField(blank=True, verbose_name=gettext_lazy("subject"))
    referral = models.OneToOneField(
        "network.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="message_thread",
        verbose_name=gettext_lazy("referral"),
    )
    # A patient thread: the patient, and the appointment they started it from (if any).
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="message_threads_about_me",
        verbose_name=gettext_lazy("patient"),
    )
    appointment = models.ForeignKey(
        "appointments.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="message_threads",
        verbose_name=gettext_lazy("appointment"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    last_message_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("last message at")
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("closed by"),
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("thread")
        verbose_name_plural = gettext_lazy("threads")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ThreadKind.values), name="messaging_thread_kind_valid"
            ),
            # A referral thread names its referral; no other thread does.
            models.CheckConstraint(
                condition=Q(kind=ThreadKind.REFERRAL, referral__isnull=False)
                | (~Q(kind=ThreadKind.REFERRAL) & Q(referral__isnull=True)),
                name="messaging_thread_referral_iff_kind",
            ),
            # Only a patient thread names a patient.
            models.CheckConstraint(
                condition=Q(kind=ThreadKind.PATIENT, patient__isnull=False)
                | (~Q(kind=ThreadKind.PATIENT) & Q(patient__isnull=True)),
                name="messaging_thread_patient_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="messaging_thread_closed_with_who",
            ),
        ]

    def __str__(self):
        return gettext("Thread #%(pk)s") % {"pk": self.pk}

    @property
    def is_closed(self):
        return self.closed_at is not None


class Participant(models.Model):
    """One of a thread's two people, with what they have read."""

    thread = models.ForeignKey(
        Thread,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=gettext_lazy("thread"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="message_participations",
        verbose_name=gettext_lazy("user"),
    )
    # Read receipts: the newest message this person has seen, and when.
    last_read_message_id = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("last read message id")
    )
    last_read_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("last read at")
    )
    # Messages from the other participant since then (the navigation badge sums it).
    unread_count = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("unread count"))

    class Meta:
        verbose_name = gettext_lazy("participant")
        verbose_name_plural = gettext_lazy("participants")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="messaging_participant_once"),
        ]
        indexes = [
            # The inbox and the unread badge: a person's participations.
            models.Index(fields=["user", "unread_count"], name="msg_participant_user_idx"),
        ]

    def __str__(self):
        return gettext("Participant #%(pk)s") % {"pk": self.pk}


class MessageQuerySet(models.QuerySet):
    def for_page(self):
        return self.select_related("sender").prefetch_related("attachments")


class Message(models.Model):
    thread = models.ForeignKey(
        Thread,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=gettext_lazy("thread"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("sender"),
    )
    body = EncryptedTextField(blank=True, verbose_name=gettext_lazy("body"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    retracted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("retracted at")
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("message")
        verbose_name_plural = gettext_lazy("messages")
        ordering = ["id"]
        indexes = [
            # A thread's messages in order, paged; the poll for messages after an id.
            models.Index(fields=["thread", "id"], name="msg_message_thread_idx"),
        ]

    def __str__(self):
        return gettext("Message #%(pk)s") % {"pk": self.pk}

    @property
    def is_retracted(self):
        return self.retracted_at is not None


def attachment_storage_path(instance, filename):
    # Server-generated: the uploaded name never becomes part of a path.
    name = uuid.uuid4().hex
    return f"messages/{name[:2]}/{name[2:4]}/{name}"


class Attachment(models.Model):
    message = models.ForeignKey(
        Message,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=gettext_lazy("message"),
    )
    # The stored bytes are a Fernet token of the file (encryption.files).
    file = EncryptedFileField(
        upload_to=attachment_storage_path, max_length=200, verbose_name=gettext_lazy("file")
    )
    original_filename = models.CharField(
        max_length=200, verbose_name=gettext_lazy("original filename")
    )
    content_type = models.CharField(max_length=100, verbose_name=gettext_lazy("content type"))
    size = models.PositiveBigIntegerField(verbose_name=gettext_lazy("size"))
    # Of the plain file, checked after decryption on every download.
    sha256 = models.CharField(max_length=64, verbose_name=gettext_lazy("sha256"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="messaging_attachment_not_empty"),
        ]

    def __str__(self):
        return gettext("Attachment #%(pk)s") % {"pk": self.pk}
