from django.contrib import admin

from accounts.admin_base import ScaledModelAdmin

from .models import PatientProfile


@admin.register(PatientProfile)
class PatientProfileAdmin(ScaledModelAdmin):
    """Staff see demographics only; clinical data is not shown here."""

    list_display = ["user", "date_of_birth", "sex", "phone"]
    search_fields = ["user__full_name", "user__email", "phone"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class MetadataOnlyAdmin(ScaledModelAdmin):
    """Clinical objects in Admin: staff see who and when, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
