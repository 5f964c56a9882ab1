from django import forms
from django.utils.translation import gettext_lazy as _

from inputs.dates import DateField

from .models import STAFF_KINDS, ExportKind


class PeriodExportForm(forms.Form):
    """Staff: what to export, for which days (the clinic's calendar, both included)."""

    kind = forms.ChoiceField(
        label=_("What"),
        choices=[(k.value, k.label) for k in ExportKind if k in STAFF_KINDS],
    )
    date_from = DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day must not be after the last day."))
        return data
