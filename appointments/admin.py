from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.admin_base import ScaledModelAdmin
from notifications.models import Reminder, ReminderStatus

from .models import Appointment, AppointmentEvent
from .reminders import reminder_retry_now
from .services import appointment_cancel, appointment_confirm, appointment_decline


class ActionReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=gettext_lazy("The patient and the doctor see this reason."),
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
class AppointmentAdmin(ScaledModelAdmin):
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
        "status",
        "status_reason",
        "sequence",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("Doctor"), ordering="doctor__user__full_name")
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
            self.message_user(
                request,
                _("%(verb)s %(count)s appointment(s).") % {"verb": verb, "count": done},
                messages.SUCCESS,
            )
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

    @admin.action(description=gettext_lazy("Confirm selected appointments"))
    def confirm_selected(self, request, queryset):
        self._run(request, queryset, appointment_confirm, pgettext("admin verb", "Confirmed"))

    @admin.action(description=gettext_lazy("Decline selected appointments (with a reason)"))
    def decline_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="decline_selected",
            title=_("Decline appointments"),
            button=_("Decline"),
            change=appointment_decline,
            verb=pgettext("admin verb", "Declined"),
        )

    @admin.action(description=gettext_lazy("Cancel selected appointments (with a reason)"))
    def cancel_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="cancel_selected",
            title=_("Cancel appointments"),
            button=_("Cancel appointments"),
            change=appointment_cancel,
            verb=pgettext("admin verb", "Cancelled"),
        )


@admin.register(Reminder)
class ReminderAdmin(ScaledModelAdmin):
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

    @admin.display(description=gettext_lazy("appointment"), ordering="appointment__start")
    def appointment_link(self, obj):
        return str(obj.appointment)

    @admin.display(description=gettext_lazy("retries"), ordering=F("attempts"))
    def retries(self, obj):
        return obj.retries

    @admin.display(description=gettext_lazy("error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description=gettext_lazy("Retry now (failed or overdue reminders)"))
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
            (
                _(
                    "Queued %(retried)s reminder(s) to be sent now; %(skipped)s already sent "
                    "or cancelled were left alone."
                )
                if skipped
                else _("Queued %(retried)s reminder(s) to be sent now.")
            )
            % {"retried": retried, "skipped": skipped},
            messages.SUCCESS if retried else messages.WARNING,
        )
