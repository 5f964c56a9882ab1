from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.template.response import TemplateResponse

from notifications.models import Reminder, ReminderStatus

from .models import Appointment, AppointmentEvent, AvailabilityRule, TimeOff, VisitType
from .reminders import reminder_retry_now
from .services import (
    VISIT_TYPE_FIELDS,
    appointment_cancel,
    appointment_confirm,
    appointment_decline,
    availability_rule_delete,
    availability_rule_overlap,
    availability_rule_save,
    time_off_add,
    time_off_delete,
    visit_type_save,
)


class ActionReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text="The patient and the doctor see this reason.",
    )


class AppointmentEventInline(admin.TabularInline):
    model = AppointmentEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "from_start", "to_start", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Appointments as staff see them; status changes only through the actions,
    which run the same services as the pages."""

    list_display = ["start", "patient", "doctor_name", "visit_type", "mode", "status"]
    list_filter = ["status", "mode", "doctor"]
    date_hierarchy = "start"
    search_fields = [
        "patient__full_name",
        "patient__email",
        "doctor__user__full_name",
        "doctor__license_id",
    ]
    list_select_related = ["patient", "doctor__user", "visit_type"]
    ordering = ["-start"]
    actions = ["confirm_selected", "decline_selected", "cancel_selected"]
    inlines = [AppointmentEventInline]
    readonly_fields = [
        "doctor",
        "patient",
        "visit_type",
        "start",
        "end",
        "blocked_start",
        "blocked_end",
        "mode",
        "location",
        "reason",
        "status",
        "status_reason",
        "video_room",
        "sequence",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    @admin.display(description="Doctor", ordering="doctor__user__full_name")
    def doctor_name(self, obj):
        return obj.doctor.user.display_name

    def has_add_permission(self, request):
        return False  # bookings go through the booking rules

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept; cancel instead

    def _run(self, request, queryset, change, verb, **kwargs):
        done, problems = 0, []
        for appointment in queryset.select_related("doctor__user", "patient", "visit_type"):
            try:
                change(appointment=appointment, actor=request.user, request=request, **kwargs)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", [str(exc)]))
                problems.append(f"{appointment}: {reason}")
            else:
                done += 1
        if done:
            self.message_user(request, f"{verb} {done} appointment(s).", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.ERROR)

    def _with_reason(self, request, queryset, *, action, title, button, change, verb):
        """Ask for a reason on an intermediate page, then run the service for each."""
        form = ActionReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run(request, queryset, change, verb, reason=form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "button": button,
            "appointments": queryset.select_related("doctor__user", "patient"),
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/appointments/appointment/action_reason.html", context
        )

    @admin.action(description="Confirm selected appointments")
    def confirm_selected(self, request, queryset):
        self._run(request, queryset, appointment_confirm, "Confirmed")

    @admin.action(description="Decline selected appointments (with a reason)")
    def decline_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="decline_selected",
            title="Decline appointments",
            button="Decline",
            change=appointment_decline,
            verb="Declined",
        )

    @admin.action(description="Cancel selected appointments (with a reason)")
    def cancel_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="cancel_selected",
            title="Cancel appointments",
            button="Cancel appointments",
            change=appointment_cancel,
            verb="Cancelled",
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
                self.add_error("name", f"This doctor already has a visit type called “{name}”.")
        return cleaned


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin):
    form = VisitTypeAdminForm
    list_display = [
        "name",
        "doctor",
        "duration_minutes",
        "mode",
        "requires_approval",
        "is_active",
    ]
    list_filter = ["is_active", "mode", "requires_approval"]
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
                    f"This window overlaps {clash.get_weekday_display()} "
                    f"{clash.start_time:%H:%M}–{clash.end_time:%H:%M}."
                )
        return cleaned


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(admin.ModelAdmin):
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
class TimeOffAdmin(admin.ModelAdmin):
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


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Delivery of reminders, for staff: what is scheduled, sent or failed and why."""

    list_display = [
        "due_at",
        "appointment_link",
        "offset",
        "status",
        "attempts",
        "retries",
        "sent_at",
        "retry_at",
        "short_error",
    ]
    list_filter = ["status", "offset"]
    search_fields = ["appointment__patient__email", "appointment__doctor__user__email"]
    list_select_related = ["appointment__patient", "appointment__doctor__user"]
    date_hierarchy = "due_at"
    ordering = ["-due_at"]
    actions = ["retry_now"]
    readonly_fields = [
        "appointment",
        "offset",
        "due_at",
        "appointment_start",
        "status",
        "attempts",
        "retries",
        "last_error",
        "retry_at",
        "sent_at",
        "notification",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="appointment", ordering="appointment__start")
    def appointment_link(self, obj):
        return str(obj.appointment)

    @admin.display(description="retries", ordering=F("attempts"))
    def retries(self, obj):
        return obj.retries

    @admin.display(description="error")
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description="Retry now (failed or overdue reminders)")
    def retry_now(self, request, queryset):
        retried = sum(
            reminder_retry_now(reminder=reminder)
            for reminder in queryset.filter(
                status__in=[ReminderStatus.FAILED, ReminderStatus.SCHEDULED]
            )
        )
        skipped = queryset.count() - retried
        self.message_user(
            request,
            f"Queued {retried} reminder(s) to be sent now"
            + (f"; {skipped} already sent or cancelled were left alone." if skipped else "."),
            messages.SUCCESS if retried else messages.WARNING,
        )
