import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import RoleSignupForm
from inputs.dates import DateField, check_date

from .models import BloodGroup, PatientProfile, Sex, phone_validator
from .services import patient_register

TIME_ZONE_CHOICES = [("", _("My browser's time zone"))] + [
    (tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz
]


def time_zone_field(**kwargs):
    # data-browser-time-zone: static/js/time-zone.js preselects the browser's zone.
    return forms.ChoiceField(
        label=_("My time zone"),
        choices=TIME_ZONE_CHOICES,
        required=False,
        help_text=_("Times are shown in it, with the doctor's own zone beside them."),
        widget=forms.Select(attrs={"data-browser-time-zone": ""}),
        **kwargs,
    )


def _clean_dob(value):
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("The date of birth cannot be in the future."))
    if value < today - datetime.timedelta(days=365 * 130):
        raise forms.ValidationError(_("Enter a date of birth within the last 130 years."))
    return value


class DateOfBirthField(DateField):
    """A date of birth: not in the future, within the last 130 years, said so."""

    def check(self, day):
        return check_date(_clean_dob(day))


class PatientSignupForm(RoleSignupForm):
    phone = forms.CharField(label=_("Phone"), max_length=20, validators=[phone_validator])
    date_of_birth = DateOfBirthField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    blood_group = forms.ChoiceField(
        label=_("Blood group"), choices=BloodGroup.choices, required=False
    )
    time_zone = time_zone_field()

    field_order = [
        "full_name",
        "email",
        "phone",
        "date_of_birth",
        "blood_group",
        "password1",
        "password2",
    ]

    def clean_date_of_birth(self):
        return _clean_dob(self.cleaned_data["date_of_birth"])

    def custom_signup(self, request, user):
        patient_register(
            user=user,
            full_name=self.cleaned_data["full_name"],
            date_of_birth=self.cleaned_data["date_of_birth"],
            phone=self.cleaned_data["phone"],
            blood_group=self.cleaned_data.get("blood_group") or "",
            time_zone=self.cleaned_data.get("time_zone") or "",
        )


class PatientProfileForm(forms.ModelForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    time_zone = time_zone_field()

    class Meta:
        model = PatientProfile
        fields = [
            "date_of_birth",
            "sex",
            "blood_group",
            "phone",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
        ]
        labels = {
            "date_of_birth": _("Date of birth"),
            "sex": _("Sex"),
            "blood_group": _("Blood group"),
            "phone": _("Phone"),
            "address": _("Address"),
            "emergency_contact_name": _("Emergency contact name"),
            "emergency_contact_phone": _("Emergency contact phone"),
        }
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"date_of_birth": DateOfBirthField}

    field_order = ["full_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a walk-in registered at the desk goes without one, until they complete this.
        self.fields["date_of_birth"].required = True

    def clean_date_of_birth(self):
        return _clean_dob(self.cleaned_data["date_of_birth"])
