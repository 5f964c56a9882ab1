import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from doctors.models import DoctorProfile
from encryption.fields import EncryptedTextField


class Mode(models.TextChoices):
    """How one appointment happens."""

    IN_PERSON = "in_person", gettext_lazy("In person")
    ONLINE = "online", gettext_lazy("Online (video)")


class ModeOffer(models.TextChoices):
    """Which modes a visit type or an availability window offers."""

    IN_PERSON = "in_person", gettext_lazy("In person")
    ONLINE = "online", gettext_lazy("Online (video)")
    BOTH = "both", gettext_lazy("In person or online")

    @classmethod
    def allows(cls, offer, mode):
        return offer == cls.BOTH or offer == mode


class Weekday(models.IntegerChoices):
    MONDAY = 0, gettext_lazy("Monday")
    TUESDAY = 1, gettext_lazy("Tuesday")
    WEDNESDAY = 2, gettext_lazy("Wednesday")
    THURSDAY = 3, gettext_lazy("Thursday")
    FRIDAY = 4, gettext_lazy("Friday")
    SATURDAY = 5, gettext_lazy("Saturday")
    SUNDAY = 6, gettext_lazy("Sunday")


class VisitTypeQuerySet(models.QuerySet):
    def for_patients(self):
        """The visit types patients may see and book: active, not for colleagues."""
        return self.filter(is_active=True, for_colleagues=False)

    def for_colleague_discussions(self):
        """The visit types connected doctors may book for a case discussion."""
        return self.filter(is_active=True, for_colleagues=True)


class VisitType(models.Model):
    """A kind of visit with its own length and booking policy."""

    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="visit_types",
        verbose_name=_("doctor"),
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)],
        verbose_name=_("duration minutes"),
    )
    mode = models.CharField(
        max_length=16, choices=ModeOffer.choices, default=ModeOffer.BOTH, verbose_name=_("mode")
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(240)], verbose_name=_("buffer before minutes")
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(240)], verbose_name=_("buffer after minutes")
    )
    min_notice_minutes = models.PositiveIntegerField(
        gettext_lazy("minimum notice (minutes)"),
        default=120,
        validators=[MaxValueValidator(60 * 24 * 30)],
    )
    max_advance_days = models.PositiveSmallIntegerField(
        gettext_lazy("maximum advance window (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        gettext_lazy("cancel cut-off (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
    )
    reschedule_cutoff_hours = models.PositiveSmallIntegerField(
        gettext_lazy("reschedule cut-off (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
    )
    requires_approval = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Bookings wait for the doctor to confirm them."),
        verbose_name=_("requires approval"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    # Offered only to connected doctors for case discussions, never to patients.
    for_colleagues = models.BooleanField(
        _("for colleagues"),
        default=False,
        help_text=_("Only connected doctors can book it, for a case discussion."),
    )

    objects = VisitTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit type")
        verbose_name_plural = _("visit types")
        ordering = ["doctor", "duration_minutes", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "name"], name="appointments_visittype_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="appointments_visittype_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ModeOffer.values), name="appointments_visittype_mode_valid"
            ),
        ]

    def __str__(self):
        return gettext("%(name)s (%(minutes)s min)") % {
            "name": self.name,
            "minutes": self.duration_minutes,
        }

    @property
    def duration(self):
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self):
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self):
        return timedelta(minutes=self.buffer_after_minutes)


