import re
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Letters, digits and the separators licensing bodies use; 4 to 32 characters.
LICENSE_ID_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9/\-.]{2,30}[A-Z0-9]$")


def normalize_license_id(raw):
    return "".join((raw or "").split()).upper()


def validate_license_id(value):
    if not LICENSE_ID_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "Enter the license ID as issued: 4 to 32 letters and digits, "
                "optionally separated by '/', '-' or '.'."
            ),
            code="invalid_license_id",
        )


# "Dr.", "Dr", "dr." typed before a name: the site adds the title itself.
DOCTOR_TITLE_PATTERN = re.compile(r"^(?:dr\.?\s+)+", re.IGNORECASE)


def strip_doctor_title(name):
    """A doctor's name without the "Dr." the site puts in front of it."""
    name = " ".join((name or "").split())
    stripped = DOCTOR_TITLE_PATTERN.sub("", name)
    return stripped or name


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.", code="invalid_time_zone")


class Specialization(models.Model):
    name = models.CharField(max_length=100, unique=True, verbose_name=gettext_lazy("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=gettext_lazy("slug"))
    description = models.TextField(blank=True, verbose_name=gettext_lazy("description"))

    class Meta:
        verbose_name = gettext_lazy("specialization")
        verbose_name_plural = gettext_lazy("specializations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class VerificationStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending verification")
    VERIFIED = "verified", gettext_lazy("Verified")
    REJECTED = "rejected", gettext_lazy("Rejected")


class DoctorQuerySet(models.QuerySet):
    def verified(self):
        """Doctors patients may find, book, refer to and connect with."""
        return self.filter(verification_status=VerificationStatus.VERIFIED, user__is_active=True)

    def pending(self):
        return self.filter(verification_status=VerificationStatus.PENDING)

    def for_list(self):
        return self.select_related("user").prefetch_related("specializations")


def doctor_photo_path(instance, filename):
    # The original name is never part of the path.
    return f"doctor-photos/{uuid.uuid4().hex}.jpg"


class DoctorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="doctor_profile",
        verbose_name=gettext_lazy("user"),
    )
    license_id = models.CharField(
        gettext_lazy("license ID"), max_length=32, unique=True, validators=[validate_license_id]
    )
    specializations = models.ManyToManyField(
        Specialization, related_name="doctors", verbose_name=gettext_lazy("specializations")
    )
    qualifications = models.CharField(
        max_length=255,
        help_text=gettext_lazy("For example: MBBS, MD (General Medicine)"),
        verbose_name=gettext_lazy("qualifications"),
    )
    experience_years = models.PositiveSmallIntegerField(
        gettext_lazy("years of experience"), validators=[MaxValueValidator(70)]
    )
    practice_name = models.CharField(gettext_lazy("practice / hospital"), max_length=200)
    practice_address = models.CharField(
        max_length=300, verbose_name=gettext_lazy("practice address")
    )
    city = models.CharField(max_length=100, db_index=True, verbose_name=gettext_lazy("city"))
    languages = models.CharField(
        max_length=200,
        help_text=gettext_lazy("Comma-separated, e.g. English, Hindi"),
        verbose_name=gettext_lazy("languages"),
    )
    consultation_fee = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000"))],
        verbose_name=gettext_lazy("consultation fee"),
    )
    bio = models.TextField(blank=True, max_length=4000, verbose_name=gettext_lazy("bio"))
    photo = models.ImageField(
        upload_to=doctor_photo_path, blank=True, verbose_name=gettext_lazy("photo")
    )
    time_zone = models.CharField(
        max_length=64,
        default="Asia/Kolkata",
        validators=[validate_time_zone],
        verbose_name=gettext_lazy("time zone"),
    )

    verification_status = models.CharField(
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        verbose_name=gettext_lazy("verification status"),
    )
    rejection_reason = models.TextField(blank=True, verbose_name=gettext_lazy("rejection reason"))
    verification_decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("verification decided at")
    )
    verification_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("verification decided by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    objects = DoctorQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("doctor profile")
        verbose_name_plural = gettext_lazy("doctor profiles")
        ordering = ["user__full_name"]
        indexes = [
            # Staff verification queue and the public search filter by state.
            models.Index(fields=["verification_status", "created_at"], name="doctor_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verification_status__in=VerificationStatus.values),
                name="doctors_doctorprofile_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification_status=VerificationStatus.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="doctors_doctorprofile_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(consultation_fee__gte=0),
                name="doctors_doctorprofile_fee_not_negative",
            ),
        ]

    def __str__(self):
        return f"Dr. {self.user.full_name} ({self.license_id})"

    @property
    def is_verified(self):
        return self.verification_status == VerificationStatus.VERIFIED and self.user.is_active

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def language_list(self):
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]


class VerificationEvent(models.Model):
    """The license review history of a doctor: each decision and each request to be
    reviewed again, with who and why, shown to staff beside the queue."""

    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="verification_events",
        verbose_name=gettext_lazy("doctor"),
    )
    from_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, verbose_name=gettext_lazy("to status")
    )
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("actor"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("verification event")
        verbose_name_plural = gettext_lazy("verification events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status}"
