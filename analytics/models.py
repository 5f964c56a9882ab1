"""Clinic figures kept as daily rollups, and the monthly report PDFs.

The rollups are per doctor and per *local* day (the doctor's time zone), so a visit
at 23:30 on the last day of a month in Asia/Kolkata counts in that month. Each
(doctor, day) has up to three rows: mode "" holds the whole day (every appointment,
invoice and window minute, and the waitlist offers, which have no mode), and the
rows "in_person" and "online" hold the appointments and invoices of that mode and
the window minutes that offer it. A figure for all modes reads the "" rows alone; a
figure for one mode reads that mode's rows. The rows are rebuilt from the source
tables (rollups.py), never incremented, so rebuilding twice gives the same rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doctors.models import DoctorProfile

ROLLUP_MODES = ("", "in_person", "online")


def _count():
    return models.PositiveIntegerField(default=0)


def _money():
    return models.DecimalField(max_digits=16, decimal_places=2, default=0)


FIGURE_FIELDS = (
    # Appointments whose visit falls on the day, by their status now.
    "booked",
    "pending",
    "confirmed",
    "completed",
    "declined",
    "no_show",
    "cancelled",
    "cancelled_by_patient",
    "cancelled_by_doctor",
    "cancelled_by_staff",
    # How long before the visit it was cancelled.
    "cancelled_within_24h",
    "cancelled_within_72h",
    "cancelled_earlier",
    # Completed visits: the patient's first completed visit with this doctor, or a return.
    "new_patients",
    "returning_visits",
    "minutes_booked",
    "minutes_offered",
    "offers_made",
    "offers_claimed",
    # Invoices issued on the day (not void) and payments received on the day.
    "invoices_issued",
    "amount_issued",
    "tax_issued",
    "amount_outstanding",
    "amount_paid",
    "paid_cash",
    "paid_card",
    "paid_upi",
    "paid_other",
)

MONEY_FIGURES = frozenset(
    (
        "amount_issued",
        "tax_issued",
        "amount_outstanding",
        "amount_paid",
        "paid_cash",
        "paid_card",
        "paid_upi",
        "paid_other",
    )
)


def _figure_columns(name, count_field, doc):
    """An abstract model with every figure a rollup holds; the whole clinic's rows take
    plain integers, since a rebuild adds a (possibly negative) difference to them."""
    columns = {
        "__module__": __name__,
        "__doc__": doc,
        "Meta": type("Meta", (), {"abstract": True}),
    }
    for field in FIGURE_FIELDS:
        if field in MONEY_FIGURES:
            columns[field] = _money()
        else:
            columns[field] = count_field(default=0)
    return type(name, (models.Model,), columns)


FigureColumns = _figure_columns(
    "FigureColumns", models.PositiveIntegerField, "The figures of one doctor's rows."
)
ClinicFigureColumns = _figure_columns(
    "ClinicFigureColumns", models.IntegerField, "The figures of the whole clinic's rows."
)


class DayRollup(FigureColumns):
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("doctor")
    )
    day = models.DateField(verbose_name=_("day"))
    mode = models.CharField(max_length=16, blank=True, verbose_name=_("mode"))
    weekday = models.PositiveSmallIntegerField(verbose_name=_("weekday"))
    refreshed_at = models.DateTimeField(auto_now=True, verbose_name=_("refreshed at"))

    class Meta:
        verbose_name = _("day rollup")
        verbose_name_plural = _("day rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "day", "mode"], name="analytics_dayrollup_one_per_doctor_day"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ROLLUP_MODES), name="analytics_dayrollup_mode_valid"
            ),
        ]
        indexes = [
            # The dashboard sums a period of days for all doctors (or a filtered few).
            models.Index(fields=["day", "doctor"], name="analytics_day_doctor_idx"),
        ]

    def __str__(self):
        return f"{self.doctor_id} {self.day} {self.mode or 'all'}"


class HourRollup(models.Model):
    """Minutes booked and offered per local hour, for the weekday-by-hour heat map."""

    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("doctor")
    )
    day = models.DateField(verbose_name=_("day"))
    mode = models.CharField(max_length=16, blank=True, verbose_name=_("mode"))
    weekday = models.PositiveSmallIntegerField(verbose_name=_("weekday"))
    hour = models.PositiveSmallIntegerField(verbose_name=_("hour"))
    minutes_booked = _count()
    minutes_offered = _count()

    class Meta:
        verbose_name = _("hour rollup")
        verbose_name_plural = _("hour rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "day", "mode", "hour"], name="analytics_hourrollup_unique"
            ),
        ]
        indexes = [
            # The heat map groups a period of days by weekday and hour.
            models.Index(fields=["day", "doctor"], name="analytics_hour_day_doctor_idx"),
        ]

    def __str__(self):
        return f"{self.doctor_id} {self.day} {self.hour:02d}h {self.mode or 'all'}"


class LeadRollup(models.Model):
    """How many visits of a day were booked that many days ahead (the median's source)."""

    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("doctor")
    )
    day = models.DateField(verbose_name=_("day"))
    mode = models.CharField(max_length=16, verbose_name=_("mode"))
    lead_days = models.PositiveIntegerField(verbose_name=_("lead days"))
    visits = _count()

    class Meta:
        verbose_name = _("lead rollup")
        verbose_name_plural = _("lead rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "day", "mode", "lead_days"], name="analytics_leadrollup_unique"
            ),
        ]
        indexes = [
            # The median groups a period of days by lead time.
            models.Index(fields=["day", "doctor"], name="analytics_lead_day_doctor_idx"),
        ]

    def __str__(self):
        return f"{self.doctor_id} {self.day} {self.lead_days}d"


