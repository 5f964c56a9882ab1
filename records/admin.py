"""Staff see metadata only: no clinical text, no file contents, nothing editable."""

from django.contrib import admin

from patients.admin import MetadataOnlyAdmin

from .models import ConsultationRecord, Document


@admin.register(ConsultationRecord)
class ConsultationRecordAdmin(MetadataOnlyAdmin):
    list_display = ["id", "patient", "doctor", "status", "version", "created_at", "signed_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "doctor__user"]
    fields = [
        "patient",
        "doctor",
        "appointment",
        "status",
        "version",
        "created_at",
        "signed_at",
        "voided_at",
        "voided_by",
    ]
    readonly_fields = fields
    search_fields = ["patient__email", "doctor__license_id"]


@admin.register(Document)
class DocumentAdmin(MetadataOnlyAdmin):
    list_display = ["id", "patient", "kind", "document_date", "size", "is_hidden", "created_at"]
    list_filter = ["kind", "is_generated", "is_hidden"]
    list_select_related = ["patient"]
    fields = [
        "patient",
        "uploaded_by",
        "kind",
        "document_date",
        "content_type",
        "size",
        "sha256",
        "is_generated",
        "is_hidden",
        "hidden_at",
        "created_at",
    ]
    readonly_fields = fields
    search_fields = ["patient__email"]
