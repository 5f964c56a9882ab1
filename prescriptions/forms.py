from django import forms
from django.utils.translation import gettext_lazy as _

from inputs.dates import DateField
from inputs.text import MaxLinesValidator

from .models import Prescription, PrescriptionItem
from .services import ITEM_FIELDS, MAX_ITEMS

# Instructions and notes: a paragraph or two each (the PDF of a prescription at
# every limit, with all its items, renders in well under two seconds).
INSTRUCTIONS_MAX_CHARS = 1000
INSTRUCTIONS_MAX_LINES = 20
NOTES_MAX_CHARS = 2000
NOTES_MAX_LINES = 50


class PrescriptionForm(forms.ModelForm):
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX_CHARS,
        validators=[MaxLinesValidator(NOTES_MAX_LINES)],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allergy_checked = forms.BooleanField(
        label=_("I have checked the allergy warning and prescribe this anyway"),
        required=False,
    )

    class Meta:
        model = Prescription
        fields = ["follow_up_date", "notes"]
        widgets = {
            "follow_up_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"follow_up_date": DateField}


class PrescriptionItemForm(forms.ModelForm):
    instructions = forms.CharField(
        required=False,
        max_length=INSTRUCTIONS_MAX_CHARS,
        validators=[MaxLinesValidator(INSTRUCTIONS_MAX_LINES)],
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    class Meta:
        model = PrescriptionItem
        fields = ITEM_FIELDS


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not filled:
            raise forms.ValidationError(_("Add at least one item."))


ItemFormSet = forms.formset_factory(
    PrescriptionItemForm,
    formset=BaseItemFormSet,
    extra=1,
    max_num=MAX_ITEMS,
    validate_max=True,
    absolute_max=MAX_ITEMS,
)


def filled_items(formset):
    return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
