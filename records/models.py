"""The clinical domain: consultation records, uploaded documents and the
patient's medical history (conditions, allergies, medications).

Medical history lives here rather than in `patients` because it is clinical
data with the same access rule, audit and "never lost" guarantees as the rest
of the record; `patients` keeps demographics only.

Nothing here is ever hard-deleted: records are amended or voided, history
items change status, documents are hidden.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doctors.models import DoctorProfile
from encryption.fields import EncryptedTextField

# ---------------------------------------------------------------------------
# Consultation records


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    VOIDED = "voided", _("Voided")


CONSULTATION_TEXT_FIELDS = (
    "presenting_complaint",
    "diagnosis",
    "tests_done",
    "observations",
    "plan",
)


class ConsultationRecordQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def final(self):
        """Signed or voided: what the patient and other doctors may read."""
        return self.exclude(status=RecordStatus.DRAFT)

    def for_list(self):
        return self.select_related("doctor__user", "appointment")


class ConsultationRecord(models.Model):
    """What the doctor wrote about one appointment.

    A draft until signed; then only amended (each signed text is kept as a
    revision) or voided with a reason.
    """

    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.PROTECT,
        related_name="consultation_records",
        verbose_name=_("appointment"),
    )
    # Copied from the appointment so lists and the timeline filter on one table.
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_records",
        verbose_name=_("patient"),
    )
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="consultation_records",
        verbose_name=_("doctor"),
    )
    presenting_complaint = EncryptedTextField(blank=True, verbose_name=_("presenting complaint"))
    diagnosis = EncryptedTextField(blank=True, verbose_name=_("diagnosis"))
    tests_done = EncryptedTextField(_("tests done"), blank=True)
    observations = EncryptedTextField(blank=True, verbose_name=_("observations"))
    plan = EncryptedTextField(blank=True, verbose_name=pgettext_lazy("treatment", "plan"))
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)

    status = models.CharField(
        max_length=16,
        choices=RecordStatus.choices,
        default=RecordStatus.DRAFT,
        verbose_name=_("status"),
    )
    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))
    signed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("signed at"))
    voided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("voided at"))
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.TextField(blank=True, verbose_name=_("void reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ConsultationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation record")
        verbose_name_plural = _("consultation records")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Timeline: one patient's records by date.
            models.Index(fields=["patient", "-created_at"], name="record_patient_created_idx"),
            # Django Admin's record list: newest first (its ordering), one page at a time.
            models.Index(fields=["-created_at", "-id"], name="record_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values),
                name="records_consultationrecord_status_valid",
            ),
            # At most one live (not voided) record per appointment.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=~Q(status=RecordStatus.VOIDED),
                name="records_consultationrecord_one_live_per_appointment",
            ),
            models.CheckConstraint(
                condition=Q(status=RecordStatus.DRAFT) | Q(signed_at__isnull=False),
                name="records_consultationrecord_final_was_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecordStatus.VOIDED)
                | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="records_consultationrecord_void_has_reason",
            ),
        ]

    def __str__(self):
        return f"Consultation record #{self.pk}"

    @property
    def is_draft(self):
        return self.status == RecordStatus.DRAFT

    @property
    def is_signed(self):
        return self.status == RecordStatus.SIGNED

    @property
    def is_voided(self):
        return self.status == RecordStatus.VOIDED


class ConsultationRecordRevision(models.Model):
    """One signed text of a record: the first signature, then each amendment."""

    record = models.ForeignKey(
        ConsultationRecord,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("record"),
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    presenting_complaint = EncryptedTextField(blank=True, verbose_name=_("presenting complaint"))
    diagnosis = EncryptedTextField(blank=True, verbose_name=_("diagnosis"))
    tests_done = EncryptedTextField(blank=True, verbose_name=_("tests done"))
    observations = EncryptedTextField(blank=True, verbose_name=_("observations"))
    plan = EncryptedTextField(blank=True, verbose_name=pgettext_lazy("treatment", "plan"))
    follow_up_date = models.DateField(null=True, blank=True, verbose_name=_("follow up date"))
    amendment_reason = EncryptedTextField(blank=True, verbose_name=_("amendment reason"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(verbose_name=_("signed at"))

    class Meta:
        verbose_name = _("consultation record revision")
        verbose_name_plural = _("consultation record revisions")
        ordering = ["record", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "version"], name="records_revision_unique_version"
            ),
        ]

    def __str__(self):
        return f"Record #{self.record_id} version {self.version}"


# ---------------------------------------------------------------------------
# Medical history


class ConditionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")


class AllergySeverity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    LIFE_THREATENING = "life_threatening", _("Life-threatening")


class AllergyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("No longer relevant")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")


class MedicationStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    PAST = "past", _("Past")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")


class HistoryItem(models.Model):
    """Fields every medical history item shares."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("patient"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


class Condition(HistoryItem):
    name = models.CharField(max_length=200, verbose_name=_("name"))
    status = models.CharField(
        max_length=20,
        choices=ConditionStatus.choices,
        default=ConditionStatus.ACTIVE,
        verbose_name=_("status"),
    )
    onset_date = models.DateField(_("onset"), null=True, blank=True)

    HISTORY_FIELDS = ("name", "status", "onset_date")

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["status", "name"]
        indexes = [
            # Medical history page: one patient's items.
            models.Index(fields=["patient", "status"], name="condition_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConditionStatus.values),
                name="records_condition_status_valid",
            ),
        ]

    def __str__(self):
        return self.name


