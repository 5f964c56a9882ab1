"""Schedule settings in Django Admin, saved through the same services as the pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.admin_base import ScaledModelAdmin
from appointments.models import AvailabilityRule, TimeOff, VisitType

from .services import (
    VISIT_TYPE_FIELDS,
    availability_rule_delete,
    availability_rule_overlap,
    availability_rule_save,
    time_off_add,
    time_off_delete,
    visit_type_save,
)


class VisitTypeAdminForm(forms.ModelForm):
    class Meta:
        model = VisitType
        fields = ["doctor", *VISIT_TYPE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        doctor = cleaned.get("doctor") or getattr(self.instance, "doctor", None)
        name = (cleaned.get("name") or "").strip()
        if doctor and name:
            clash = VisitType.objects.filter(doctor=doctor, name__iexact=name).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "name",
                    _("This doctor already has a visit type called “%(name)s”.") % {"name": name},
                )
        return cleaned


@admin.register(VisitType)
class VisitTypeAdmin(ScaledModelAdmin):
    form = VisitTypeAdminForm
    list_display = [
        "name",
        "doctor",
        "duration_minutes",
        "mode",
        "requires_approval",
        "is_active",
        "for_colleagues",
    ]
    list_filter = ["is_active", "for_colleagues", "mode", "requires_approval"]
    search_fields = ["name", "doctor__user__full_name", "doctor__license_id"]
    list_select_related = ["doctor__user"]
    autocomplete_fields = ["doctor"]

    def get_readonly_fields(self, request, obj=None):
        return ["doctor"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # booked visits refer to it; deactivate instead

    def save_model(self, request, obj, form, change):
        fields = {k: v for k, v in form.cleaned_data.items() if k in VISIT_TYPE_FIELDS}
        saved = visit_type_save(
            doctor=obj.doctor,
            visit_type=obj if change else None,
            actor=request.user,
            request=request,
            **fields,
        )
        obj.pk = saved.pk


class AvailabilityRuleAdminForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["doctor", "weekday", "start_time", "end_time", "mode", "location"]

    def clean(self):
        cleaned = super().clean()
        doctor = cleaned.get("doctor") or getattr(self.instance, "doctor", None)
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if doctor and start and end and cleaned.get("weekday") is not None:
            clash = availability_rule_overlap(
                doctor=doctor,
                weekday=cleaned["weekday"],
                start_time=start,
                end_time=end,
                exclude_pk=self.instance.pk,
            )
            if clash:
                raise ValidationError(
                    _("This window overlaps %(day)s %(start)s–%(end)s.")
                    % {
                        "day": clash.get_weekday_display(),
                        "start": f"{clash.start_time:%H:%M}",
                        "end": f"{clash.end_time:%H:%M}",
                    }
                )
        return cleaned


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(ScaledModelAdmin):
    form = AvailabilityRuleAdminForm
    list_display = ["doctor", "weekday", "start_time", "end_time", "mode", "location"]
    list_filter = ["weekday", "mode"]
    search_fields = ["doctor__user__full_name", "doctor__license_id"]
    list_select_related = ["doctor__user"]
    autocomplete_fields = ["doctor"]

    def get_readonly_fields(self, request, obj=None):
        return ["doctor"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = availability_rule_save(
            doctor=obj.doctor,
            rule=obj if change else None,
            weekday=obj.weekday,
            start_time=obj.start_time,
            end_time=obj.end_time,
            mode=obj.mode,
            location=obj.location,
            actor=request.user,
            request=request,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        availability_rule_delete(doctor=obj.doctor, rule=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for rule in queryset.select_related("doctor"):
            self.delete_model(request, rule)


@admin.register(TimeOff)
class TimeOffAdmin(ScaledModelAdmin):
    list_display = ["doctor", "start", "end", "reason"]
    date_hierarchy = "start"
    search_fields = ["doctor__user__full_name", "doctor__license_id", "reason"]
    list_select_related = ["doctor__user"]
    autocomplete_fields = ["doctor"]

    def get_readonly_fields(self, request, obj=None):
        # Time off is added or removed, not edited, so the audit trail stays simple.
        return ["doctor", "start", "end", "reason"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = time_off_add(
            doctor=obj.doctor,
            start=obj.start,
            end=obj.end,
            reason=obj.reason,
            actor=request.user,
            request=request,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        time_off_delete(doctor=obj.doctor, time_off=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for time_off in queryset.select_related("doctor"):
            self.delete_model(request, time_off)
