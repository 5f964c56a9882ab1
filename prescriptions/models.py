from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doctors.models import DoctorProfile
from encryption.fields import EncryptedTextField


class PrescriptionStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOIDED = "voided", _("Voided")


class PrescriptionQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def for_doctor(self, doctor):
        return self.filter(doctor=doctor)

    def for_list(self):
        return (
            self.select_related("doctor__user", "patient", "appointment")
            .annotate(item_count=models.Count("items"))
            .order_by("-issued_at", "-id")
        )


class Prescription(models.Model):
    """A prescription issued during one appointment; voided with a reason, never deleted."""

    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.PROTECT,
        related_name="prescriptions",
        verbose_name=_("appointment"),
    )
    # Copied from the appointment so lists and the timeline filter on one table.
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="prescriptions",
        verbose_name=_("patient"),
    )
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="prescriptions",
        verbose_name=_("doctor"),
    )
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    notes = EncryptedTextField(blank=True, verbose_name=_("notes"))
    status = models.CharField(
        max_length=16,
        choices=PrescriptionStatus.choices,
        default=PrescriptionStatus.ISSUED,
        verbose_name=_("status"),
    )
    issued_at = models.DateTimeField(verbose_name=_("issued at"))
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

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")
        ordering = ["-issued_at", "-id"]
        indexes = [
            # Django Admin's prescription list: newest first (its ordering), a page at a time.
            models.Index(fields=["-issued_at", "-id"], name="prescription_issued_idx"),
            # Patient's prescriptions list and timeline, newest first.
            models.Index(fields=["patient", "-issued_at"], name="prescription_patient_idx"),
            # Doctor's issued prescriptions, newest first.
            models.Index(fields=["doctor", "-issued_at"], name="prescription_doctor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PrescriptionStatus.values),
                name="prescriptions_prescription_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=PrescriptionStatus.VOIDED)
                | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="prescriptions_prescription_void_has_reason",
            ),
        ]

    def __str__(self):
        return f"Prescription #{self.pk}"

    @property
    def is_voided(self):
        return self.status == PrescriptionStatus.VOIDED


class PrescriptionItem(models.Model):
    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="items", verbose_name=_("prescription")
    )
    position = models.PositiveSmallIntegerField(
        verbose_name=pgettext_lazy("order in a list", "position")
    )
    drug = models.CharField(max_length=200, verbose_name=_("drug"))
    strength = models.CharField(
        max_length=100, blank=True, help_text=_("For example: 500 mg"), verbose_name=_("strength")
    )
    form = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Tablet, syrup, cream…"),
        verbose_name=pgettext_lazy("medicine", "form"),
    )
    dose = models.CharField(
        max_length=100, help_text=_("For example: 1 tablet"), verbose_name=_("dose")
    )
    frequency = models.CharField(
        max_length=100, help_text=_("For example: twice a day"), verbose_name=_("frequency")
    )
    route = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Oral, topical…"),
        verbose_name=pgettext_lazy("medicine", "route"),
    )
    duration = models.CharField(
        max_length=100, blank=True, help_text=_("For example: 5 days"), verbose_name=_("duration")
    )
    quantity = models.CharField(max_length=100, blank=True, verbose_name=_("quantity"))
    instructions = EncryptedTextField(blank=True, verbose_name=_("instructions"))

    class Meta:
        verbose_name = _("prescription item")
        verbose_name_plural = _("prescription items")
        ordering = ["prescription", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "position"], name="prescriptions_item_unique_position"
            ),
        ]

    def __str__(self):
        return self.drug
