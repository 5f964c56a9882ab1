from django.contrib import admin, messages
from django.db.models import F

from .models import CalendarFeed, Notification, Reminder, ReminderStatus
from .reminders import reminder_retry_now


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at", "emailed_at", "email_error"]
    exclude = ["ics", "email_context"]


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


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "rotated_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "rotated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
