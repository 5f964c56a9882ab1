from django import forms
from django.utils.translation import gettext as _

from appointments.models import VisitType
from inputs.dates import DateField


class JoinForm(forms.Form):
    visit_type = forms.ModelChoiceField(queryset=VisitType.objects.none(), empty_label=None)
    date_from = DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, doctor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_type"].queryset = doctor.visit_types.for_patients()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The last day must be on or after the first."))
        return cleaned
