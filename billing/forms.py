"""Billing forms only validate input; services hold the rules.

No form has a total or tax field: amounts are computed on the server from the
lines, whatever a request posts.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_FEE, MAX_QUANTITY, LineKind, PaymentMethod


def _amount_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_FEE,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class FeeScheduleForm(forms.Form):
    consultation_fee = _amount_field(
        _("Consultation fee"), help_text=_("Shown to patients on your page before they book.")
    )
    lab_test_fee = _amount_field(_("Lab test fee"), required=False)
    medication_fee = _amount_field(_("Medication fee"), required=False)
    other_fee = _amount_field(_("Other / additional fee"), required=False)

    def __init__(self, *args, clinic_defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, default in (clinic_defaults or {}).items():
            self.fields[name].help_text = _(
                "Leave blank to use the clinic default (%(default)s)."
            ) % {"default": default}


class InvoiceLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of charge"), choices=LineKind.choices)
    description = forms.CharField(
        max_length=200, required=False, help_text=_("Leave blank to use the kind of charge.")
    )
    quantity = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_QUANTITY,
        initial=Decimal("1"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    unit_price = _amount_field(
        _("Unit price"), required=False, help_text=_("Leave blank to use your fee for this kind.")
    )
    taxable = forms.BooleanField(
        label=_("Taxable"), required=False, initial=True, help_text=_("Untick if exempt from tax.")
    )


class InvoiceLineEditForm(InvoiceLineForm):
    unit_price = _amount_field("Unit price")


class MarkPaidForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("Card slip, UPI transaction ID or similar (optional)."),
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the invoice and printed on the receipt."),
    )
