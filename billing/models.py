"""Billing: clinic settings, doctors' fee schedules, invoices and receipt numbers.

Decisions
- The consultation fee **is** `DoctorProfile.consultation_fee`. Search, the
  doctor's public page and the drafted invoice read the same field, so the fee
  a patient sees before booking is the fee billed. The fee schedule page edits
  it (through `billing.services.fee_schedule_update`); `FeeSchedule` adds the
  lab test, medication and other fees, each nullable: a null fee means "use
  the clinic default" from `BillingSettings`. There is no clinic default
  consultation fee because every doctor must state one at signup.
- One invoice per appointment at a time: a partial unique constraint allows a
  new draft after an invoice was voided (a wrong receipt is voided, then the
  visit is billed again), never two live invoices for one visit.
- Receipt numbers are `<prefix>-<year>-<6-digit sequence>`, the sequence
  taken from a `ReceiptCounter` row locked inside the issuing transaction, so
  numbers are gapless per year even under concurrent issuing (a rolled-back
  issue rolls its increment back too). The year is the issue date's year in
  the clinic's time zone (`TIME_ZONE`).
- What the receipt says is frozen at issue: clinic details, tax name and rate,
  currency and totals are copied onto the invoice; lines cannot change after.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from doctors.models import DoctorProfile

from . import money

MAX_FEE = Decimal("10000000")
MAX_QUANTITY = Decimal("100000")

fee_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_FEE)]

gstin_validator = RegexValidator(
    r"^[0-9]{2}[A-Z0-9]{10}[0-9A-Z]{3}$",
    "Enter the 15-character GSTIN as registered, in capitals (e.g. 29ABCDE1234F1Z5).",
)
receipt_prefix_validator = RegexValidator(
    r"^[A-Z0-9]{1,10}$", "Use 1 to 10 capital letters or digits, e.g. MC."
)


def _fee_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=2, validators=fee_validators, **kwargs
    )


class BillingSettings(models.Model):
    """The clinic's billing settings: a single row (pk 1), edited in Admin."""

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=SINGLETON_PK, editable=False, verbose_name=_("id")
    )
    clinic_name = models.CharField(
        max_length=200, default="MedConnect Clinic", verbose_name=_("clinic name")
    )
    clinic_address = models.TextField(max_length=500, blank=True, verbose_name=_("clinic address"))
    tax_number = models.CharField(
        _("tax registration number (GSTIN)"),
        max_length=15,
        blank=True,
        validators=[gstin_validator],
    )
    tax_name = models.CharField(max_length=20, default="GST", verbose_name=_("tax name"))
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("18.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    currency = models.CharField(
        max_length=3, choices=money.CURRENCY_CHOICES, default="INR", verbose_name=_("currency")
    )
    receipt_prefix = models.CharField(
        max_length=10,
        default="MC",
        validators=[receipt_prefix_validator],
        verbose_name=_("receipt prefix"),
    )
    default_lab_test_fee = _fee_field(_("default lab test fee"), default=Decimal("0.00"))
    default_medication_fee = _fee_field(_("default medication fee"), default=Decimal("0.00"))
    default_other_fee = _fee_field(_("default other / additional fee"), default=Decimal("0.00"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="billing_billingsettings_single_row"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0) & Q(tax_rate__lte=100),
                name="billing_billingsettings_tax_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=list(money.CURRENCIES)),
                name="billing_billingsettings_currency_valid",
            ),
            models.CheckConstraint(
                condition=Q(default_lab_test_fee__gte=0)
                & Q(default_medication_fee__gte=0)
                & Q(default_other_fee__gte=0),
                name="billing_billingsettings_fees_not_negative",
            ),
        ]

    def __str__(self):
        return str(_("Billing settings"))


