"""Staff see that conversations exist and their state, never what they say: no
subject, no message text, no file names."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from patients.admin import MetadataOnlyAdmin

from .models import Thread


@admin.register(Thread)
class ThreadAdmin(MetadataOnlyAdmin):
    list_display = ["id", "kind", "created_at", "last_message_at", "closed_at", "message_count"]
    list_filter = ["kind", "closed_at"]
    date_hierarchy = "created_at"
    fields = ["kind", "created_at", "last_message_at", "closed_at", "message_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_total=Count("messages"))

    @admin.display(description=_("messages"), ordering="message_total")
    def message_count(self, thread):
        return thread.message_total
