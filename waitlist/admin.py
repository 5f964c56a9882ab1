from django.contrib import admin

from accounts.admin_base import ScaledModelAdmin

from .models import WaitlistEntry, WaitlistOffer


class WaitlistOfferInline(admin.TabularInline):
    model = WaitlistOffer
    extra = 0
    can_delete = False
    fields = ["start", "status", "expires_at", "decided_at", "appointment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ScaledModelAdmin):
    list_display = [
        "joined_at",
        "patient",
        "doctor",
        "visit_type",
        "date_from",
        "date_to",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["patient__email", "doctor__user__full_name"]
    list_select_related = ["patient", "doctor__user", "visit_type"]
    readonly_fields = ["patient", "doctor", "visit_type", "joined_at", "left_at", "appointment"]
    inlines = [WaitlistOfferInline]


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(ScaledModelAdmin):
    list_display = ["created_at", "entry", "start", "status", "expires_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["entry__patient", "entry__visit_type"]
    readonly_fields = [
        "entry",
        "doctor",
        "start",
        "end",
        "status",
        "expires_at",
        "created_at",
        "decided_at",
        "appointment",
    ]

    def has_add_permission(self, request):
        return False
