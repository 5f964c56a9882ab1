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
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", _("AB+")
    AB_NEG = "AB-", _("AB-")
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"


class PatientProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile"
    )
    # Blank only for a walk-in patient the front desk registered by name and phone.
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNDISCLOSED)
    blood_group = models.CharField(
        max_length=3, choices=BloodGroup.choices, blank=True, default=BloodGroup.UNKNOWN
    )
    phone = models.CharField(max_length=20, validators=[phone_validator])
    address = models.CharField(max_length=300, blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(
        max_length=20, blank=True, validators=[phone_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