class AvailabilityRule(models.Model):
    """A weekly window, in the doctor's own time zone, when visits can start and end."""

    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="availability_rules",
        verbose_name=_("doctor"),
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, verbose_name=_("weekday"))
    start_time = models.TimeField(verbose_name=_("start time"))
    end_time = models.TimeField(verbose_name=_("end time"))
    mode = models.CharField(
        max_length=16, choices=ModeOffer.choices, default=ModeOffer.BOTH, verbose_name=_("mode")
    )
    location = models.CharField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Practice location; the profile's address if blank."),
        verbose_name=_("location"),
    )

    class Meta:
        verbose_name = _("availability rule")
        verbose_name_plural = _("availability rules")
        ordering = ["doctor", "weekday", "start_time"]
        indexes = [
            # The slot engine loads one doctor's rules by weekday.
            models.Index(fields=["doctor", "weekday"], name="availability_doctor_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="appointments_availabilityrule_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6),
                name="appointments_availabilityrule_weekday_range",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ModeOffer.values),
                name="appointments_availabilityrule_mode_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class TimeOff(models.Model):
    """A period the doctor is away: a whole day or part of one."""

    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="time_off", verbose_name=_("doctor")
    )
    start = models.DateTimeField(verbose_name=pgettext_lazy("time", "start"))
    end = models.DateTimeField(verbose_name=pgettext_lazy("time", "end"))
    reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason"))

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["doctor", "start"]
        indexes = [
            # The slot engine loads one doctor's time off overlapping a date range.
            models.Index(fields=["doctor", "end"], name="timeoff_doctor_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="appointments_timeoff_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M} - {self.end:%Y-%m-%d %H:%M}"


class AppointmentKind(models.TextChoices):
    """Who the visit is for, and so what access to a record it gives."""

    # Booked by the patient (or for them by the doctor or staff): the doctor treats them.
    PATIENT = "patient", gettext_lazy("Patient visit")
    # Booked by a specialist from a referral: the doctor sees only what the
    # referral shares, for as long as its grant lasts.
    REFERRAL = "referral", gettext_lazy("Referral visit")
    # A case discussion between two doctors; `patient` is the requesting doctor.
    COLLEAGUE = "colleague", gettext_lazy("Case discussion")


class AppointmentStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    CONFIRMED = "confirmed", gettext_lazy("Confirmed")
    DECLINED = "declined", gettext_lazy("Declined")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    COMPLETED = "completed", gettext_lazy("Completed")
    NO_SHOW = "no_show", gettext_lazy("No-show")


# Statuses that hold the doctor's time; no two of them may overlap.
ACTIVE_STATUSES = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)

# The status machine: from -> allowed targets.
TRANSITIONS = {
    AppointmentStatus.PENDING: {
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.DECLINED,
        AppointmentStatus.CANCELLED,
    },
    AppointmentStatus.CONFIRMED: {
        AppointmentStatus.COMPLETED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED,
    },
}


def new_video_room():
    return secrets.token_urlsafe(24)


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def for_patient(self, user):
        return self.filter(patient=user)

    def for_doctor(self, doctor):
        return self.filter(doctor=doctor)

    def upcoming(self, now):
        return self.active().filter(end__gt=now).order_by("start")

    def for_list(self):
        return self.select_related("doctor__user", "patient", "visit_type")