class MonthRollup(FigureColumns):
    """One doctor's month: the sum of its day rows, rewritten with them. A long period
    reads whole months here and only the days at its two ends from the day rows."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("The first day of the month."))
    mode = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "month", "mode"], name="analytics_monthrollup_unique"
            ),
        ]
        indexes = [models.Index(fields=["month", "doctor"], name="analytics_month_doctor_idx")]

    def __str__(self):
        return f"{self.doctor_id} {self.month:%Y-%m} {self.mode or 'all'}"


# The whole clinic's rows: every doctor's rows of a (local) day summed. Each rebuild of
# a doctor's days adds the difference between the doctor's new and old rows to them in
# the same transaction (an atomic increment), so the figures of the whole clinic read a
# row per day instead of one per doctor and day.


class ClinicDayRollup(ClinicFigureColumns):
    day = models.DateField()
    mode = models.CharField(max_length=16, blank=True)
    weekday = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "mode"], name="analytics_clinicday_unique"),
        ]

    def __str__(self):
        return f"{self.day} {self.mode or 'all'}"


class ClinicHourRollup(models.Model):
    day = models.DateField()
    mode = models.CharField(max_length=16, blank=True)
    weekday = models.PositiveSmallIntegerField()
    hour = models.PositiveSmallIntegerField()
    minutes_booked = models.IntegerField(default=0)
    minutes_offered = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "mode", "hour"], name="analytics_clinichour_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.hour:02d}h {self.mode or 'all'}"


class ClinicLeadRollup(models.Model):
    day = models.DateField()
    mode = models.CharField(max_length=16)
    lead_days = models.PositiveIntegerField()
    visits = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "mode", "lead_days"], name="analytics_clinicleadrollup_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.lead_days}d"


class ReportAudience(models.TextChoices):
    DOCTOR = "doctor", _("Doctor's copy (with visits and diagnoses)")
    STAFF = "staff", _("Clinic copy (figures only)")


class ReportStatus(models.TextChoices):
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_storage_path(instance, filename):
    # Server-generated, unguessable name; the doctor and month are data, never a path.
    import secrets

    return f"reports/{secrets.token_hex(16)}.pdf"


class MonthlyReportQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("doctor__user").order_by("-month", "audience", "-id")


class MonthlyReport(models.Model):
    """One doctor's report PDF of one month, in one version (audience). The unique row
    is claimed in the transaction that renders it, so two schedulers or workers make
    it once."""

    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("doctor")
    )
    month = models.DateField(
        help_text=_("The first day of the month reported."), verbose_name=_("month")
    )
    audience = models.CharField(
        max_length=8, choices=ReportAudience.choices, verbose_name=_("audience")
    )
    status = models.CharField(
        max_length=8,
        choices=ReportStatus.choices,
        default=ReportStatus.READY,
        verbose_name=_("status"),
    )
    file = models.FileField(
        upload_to=report_storage_path, max_length=200, blank=True, verbose_name=_("file")
    )
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("sha256"))
    size = models.PositiveIntegerField(default=0, verbose_name=_("size"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    generated_at = models.DateTimeField(auto_now=True, verbose_name=_("generated at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "month", "audience"],
                name="analytics_monthlyreport_once_per_month",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=ReportAudience.values),
                name="analytics_monthlyreport_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="analytics_monthlyreport_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.doctor} {self.month:%Y-%m} ({self.audience})"

    @property
    def filename(self):
        return f"report-{self.month:%Y-%m}-{self.audience}.pdf"


class AnalyticsDashboard(DayRollup):
    """The clinic dashboard's place in Django Admin: its changelist is the dashboard."""

    class Meta:
        proxy = True
        verbose_name = _("clinic dashboard")
        verbose_name_plural = _("clinic dashboard")

    def __str__(self):
        return str(_("clinic dashboard"))
