"""Staff see that conversations exist (who, when, how many messages), never a word of them."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from patients.admin import MetadataOnlyAdmin

from .models import Conversation


@admin.register(Conversation)
class ConversationAdmin(MetadataOnlyAdmin):
    list_display = ["id", "patient", "created_at", "updated_at", "message_count"]
    list_select_related = ["patient"]
    fields = ["patient", "created_at", "updated_at"]
    readonly_fields = fields
    search_fields = ["patient__email"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_count=Count("messages"))

    @admin.display(description=_("messages"), ordering="message_count")
    def message_count(self, conversation):
        return conversation.message_count
