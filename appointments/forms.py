"""Forms of the scheduling and booking pages. They only validate; services write."""

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inputs.dates import DateField, parse_instant

from .models import Mode


def format_instant(value):
    """The form used in booking links: UTC, minute precision, e.g. 2026-03-02T04:30Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


class InstantField(forms.Field):
    """An ISO 8601 date-time (as found in slot links), cleaned to an aware datetime."""

    default_error_messages = {"invalid": gettext_lazy("Choose a time from the list of free slots.")}
    widget = forms.HiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            instant = parse_instant(str(value))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages, code="date_out_of_range") from exc
        if instant is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return instant


class SlotChoiceForm(forms.Form):
    """Which slot a booking link points at: doctor, visit type and start time."""

    doctor = forms.IntegerField(min_value=1)
    visit_type = forms.IntegerField(min_value=1)
    start = InstantField()


class BookingForm(forms.Form):
    """What the patient decides: how the visit happens and why. Nothing else is read."""

    mode = forms.ChoiceField(
        label=gettext_lazy("How would you like to meet?"), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the visit"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. Only you and the doctor can read it."),
    )

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Mode.choices)
        self.fields["mode"].choices = [(mode, labels[mode]) for mode in modes if mode in labels]
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if reason_required:
            self.fields["reason"].help_text = _("The patient sees this reason.")
        else:
            self.fields["reason"].label = _("Reason (optional)")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The patient sees this reason."),
    )


class RescheduleForm(forms.Form):
    new_start = InstantField(
        error_messages={
            "required": gettext_lazy("Choose a new time."),
            "invalid": gettext_lazy("Choose a new time from the list of free slots."),
        }
    )
    reason = forms.CharField(label="Reason", max_length=1000, required=False)


class AgendaForm(forms.Form):
    date = DateField(required=False)
    view = forms.ChoiceField(choices=[("day", "Day"), ("week", "Week")], required=False)
    cancelled = forms.BooleanField(required=False)
