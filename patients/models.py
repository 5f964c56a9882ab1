from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{6,18}[0-9]$",
    "Enter a phone number of 8 to 20 digits, optionally starting with +.",
)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class BloodGroup(models.TextChoices):
    UNKNOWN = "", _("Not known")
    A_POS = "A+", _("A+")
    A_NEG = "A-", _("A-")
    B_POS = "B+", _("B+")
    B_NEG = "B-", _("B-")
    AB_POS = "AB+", _("AB+")
    AB_NEG = "AB-", _("AB-")
    O_POS = "O+", _("O+")
    O_NEG = "O-", _("O-")


class PatientProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="patient_profile",
        verbose_name=_("user"),
    )
    # Blank only for a walk-in patient the front desk registered by name and phone.
    date_of_birth = models.DateField(null=True, blank=True, verbose_name=_("date of birth"))
    sex = models.CharField(
        max_length=16, choices=Sex.choices, default=Sex.UNDISCLOSED, verbose_name=_("sex")
    )
    blood_group = models.CharField(
        max_length=3,
        choices=BloodGroup.choices,
        blank=True,
        default=BloodGroup.UNKNOWN,
        verbose_name=_("blood group"),
    )
    phone = models.CharField(max_length=20, validators=[phone_validator], verbose_name=_("phone"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("address"))
    emergency_contact_name = models.CharField(
        max_length=150, blank=True, verbose_name=_("emergency contact name")
    )
    emergency_contact_phone = models.CharField(
        max_length=20,
        blank=True,
        validators=[phone_validator],
        verbose_name=_("emergency contact phone"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("patient profile")
        verbose_name_plural = _("patient profiles")
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values), name="patients_patientprofile_sex_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(blood_group__in=BloodGroup.values),
                name="patients_patientprofile_blood_group_valid",
            ),
        ]

    def __str__(self):
        return self.user.full_name

    @property
    def age(self):
        from django.utils import timezone

        today = timezone.localdate()
        dob = self.date_of_birth
        if dob is None:
            return None
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
