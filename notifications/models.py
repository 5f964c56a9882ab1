import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from encryption.fields import EncryptedTextField


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(max_length=64, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    body = models.TextField(blank=True, verbose_name=_("body"))
    # A path inside the app, where the notice leads.
    url = models.CharField(max_length=300, blank=True, verbose_name=_("url"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    emailed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("emailed at"))
    email_error = models.TextField(blank=True, verbose_name=_("email error"))
    # The email: a triplet in templates/emails/ ("" = the generic one), what it
    # shows (JSON, fixed when the event happened) and an optional calendar file.
    email_template = models.CharField(max_length=64, blank=True, verbose_name=_("email template"))
    email_context = models.JSONField(default=dict, blank=True, verbose_name=_("email context"))
    ics = models.TextField(_("calendar attachment"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Django Admin's notice list: newest first (its ordering), one page at a time.
            models.Index(fields=["-created_at", "-id"], name="notification_created_idx"),
            # The bell's unread count and the notification list, newest first.
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class CalendarFeedQuerySet(models.QuerySet):
    def for_token(self, token):
        return self.filter(token_digest=calendar_token_digest(token))


def calendar_token_digest(token):
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


class CalendarFeed(models.Model):
    """A person's private calendar feed URL.

    The feed is found by the SHA-256 digest of its token: the lookup compares
    digests, so its timing tells nothing about the secret. The token itself is
    kept encrypted, only so the settings page can show the URL again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token_digest = models.CharField(max_length=64, unique=True, verbose_name=_("token digest"))
    token = EncryptedTextField(verbose_name=_("token"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    rotated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("rotated at"))

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"Calendar feed of {self.user}"


class ReminderStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ReminderQuerySet(models.QuerySet):
    def due(self, now, max_attempts):
        """Reminders a worker should send now: scheduled and due, or failed with a retry due."""
        return self.filter(
            Q(status=ReminderStatus.SCHEDULED, due_at__lte=now)
            | Q(status=ReminderStatus.FAILED, attempts__lt=max_attempts, retry_at__lte=now)
        )


class Reminder(models.Model):
    """One reminder of one confirmed appointment, `offset` before it starts."""

    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("appointment"),
    )
    offset = models.DurationField(
        help_text=_("How long before the start it goes out."), verbose_name=_("offset")
    )
    due_at = models.DateTimeField(verbose_name=_("due at"))
    # The start this reminder was made for: a moved appointment gets new reminders.
    appointment_start = models.DateTimeField(verbose_name=_("appointment start"))
    status = models.CharField(
        max_length=16,
        choices=ReminderStatus.choices,
        default=ReminderStatus.SCHEDULED,
        verbose_name=_("status"),
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    retry_at = models.DateTimeField(null=True, blank=True, verbose_name=_("retry at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    notification = models.ForeignKey(
        Notification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("notification"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep: scheduled reminders that are due, oldest first.
            models.Index(fields=["status", "due_at"], name="reminder_status_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "offset", "due_at"],
                name="notifications_reminder_unique_due",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values),
                name="notifications_reminder_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReminderStatus.SENT) | Q(sent_at__isnull=False),
                name="notifications_reminder_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"Reminder {self.offset} before appointment {self.appointment_id}"

    @property
    def retries(self):
        return max(self.attempts - 1, 0)
