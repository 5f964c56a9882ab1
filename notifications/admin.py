from django.contrib import admin

from accounts.admin_base import ScaledModelAdmin

from .models import CalendarFeed, Notification


@admin.register(Notification)
class NotificationAdmin(ScaledModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at", "emailed_at", "email_error"]
    exclude = ["ics", "email_context"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ScaledModelAdmin):
    list_display = ["user", "created_at", "rotated_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "rotated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
