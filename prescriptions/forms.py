from django import forms

from inputs.dates import DateField

from .models import Prescription, PrescriptionItem
from .services import ITEM_FIELDS, MAX_ITEMS


class PrescriptionForm(forms.ModelForm):
    class Meta:
        model = Prescription
        fields = ["follow_up_date", "notes"]
        widgets = {
            "follow_up_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"follow_up_date": DateField}


class PrescriptionItemForm(forms.ModelForm):
    class Meta:
        model = PrescriptionItem
        fields = ITEM_FIELDS
        widgets = {"instructions": forms.Textarea(attrs={"rows": 1})}


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not filled:
            raise forms.ValidationError("Add at least one item.")


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
        label="Reason for voiding", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
