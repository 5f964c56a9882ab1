from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from inputs.dates import DateField
from inputs.text import MaxLinesValidator

from .models import (
    UPLOAD_KIND_CHOICES,
    Allergy,
    Condition,
    ConsultationRecord,
    HistoryKind,
    Medication,
)
from .selectors import TimelineKind
from .uploads import ALLOWED_EXTENSIONS_TEXT

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Each section of a consultation record holds a few pages at most: enough for any
# note, and the PDF of a record at every limit renders in well under two seconds.
SECTION_MAX_CHARS = 5000
SECTION_MAX_LINES = 200


def _section(rows):
    return forms.CharField(
        required=False,
        max_length=SECTION_MAX_CHARS,
        validators=[MaxLinesValidator(SECTION_MAX_LINES)],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ConsultationRecordForm(forms.ModelForm):
    presenting_complaint = _section(3)
    diagnosis = _section(2)
    tests_done = _section(2)
    observations = _section(3)
    plan = _section(3)

    class Meta:
        model = ConsultationRecord
        fields = [
            "presenting_complaint",
            "diagnosis",
            "tests_done",
            "observations",
            "plan",
            "follow_up_date",
        ]
        widgets = {"follow_up_date": DATE_WIDGET}
        field_classes = {"follow_up_date": DateField}


class ConsultationAmendForm(ConsultationRecordForm):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ConditionForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = list(Condition.HISTORY_FIELDS)
        widgets = {"onset_date": DATE_WIDGET}
        field_classes = {"onset_date": DateField}


class AllergyForm(forms.ModelForm):
    class Meta:
        model = Allergy
        fields = list(Allergy.HISTORY_FIELDS)


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = list(Medication.HISTORY_FIELDS)
        widgets = {"started_on": DATE_WIDGET, "stopped_on": DATE_WIDGET}
        field_classes = {"started_on": DateField, "stopped_on": DateField}


HISTORY_FORMS = {
    HistoryKind.CONDITION: ConditionForm,
    HistoryKind.ALLERGY: AllergyForm,
    HistoryKind.MEDICATION: MedicationForm,
}


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=format_lazy(_("Allowed: {extensions}."), extensions=ALLOWED_EXTENSIONS_TEXT),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=UPLOAD_KIND_CHOICES)
    document_date = DateField(label=_("Date of the document"), widget=DATE_WIDGET)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Show"),
        choices=TimelineKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    date_from = DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []
