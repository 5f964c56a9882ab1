"""CSV exports made in the background: who asked, what it covers, how far it got, and
the private file it produced while it may still be downloaded."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    # A patient's own history, or a patient's history for a doctor who treats them.
    PATIENT_HISTORY = "patient_history", _("Treatment history")
    # Staff, for a period: no clinical text.
    APPOINTMENTS = "appointments", _("Appointments")
    INVOICES = "invoices", _("Invoices")


STAFF_KINDS = (ExportKind.APPOINTMENTS, ExportKind.INVOICES)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# The export is still working: it may be cancelled and its page keeps polling.
OPEN_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def export_storage_path(instance, filename):
    # Server-generated: nothing a person typed becomes part of a path.
    name = uuid.uuid4().hex
    return f"exports/{name[:2]}/{name}.csv"


class ExportQuerySet(models.QuerySet):
    def for_requester(self, user):
        return self.filter(requested_by=user)

    def for_list(self):
        return self.select_related("requested_by", "patient")

    def expired_by(self, now):
        return self.filter(status=ExportStatus.DONE, expires_at__lte=now)

    def stuck_since(self, moment):
        """Waiting or running since before `moment`: its worker is gone."""
        return self.filter(status__in=OPEN_STATUSES, created_at__lt=moment)


class Export(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ExportKind.choices)
    # Whose history (patient_history only).
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exports_about_me",
        verbose_name=_("patient"),
    )
    # The period of a staff export, in the clinic's time zone, both days included.
    date_from = models.DateField(_("first day"), null=True, blank=True)
    date_to = models.DateField(_("last day"), null=True, blank=True)
    # The language the person asked in: the file's headers and labels are written in it.
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveBigIntegerField(_("rows in all"), default=0)
    rows_done = models.PositiveBigIntegerField(_("rows done"), default=0)
    file = models.FileField(_("file"), upload_to=export_storage_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("downloadable until"), null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My exports": one person's exports, newest first.
            models.Index(fields=["requested_by", "-created_at"], name="export_requester_idx"),
            # The expiry sweep: finished exports past their download window.
            models.Index(fields=["status", "expires_at"], name="export_status_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="exports_export_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ExportKind.values), name="exports_export_kind_valid"
            ),
            # A history names its patient; a staff export names its period and no patient.
            models.CheckConstraint(
                condition=(
                    Q(kind=ExportKind.PATIENT_HISTORY, patient__isnull=False)
                    | (
                        Q(kind__in=[k.value for k in STAFF_KINDS], patient__isnull=True)
                        & Q(date_from__isnull=False, date_to__isnull=False)
                        & Q(date_from__lte=models.F("date_to"))
                    )
                ),
                name="exports_export_scope",
            ),
            # A finished file is downloadable until a set moment.
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | Q(expires_at__isnull=False),
                name="exports_export_done_expires",
            ),
        ]

    def __str__(self):
        return _("%(kind)s export #%(id)s") % {"kind": self.get_kind_display(), "id": self.pk}

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def percent(self):
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def download_name(self):
        stamp = self.created_at.strftime("%Y%m%d-%H%M")
        return f"medconnect-{self.kind.replace('_', '-')}-{stamp}.csv"
