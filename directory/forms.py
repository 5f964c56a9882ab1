"""The search filters. They only validate; the selectors read."""

from django import forms
from django.utils.translation import gettext_lazy

from appointments.models import Mode, Weekday
from doctors.models import Specialization
from inputs.dates import DateField

from .selectors import SearchSort


class DoctorSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Doctor's name"), max_length=100, required=False)
    specialization = forms.ModelChoiceField(
        label=gettext_lazy("Specialization"),
        queryset=Specialization.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any specialization"),
    )
    qualification = forms.CharField(
        label=gettext_lazy("Qualification"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For example: MD, MS, DNB"),
    )
    day = forms.TypedChoiceField(
        label=gettext_lazy("Available on"),
        choices=[("", gettext_lazy("Any day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Visit"),
        choices=[("", gettext_lazy("In person or online")), *Mode.choices],
        required=False,
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    max_fee = forms.DecimalField(
        label=gettext_lazy("Maximum fee (INR)"),
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "50", "inputmode": "numeric"}),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"), choices=SearchSort.choices, required=False
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def clean_qualification(self):
        return " ".join(self.cleaned_data["qualification"].split())

    def search_filters(self):
        """The filters that validated; a bad value drops only its own filter."""
        data = getattr(self, "cleaned_data", {})
        return {
            "name": data.get("q") or "",
            "specialization": data.get("specialization"),
            "qualification": data.get("qualification") or "",
            "weekday": data.get("day"),
            "mode": data.get("mode") or "",
            "city": data.get("city") or "",
            "max_fee": data.get("max_fee"),
        }

    def sort_value(self):
        data = getattr(self, "cleaned_data", {})
        return data.get("sort") or SearchSort.NEXT_SLOT


class CalendarForm(forms.Form):
    """Where a doctor's booking calendar starts: a local date (today if not given)."""

    start = DateField(required=False, input_formats=["%Y-%m-%d"])
