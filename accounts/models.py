import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A patient the front desk registered with a name and phone number only gets an
# address in this reserved domain (RFC 2606) until they claim their account: no
# email is ever sent to it.
WALK_IN_EMAIL_DOMAIN = "walk-in.invalid"


def validate_time_zone_name(value):
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.", code="invalid_time_zone")


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    DOCTOR = "doctor", _("Doctor")
    STAFF = "staff", _("Staff")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    The role is set by the signup form that was used (patient or doctor) or by
    staff; no form posts it.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(max_length=150, verbose_name=_("full name"))
    role = models.CharField(
        max_length=16, choices=Role.choices, default=Role.PATIENT, verbose_name=_("role")
    )
    is_staff = models.BooleanField(
        default=False,
        help_text=_("Can open Django Admin (staff role only)."),
        verbose_name=_("is staff"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    date_joined = models.DateTimeField(default=timezone.now, verbose_name=_("date joined"))
    # The zone the person reads times in; blank: their browser's, else the doctor's.
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone_name], verbose_name=_("time zone")
    )
    # The language the person reads MedConnect in: pages once signed in, and every
    # email, notice, calendar entry and PDF sent to them, whoever triggers it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        indexes = [
            # People in name order (the ordering): Django Admin's user and patient lists.
            models.Index(fields=["full_name", "email"], name="user_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            # Only staff may reach Django Admin.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role=Role.STAFF),
                name="accounts_user_admin_only_staff",
                violation_error_message=(
                    "Only people with the staff role can open Django Admin: "
                    "set the role to Staff or untick staff status."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_patient(self):
        return self.role == Role.PATIENT

    @property
    def is_doctor(self):
        return self.role == Role.DOCTOR

    @property
    def is_clinic_staff(self):
        return self.role == Role.STAFF

    @property
    def has_deliverable_email(self):
        """False for a walk-in patient who has not claimed their account yet."""
        return bool(self.email) and not self.email.endswith("@" + WALK_IN_EMAIL_DOMAIN)

    @property
    def tz(self):
        """The person's own time zone, or None when they have not set one."""
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None

    @property
    def display_name(self):
        if self.is_doctor:
            return f"Dr. {self.full_name}"
        return self.full_name
