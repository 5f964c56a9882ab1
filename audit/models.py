from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    VERIFY = "verify", _("Verified")
    REJECT = "reject", _("Rejected")
    DENY = "deny", _("Denied")


class AuditEventQuerySet(models.QuerySet):
    def about_patient(self, patient):
        return self.filter(patient=patient)

    def by_others_than(self, user):
        return self.exclude(actor=user)

    # Bulk writes skip Model.save() and delete(), so they are refused here too.
    # (Deleting a person still nulls `actor` / `patient`: Django does that
    # through the plain base manager.)
    def update(self, **kwargs):
        raise RuntimeError("Audit events are append-only.")

    def delete(self):
        raise RuntimeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One line of the append-only audit trail.

    Rows are only ever inserted: `save()` refuses updates and `delete()` is
    refused, and Admin shows them read-only.
    """

    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    # The actor's name at the time, kept even if the account is later renamed.
    actor_label = models.CharField(max_length=254, blank=True, verbose_name=_("actor label"))
    action = models.CharField(
        max_length=16, choices=AuditAction.choices, verbose_name=pgettext_lazy("audit", "action")
    )
    object_type = models.CharField(max_length=64, verbose_name=_("object type"))
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("object id"))
    object_repr = models.CharField(max_length=200, blank=True, verbose_name=_("object repr"))
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_about_me",
        verbose_name=_("patient"),
    )
    allowed = models.BooleanField(default=True, verbose_name=_("allowed"))
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("ip address"))
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("user agent"))
    path = models.CharField(max_length=300, blank=True, verbose_name=_("path"))
    detail = models.TextField(blank=True, verbose_name=_("detail"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "Who viewed my record": a patient's entries, newest first.
            models.Index(fields=["patient", "-created_at"], name="audit_event_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values),
                name="audit_auditevent_action_valid",
            )
        ]

    def __str__(self):
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")
