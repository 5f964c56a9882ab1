import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import RoleSignupForm
from inputs.images import check_image_pixels

from .models import (
    DoctorProfile,
    Specialization,
    normalize_license_id,
    validate_license_id,
)
from .services import doctor_register

TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


def _clean_photo(photo):
    if photo and photo.size > settings.MEDCONNECT_MAX_UPLOAD_BYTES:
        limit_mb = settings.MEDCONNECT_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise forms.ValidationError(
            _("The photo is larger than the %(limit)s MB limit.") % {"limit": limit_mb}
        )
    if photo:
        check_image_pixels(photo, label="photo")
    return photo


class BoundedIdsChoiceField(forms.ModelMultipleChoiceField):
    """Ids past what the database can hold are refused as invalid, not sent to it."""

    def _check_values(self, value):
        for pk in value:
            try:
                if not -(2**63) <= int(str(pk)) < 2**63:
                    raise ValueError
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        return super()._check_values(value)


class DoctorFieldsMixin(forms.Form):
    specializations = BoundedIdsChoiceField(
        label=gettext_lazy("Specializations"),
        queryset=Specialization.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose every specialization you practise."),
    )
    qualifications = forms.CharField(
        label=gettext_lazy("Qualifications"),
        max_length=255,
        help_text=gettext_lazy("For example: MBBS, MD"),
    )
    experience_years = forms.IntegerField(
        label=gettext_lazy("Years of experience"), min_value=0, max_value=70
    )
    practice_name = forms.CharField(label=gettext_lazy("Practice / hospital"), max_length=200)
    practice_address = forms.CharField(label=gettext_lazy("Practice address"), max_length=300)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        max_length=200,
        help_text=gettext_lazy("Comma-separated, e.g. English, Hindi"),
    )
    consultation_fee = forms.DecimalField(
        label=gettext_lazy("Consultation fee (INR)"),
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=TIME_ZONE_CHOICES, initial="Asia/Kolkata"
    )
    bio = forms.CharField(
        label=gettext_lazy("About you"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    photo = forms.ImageField(
        label=gettext_lazy("Photo"), required=False, help_text=gettext_lazy("JPEG or PNG.")
    )

    def clean_photo(self):
        return _clean_photo(self.cleaned_data.get("photo"))

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split()).title()


class DoctorSignupForm(DoctorFieldsMixin, RoleSignupForm):
    license_id = forms.CharField(
        label=gettext_lazy("License ID"),
        max_length=40,
        help_text=gettext_lazy("As issued by your medical council."),
    )

    field_order = [
        "full_name",
        "email",
        "license_id",
        "specializations",
        "qualifications",
        "experience_years",
        "practice_name",
        "practice_address",
        "city",
        "languages",
        "consultation_fee",
        "time_zone",
        "bio",
        "photo",
        "password1",
        "password2",
    ]

    def clean_license_id(self):
        license_id = normalize_license_id(self.cleaned_data["license_id"])
        validate_license_id(license_id)
        if DoctorProfile.objects.filter(license_id=license_id).exists():
            raise forms.ValidationError(_("A doctor with this license ID is already registered."))
        return license_id

    def custom_signup(self, request, user):
        data = self.cleaned_data
        doctor_register(
            user=user,
            full_name=data["full_name"],
            license_id=data["license_id"],
            specializations=data["specializations"],
            photo=data.get("photo"),
            qualifications=data["qualifications"],
            experience_years=data["experience_years"],
            practice_name=data["practice_name"],
            practice_address=data["practice_address"],
            city=data["city"],
            languages=data["languages"],
            consultation_fee=data["consultation_fee"],
            time_zone=data["time_zone"],
            bio=data.get("bio", ""),
        )


class DoctorProfileForm(DoctorFieldsMixin):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)

    field_order = ["full_name"]


class RejectDoctorForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReviewRequestForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What did you correct? (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
