"""Forms of the front desk pages. They only validate; services write."""

from django import forms
from django.utils.translation import gettext_lazy

from appointments.forms import InstantField
from appointments.models import Mode
from inputs.dates import DateField
from patients.models import phone_validator

from .models import Progress


class DayForm(forms.Form):
    day = DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Find a patient"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Name, email or phone number."),
    )


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, min_length=2)
    phone = forms.CharField(
        label=gettext_lazy("Phone number"), max_length=20, validators=[phone_validator]
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        required=False,
        help_text=gettext_lazy("Leave empty to get a link to send by SMS instead."),
    )


class VisitChoiceForm(forms.Form):
    """Which patient, visit type and day the desk is booking: from the query string."""

    patient = forms.IntegerField(min_value=1)
    visit_type = forms.IntegerField(min_value=1, required=False)
    day = DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DeskBookingForm(forms.Form):
    start = InstantField(
        error_messages={
            "required": gettext_lazy("Choose a free time."),
            "invalid": gettext_lazy("Choose a free time."),
        }
    )
    mode = forms.ChoiceField(choices=Mode.choices, widget=forms.RadioSelect, label="How")
    reason = forms.CharField(
        label=gettext_lazy("Reason for the visit"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class DeskRescheduleForm(forms.Form):
    new_start = InstantField(
        error_messages={
            "required": gettext_lazy("Choose a new time."),
            "invalid": gettext_lazy("Choose a new time."),
        }
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("The patient and the doctor see this reason."),
    )


class DeskCancelForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("The patient and the doctor see this reason."),
    )


class ProgressForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("", gettext_lazy("Not arrived")), *Progress.choices], required=False
    )
