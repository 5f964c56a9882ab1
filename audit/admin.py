from django.contrib import admin

from accounts.admin_base import ScaledModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ScaledModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "allowed"]
    list_filter = ["action", "allowed", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "patient__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "patient"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
