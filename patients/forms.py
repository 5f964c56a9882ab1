import datetime

from django import forms
from django.utils import timezone

from accounts.forms import RoleSignupForm
from inputs.dates import DateField, check_date

from .models import BloodGroup, PatientProfile, Sex, phone_validator
from .services import patient_register


def _clean_dob(value):
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError("The date of birth cannot be in the future.")
    if value < today - datetime.timedelta(days=365 * 130):
        raise forms.ValidationError("Enter a date of birth within the last 130 years.")
    return value


class DateOfBirthField(DateField):
    """A date of birth: not in the future, within the last 130 years, said so."""

    def check(self, day):
        return check_date(_clean_dob(day))


class PatientSignupForm(RoleSignupForm):
    phone = forms.CharField(max_length=20, validators=[phone_validator])
    date_of_birth = DateOfBirthField(widget=forms.DateInput(attrs={"type": "date"}))
    blood_group = forms.ChoiceField(choices=BloodGroup.choices, required=False)

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
        )


class PatientProfileForm(forms.ModelForm):
    full_name = forms.CharField(max_length=150)
    sex = forms.ChoiceField(choices=Sex.choices)

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
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"date_of_birth": DateOfBirthField}

    field_order = ["full_name"]

    def clean_date_of_birth(self):
        return _clean_dob(self.cleaned_data["date_of_birth"])