class FeeSchedule(models.Model):
    """A doctor's fees beyond the consultation; a null fee means the clinic default."""

    doctor = models.OneToOneField(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="fee_schedule",
        verbose_name=_("doctor"),
    )
    lab_test_fee = _fee_field(_("lab test fee"), null=True, blank=True)
    medication_fee = _fee_field(_("medication fee"), null=True, blank=True)
    other_fee = _fee_field(_("other / additional fee"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lab_test_fee__isnull=True) | Q(lab_test_fee__gte=0))
                & (Q(medication_fee__isnull=True) | Q(medication_fee__gte=0))
                & (Q(other_fee__isnull=True) | Q(other_fee__gte=0)),
                name="billing_feeschedule_fees_not_negative",
            ),
        ]

    def __str__(self):
        return gettext("Fee schedule of %(doctor)s") % {"doctor": self.doctor}


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued (unpaid)")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    UPI = "upi", _("UPI")
    OTHER = "other", _("Other")


class LineKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    LAB_TEST = "lab_test", _("Lab test")
    MEDICATION = "medication", _("Medication")
    OTHER = "other", _("Other / additional")


class InvoiceQuerySet(models.QuerySet):
    def for_patient(self, user):
        # Drafts are the doctor's working copy; patients see a bill once issued.
        return self.filter(patient=user).exclude(status=InvoiceStatus.DRAFT)

    def for_doctor(self, doctor):
        return self.filter(doctor=doctor)

    def live(self):
        return self.exclude(status=InvoiceStatus.VOID)

    def outstanding(self):
        return self.filter(status=InvoiceStatus.ISSUED)

    def paid(self):
        return self.filter(status=InvoiceStatus.PAID)

    def for_list(self):
        return self.select_related("patient", "doctor__user", "appointment").order_by(
            "-created_at", "-id"
        )


def receipt_upload_to(instance, filename):
    # Where receipts were stored before they were filed as records documents;
    # kept because migration 0001 refers to it.
    return f"billing/receipts/{uuid.uuid4().hex}.pdf"


