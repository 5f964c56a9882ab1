"""Staff see metadata only: no items, notes or instructions, nothing editable."""

from django.contrib import admin

from patients.admin import MetadataOnlyAdmin

from .models import Prescription


@admin.register(Prescription)
class PrescriptionAdmin(MetadataOnlyAdmin):
    list_display = ["id", "patient", "doctor", "status", "issued_at", "voided_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "doctor__user"]
    fields = ["patient", "doctor", "appointment", "status", "issued_at", "voided_at", "voided_by"]
    readonly_fields = fields
    search_fields = ["patient__email", "doctor__license_id"]