class Allergy(HistoryItem):
    substance = models.CharField(max_length=200, verbose_name=_("substance"))
    reaction = models.CharField(max_length=300, blank=True, verbose_name=_("reaction"))
    severity = models.CharField(
        max_length=20, choices=AllergySeverity.choices, verbose_name=_("severity")
    )
    status = models.CharField(
        max_length=20,
        choices=AllergyStatus.choices,
        default=AllergyStatus.ACTIVE,
        verbose_name=_("status"),
    )

    HISTORY_FIELDS = ("substance", "reaction", "severity", "status")

    class Meta:
        verbose_name = _("allergy")
        ordering = ["status", "substance"]
        verbose_name_plural = _("allergies")
        indexes = [
            # Medical history page: one patient's items.
            models.Index(fields=["patient", "status"], name="allergy_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AllergyStatus.values), name="records_allergy_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=AllergySeverity.values),
                name="records_allergy_severity_valid",
            ),
        ]

    def __str__(self):
        return self.substance


class Medication(HistoryItem):
    name = models.CharField(max_length=200, verbose_name=_("name"))
    dose = models.CharField(max_length=100, blank=True, verbose_name=_("dose"))
    frequency = models.CharField(max_length=100, blank=True, verbose_name=_("frequency"))
    status = models.CharField(
        max_length=20,
        choices=MedicationStatus.choices,
        default=MedicationStatus.CURRENT,
        verbose_name=_("status"),
    )
    started_on = models.DateField(null=True, blank=True, verbose_name=_("started on"))
    stopped_on = models.DateField(null=True, blank=True, verbose_name=_("stopped on"))

    HISTORY_FIELDS = ("name", "dose", "frequency", "status", "started_on", "stopped_on")

    class Meta:
        verbose_name = _("medication")
        verbose_name_plural = _("medications")
        ordering = ["status", "name"]
        indexes = [
            # Medical history page: one patient's items.
            models.Index(fields=["patient", "status"], name="medication_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MedicationStatus.values),
                name="records_medication_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(stopped_on__gte=models.F("started_on")),
                name="records_medication_stop_after_start",
            ),
        ]

    def __str__(self):
        return self.name


class HistoryKind(models.TextChoices):
    CONDITION = "condition", _("Condition")
    ALLERGY = "allergy", _("Allergy")
    MEDICATION = "medication", _("Medication")


class HistoryChange(models.Model):
    """Who changed which history item when, and the values after the change."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="history_changes",
        verbose_name=_("patient"),
    )
    kind = models.CharField(max_length=16, choices=HistoryKind.choices, verbose_name=_("kind"))
    item_id = models.PositiveBigIntegerField(verbose_name=_("item id"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("changed at"))
    # {"field": [before, after]} for a change; {"field": value} for a new item.
    changes = models.JSONField(default=dict, verbose_name=_("changes"))
    created = models.BooleanField(default=False, verbose_name=_("created"))

    class Meta:
        verbose_name = _("history change")
        verbose_name_plural = _("history changes")
        ordering = ["-changed_at", "-id"]
        indexes = [
            # Medical history page: the latest changes for one patient.
            models.Index(fields=["patient", "-changed_at"], name="historychange_patient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=HistoryKind.values), name="records_historychange_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.item_id} changed"


# ---------------------------------------------------------------------------
# Documents


class DocumentKind(models.TextChoices):
    LAB_REPORT = "lab_report", _("Lab report")
    IMAGING = "imaging", _("Imaging")
    DISCHARGE_SUMMARY = "discharge_summary", _("Discharge summary")
    OTHER = "other", _("Other")
    RECEIPT = "receipt", _("Receipt")


# Made by MedConnect itself (document_file_generated), never uploaded by a person.
GENERATED_KINDS = [DocumentKind.RECEIPT.value]
# Not clinical data: listed and opened for the patient only. Doctors and staff
# reach receipts through billing, which applies the invoice rule.
PATIENT_ONLY_KINDS = [DocumentKind.RECEIPT.value]
UPLOAD_KIND_CHOICES = [
    (value, label) for value, label in DocumentKind.choices if value not in GENERATED_KINDS
]


def document_storage_path(instance, filename):
    # Server-generated: the uploaded name never becomes part of a path.
    name = uuid.uuid4().hex
    return f"documents/{name[:2]}/{name[2:4]}/{name}"


class DocumentQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def visible(self):
        return self.filter(is_hidden=False)

    def clinical(self):
        """What a treating doctor may see: everything but the patient's receipts."""
        return self.exclude(kind__in=PATIENT_ONLY_KINDS)

    def for_list(self):
        return self.select_related("uploaded_by")


class Document(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("patient"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(max_length=24, choices=DocumentKind.choices, verbose_name=_("kind"))
    document_date = models.DateField(_("date of the document"))
    description = EncryptedTextField(blank=True, verbose_name=_("description"))
    file = models.FileField(upload_to=document_storage_path, max_length=200, verbose_name=_("file"))
    original_filename = models.CharField(max_length=200, verbose_name=_("original filename"))
    content_type = models.CharField(max_length=100, verbose_name=_("content type"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("sha256"))
    # The system wrote the file (a receipt); `uploaded_by` is who caused it.
    is_generated = models.BooleanField(default=False, verbose_name=_("is generated"))
    is_hidden = models.BooleanField(default=False, verbose_name=_("is hidden"))
    hidden_at = models.DateTimeField(null=True, blank=True, verbose_name=_("hidden at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-document_date", "-id"]
        indexes = [
            # Documents list and timeline: one patient's documents by date.
            models.Index(fields=["patient", "-document_date"], name="document_patient_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="records_document_kind_valid"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="records_document_not_empty"),
            # Nobody can upload a file and pass it off as one the clinic generated.
            models.CheckConstraint(
                condition=Q(is_generated=True) | ~Q(kind__in=GENERATED_KINDS),
                name="records_document_generated_kinds",
            ),
        ]

    def __str__(self):
        return f"Document #{self.pk}"