class Appointment(models.Model):
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("doctor"),
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("patient"),
    )
    visit_type = models.ForeignKey(
        VisitType, on_delete=models.PROTECT, related_name="+", verbose_name=_("visit type")
    )
    kind = models.CharField(
        max_length=16,
        choices=AppointmentKind.choices,
        default=AppointmentKind.PATIENT,
        verbose_name=_("kind"),
    )
    start = models.DateTimeField(verbose_name=pgettext_lazy("time", "start"))
    end = models.DateTimeField(verbose_name=pgettext_lazy("time", "end"))
    # The doctor's time this visit holds: [start - buffer before, end + buffer after).
    # The database refuses two active appointments of a doctor whose blocks overlap.
    blocked_start = models.DateTimeField(verbose_name=_("blocked start"))
    blocked_end = models.DateTimeField(verbose_name=_("blocked end"))
    mode = models.CharField(max_length=16, choices=Mode.choices, verbose_name=_("mode"))
    location = models.CharField(max_length=300, blank=True, verbose_name=_("location"))
    # For the patient and that visit's doctor only (policy.visit_reason_visible).
    reason = EncryptedTextField(gettext_lazy("reason for the visit"), max_length=1000, blank=True)
    status = models.CharField(
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PENDING,
        verbose_name=_("status"),
    )
    status_reason = models.TextField(blank=True, verbose_name=_("status reason"))
    video_room = models.CharField(
        max_length=64, blank=True, unique=True, null=True, verbose_name=_("video room")
    )
    # Raised on every reschedule, for calendar files (ICS SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, verbose_name=_("sequence"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-start"]
        indexes = [
            # Doctor agenda and the slot engine: a doctor's appointments in a time range.
            models.Index(fields=["doctor", "start"], name="appointment_doctor_start_idx"),
            # Patient dashboard and history: a patient's appointments by time.
            models.Index(fields=["patient", "start"], name="appointment_patient_start_idx"),
            # Pending requests and active-slot checks filter on status per doctor.
            models.Index(fields=["doctor", "status", "start"], name="appointment_doc_status_idx"),
            # Django Admin's appointment list: newest first (its ordering), one page at a time.
            models.Index(fields=["-start", "-id"], name="appointment_start_idx"),
            # Django Admin's appointment list filtered by status, newest first.
            models.Index(fields=["status", "-start"], name="appointment_status_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="appointments_appointment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=models.F("start"))
                & Q(blocked_end__gte=models.F("end")),
                name="appointments_appointment_block_covers_visit",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values),
                name="appointments_appointment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=Mode.values), name="appointments_appointment_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AppointmentKind.values),
                name="appointments_appointment_kind_valid",
            ),
            # Two active appointments of one doctor never start at the same moment
            # (the overlap rule itself is a PostgreSQL exclusion constraint and a
            # SQLite trigger, added in the migrations).
            models.UniqueConstraint(
                fields=["doctor", "start"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="appointments_appointment_one_active_per_start",
            ),
        ]

    def __str__(self):
        return gettext("%(patient)s with %(doctor)s at %(start)s") % {
            "patient": self.patient,
            "doctor": self.doctor.user,
            "start": f"{self.start:%Y-%m-%d %H:%M}",
        }

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_online(self):
        return self.mode == Mode.ONLINE

    @property
    def duration(self):
        return self.end - self.start

    def local_start(self):
        """The start in the doctor's time zone, the zone the visit happens in."""
        return self.start.astimezone(self.doctor.tz)

    def local_end(self):
        return self.end.astimezone(self.doctor.tz)

    @property
    def video_url(self):
        if not self.video_room:
            return ""
        return f"{settings.MEDCONNECT_VIDEO_BASE_URL}/medconnect-{self.video_room}"

    @property
    def video_opens_at(self):
        return self.start - timedelta(minutes=settings.MEDCONNECT_VIDEO_OPENS_MINUTES)

    def is_video_open(self, now=None):
        """The room link is usable from shortly before a confirmed online visit to its end."""
        now = now or timezone.now()
        return (
            self.is_online
            and bool(self.video_room)
            and self.status == AppointmentStatus.CONFIRMED
            and self.video_opens_at <= now < self.end
        )

    @property
    def cancel_cutoff_at(self):
        return self.start - timedelta(hours=self.visit_type.cancel_cutoff_hours)

    @property
    def reschedule_cutoff_at(self):
        return self.start - timedelta(hours=self.visit_type.reschedule_cutoff_hours)

    def can_patient_cancel(self, now=None):
        return self.is_active and (now or timezone.now()) <= self.cancel_cutoff_at

    def can_patient_reschedule(self, now=None):
        return self.is_active and (now or timezone.now()) <= self.reschedule_cutoff_at

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.start


class AppointmentEvent(models.Model):
    """History of an appointment: every status change and reschedule, with who and why."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="events", verbose_name=_("appointment")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    from_status = models.CharField(max_length=16, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=16, verbose_name=_("to status"))
    from_start = models.DateTimeField(null=True, blank=True, verbose_name=_("from start"))
    to_start = models.DateTimeField(null=True, blank=True, verbose_name=_("to start"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or 'new'} -> {self.to_status}"
