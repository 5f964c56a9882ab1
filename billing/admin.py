from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin_base import ScaledModelAdmin

from .forms import MarkPaidForm, VoidForm
from .models import BillingSettings, FeeSchedule, Invoice, InvoiceLine, ReceiptCounter
from .selectors import billing_settings_get
from .services import billing_settings_save, invoice_mark_paid, invoice_void


class BillingSettingsAdminForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = [
            "clinic_name",
            "clinic_address",
            "tax_number",
            "tax_name",
            "tax_rate",
            "currency",
            "receipt_prefix",
            "default_lab_test_fee",
            "default_medication_fee",
            "default_other_fee",
        ]

    def clean_tax_number(self):
        return self.cleaned_data["tax_number"].strip().upper()


@admin.register(BillingSettings)
class BillingSettingsAdmin(ScaledModelAdmin):
    """One row: the changelist opens it; there is no second row to add."""

    form = BillingSettingsAdminForm
    fieldsets = [
        (_("Clinic"), {"fields": ["clinic_name", "clinic_address", "tax_number"]}),
        (_("Tax and currency"), {"fields": ["tax_name", "tax_rate", "currency"]}),
        (_("Receipts"), {"fields": ["receipt_prefix"]}),
        (
            _("Default fees (when a doctor set none)"),
            {"fields": ["default_lab_test_fee", "default_medication_fee", "default_other_fee"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = billing_settings_get()
        return redirect(reverse("admin:billing_billingsettings_change", args=[row.pk]))

    def save_model(self, request, obj, form, change):
        billing_settings_save(settings_row=obj, actor=request.user, request=request)


@admin.register(FeeSchedule)
class FeeScheduleAdmin(ScaledModelAdmin):
    """Read-only here: doctors set their fees on their fee page."""

    list_display = ["doctor", "lab_test_fee", "medication_fee", "other_fee", "updated_at"]
    list_select_related = ["doctor__user"]
    search_fields = ["doctor__user__full_name", "doctor__license_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = ["position", "kind", "description", "quantity", "unit_price", "taxable"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AdminMarkPaidForm(MarkPaidForm):
    pass


class AdminVoidForm(VoidForm):
    pass


@admin.register(Invoice)
class InvoiceAdmin(ScaledModelAdmin):
    """Invoices are read-only here; paying and voiding go through the billing services."""

    list_display = ["__str__", "patient", "doctor", "status", "total", "issued_at", "paid_at"]
    list_filter = ["status", "payment_method", "issued_at"]
    search_fields = ["number", "patient__full_name", "patient__email", "doctor__user__full_name"]
    list_select_related = ["patient", "doctor__user"]
    date_hierarchy = "created_at"
    inlines = [InvoiceLineInline]
    actions = ["mark_paid", "void_with_reason"]
    # Everything is read-only; the stored file is shown as a link to the checked download.
    readonly_fields = [
        *(
            field.name
            for field in Invoice._meta.get_fields()
            if field.concrete and not field.many_to_many and field.name != "receipt_document"
        ),
        "receipt",
    ]
    exclude = ["receipt_document"]

    @admin.display(description=_("Receipt PDF"))
    def receipt(self, obj):
        if not obj.has_receipt:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("billing:receipt", args=[obj.pk]),
            _("Download receipt %(invoice)s") % {"invoice": obj},
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _action_page(self, request, queryset, *, form, action, title, button):
        return render(
            request,
            "admin/billing/invoice/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "button": button,
                "form": form,
                "action": action,
                "invoices": queryset,
                "selected": queryset.values_list("pk", flat=True),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    def _apply(self, request, queryset, call):
        done = 0
        for invoice in queryset:
            try:
                call(invoice)
            except ValidationError as exc:
                self.message_user(request, f"{invoice}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)s invoice(s) updated.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Mark selected invoices paid"))
    def mark_paid(self, request, queryset):
        form = AdminMarkPaidForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply(
                request,
                queryset,
                lambda invoice: invoice_mark_paid(
                    invoice=invoice,
                    actor=request.user,
                    method=form.cleaned_data["method"],
                    reference=form.cleaned_data["reference"],
                    request=request,
                ),
            )
            return None
        return self._action_page(
            request,
            queryset,
            form=form,
            action="mark_paid",
            title=_("Mark invoices paid"),
            button=_("Mark paid"),
        )

    @admin.action(description=_("Void selected invoices (with a reason)"))
    def void_with_reason(self, request, queryset):
        form = AdminVoidForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply(
                request,
                queryset,
                lambda invoice: invoice_void(
                    invoice=invoice,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                ),
            )
            return None
        return self._action_page(
            request,
            queryset,
            form=form,
            action="void_with_reason",
            title=_("Void invoices"),
            button=pgettext_lazy("invoice action", "Void"),
        )


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(ScaledModelAdmin):
    list_display = ["year", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