class Invoice(models.Model):
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("appointment"),
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("patient"),
    )
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("doctor")
    )
    status = models.CharField(
        max_length=16,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.DRAFT,
        verbose_name=_("status"),
    )

    number = models.CharField(
        _("receipt number"), max_length=32, unique=True, null=True, blank=True
    )
    receipt_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("receipt year")
    )
    receipt_sequence = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("receipt sequence")
    )

    # Set when drafted, refreshed from the clinic settings at issue, frozen after.
    currency = models.CharField(
        max_length=3, choices=money.CURRENCY_CHOICES, default="INR", verbose_name=_("currency")
    )
    tax_name = models.CharField(max_length=20, default="GST", verbose_name=_("tax name"))
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("18.00"), verbose_name=_("tax rate")
    )

    # Frozen at issue.
    clinic_name = models.CharField(max_length=200, blank=True, verbose_name=_("clinic name"))
    clinic_address = models.TextField(blank=True, verbose_name=_("clinic address"))
    clinic_tax_number = models.CharField(
        max_length=15, blank=True, verbose_name=_("clinic tax number")
    )
    subtotal = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, verbose_name=_("subtotal")
    )
    taxable_subtotal = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, verbose_name=_("taxable subtotal")
    )
    tax_total = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, verbose_name=_("tax total")
    )
    total = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, verbose_name=_("total")
    )

    issued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    payment_method = models.CharField(
        max_length=8, choices=PaymentMethod.choices, blank=True, verbose_name=_("payment method")
    )
    payment_reference = models.CharField(
        max_length=100, blank=True, verbose_name=_("payment reference")
    )
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("paid recorded by"),
    )
    voided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("voided at"))
    void_reason = models.TextField(max_length=1000, blank=True, verbose_name=_("void reason"))
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("voided by"),
    )

    # The receipt PDF, filed in the patient's documents (kind "receipt"); the
    # document keeps its SHA-256, checked on every download.
    receipt_document = models.ForeignKey(
        "records.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receipt document"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My bills": a patient's invoices, newest first.
            models.Index(fields=["patient", "-created_at"], name="invoice_patient_idx"),
            # Doctor's billing summary: outstanding / paid totals and list by status.
            models.Index(
                fields=["doctor", "status", "-created_at"], name="invoice_doctor_status_idx"
            ),
            # Staff's billing summary across doctors, by status.
            models.Index(fields=["status", "-created_at"], name="invoice_status_idx"),
            # Django Admin's invoice list: newest first (its ordering), one page at a time.
            models.Index(fields=["-created_at", "-id"], name="invoice_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="billing_invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=InvoiceStatus.DRAFT)
                    & Q(number__isnull=True)
                    & Q(receipt_year__isnull=True)
                    & Q(receipt_sequence__isnull=True)
                )
                | (
                    ~Q(status=InvoiceStatus.DRAFT)
                    & Q(number__isnull=False)
                    & Q(receipt_year__isnull=False)
                    & Q(receipt_sequence__isnull=False)
                ),
                name="billing_invoice_number_iff_not_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT)
                | (
                    Q(issued_at__isnull=False)
                    & Q(subtotal__isnull=False)
                    & Q(taxable_subtotal__isnull=False)
                    & Q(tax_total__isnull=False)
                    & Q(total__isnull=False)
                ),
                name="billing_invoice_totals_when_issued",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0),
                name="billing_invoice_total_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=InvoiceStatus.PAID)
                | (Q(paid_at__isnull=False) & ~Q(payment_method="")),
                name="billing_invoice_paid_has_payment",
            ),
            models.CheckConstraint(
                condition=Q(payment_method="") | Q(payment_method__in=PaymentMethod.values),
                name="billing_invoice_payment_method_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=InvoiceStatus.VOID)
                | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="billing_invoice_void_has_reason",
            ),
            models.UniqueConstraint(
                fields=["receipt_year", "receipt_sequence"],
                name="billing_invoice_unique_sequence",
            ),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=~Q(status=InvoiceStatus.VOID),
                name="billing_invoice_one_live_per_appointment",
                violation_error_message=_("This visit already has an invoice."),
            ),
        ]

    def __str__(self):
        return self.number or gettext("Draft invoice #%(pk)s") % {"pk": self.pk}

    @property
    def is_draft(self):
        return self.status == InvoiceStatus.DRAFT

    @property
    def has_receipt(self):
        return self.receipt_document_id is not None

    @property
    def is_issued(self):
        return self.status == InvoiceStatus.ISSUED

    @property
    def is_paid(self):
        return self.status == InvoiceStatus.PAID

    @property
    def is_void(self):
        return self.status == InvoiceStatus.VOID

    @property
    def stored_totals(self):
        """The totals frozen at issue."""
        return money.InvoiceTotals(
            subtotal=self.subtotal,
            taxable_subtotal=self.taxable_subtotal,
            exempt_subtotal=self.subtotal - self.taxable_subtotal,
            tax=self.tax_total,
            total=self.total,
        )

    def compute_totals(self, lines=None):
        lines = self.lines.all() if lines is None else lines
        return money.invoice_totals(lines, self.tax_rate, self.currency)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    kind = models.CharField(
        max_length=16, choices=LineKind.choices, default=LineKind.OTHER, verbose_name=_("kind")
    )
    description = models.CharField(max_length=200, verbose_name=_("description"))
    quantity = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_QUANTITY)],
        verbose_name=_("quantity"),
    )
    unit_price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=fee_validators, verbose_name=_("unit price")
    )
    taxable = models.BooleanField(
        default=True, help_text=_("Untick for a line exempt from tax."), verbose_name=_("taxable")
    )
    position = models.PositiveSmallIntegerField(
        default=0, verbose_name=pgettext_lazy("order in a list", "position")
    )

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="billing_invoiceline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="billing_invoiceline_unit_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LineKind.values), name="billing_invoiceline_kind_valid"
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def amounts(self):
        return money.line_amounts(
            self.quantity,
            self.unit_price,
            self.taxable,
            self.invoice.tax_rate,
            self.invoice.currency,
        )


class ReceiptCounter(models.Model):
    """The last receipt sequence used in a year; locked while a receipt is numbered."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("year"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.last_number}"
