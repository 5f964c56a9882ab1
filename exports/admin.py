"""Staff exports in Django Admin: the list shows every export's metadata only (never
a file or its contents); "add" starts a period export of appointments or invoices;
an export staff started shows its progress and download here, inside Admin."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.admin_base import ScaledModelAdmin

from . import selectors, services
from .access import get_export_for_user
from .downloads import export_download_response
from .forms import PeriodExportForm
from .models import Export

POLL_STOP = 286


def _errors(exc):
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@admin.register(Export)
class ExportAdmin(ScaledModelAdmin):
    list_display = [
        "id",
        "kind",
        "requested_by",
        "status",
        "rows_done",
        "rows_total",
        "created_at",
        "finished_at",
        "expires_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by"]
    # Metadata only: no file, no patient, no error text of someone else's export.
    fields = [
        "kind",
        "requested_by",
        "date_from",
        "date_to",
        "status",
        "rows_done",
        "rows_total",
        "size",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
    ]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def _is_staff(self, request):
        return services.is_export_staff(request.user)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request)

    def has_add_permission(self, request):
        return self._is_staff(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", view(self.progress_view), name="exports_export_progress"),
            path("<int:pk>/download/", view(self.download_view), name="exports_export_download"),
            path("<int:pk>/cancel/", view(self.cancel_view), name="exports_export_cancel"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def _panel(self, export):
        return {
            "export": export,
            "poll_seconds": selectors.poll_seconds(),
            "download_url": reverse("admin:exports_export_download", args=[export.pk]),
            "cancel_url": reverse("admin:exports_export_cancel", args=[export.pk]),
            "progress_url": reverse("admin:exports_export_progress", args=[export.pk]),
        }

    def add_view(self, request, form_url="", extra_context=None):
        if not self._is_staff(request):
            raise Http404
        form = PeriodExportForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    export = services.export_start(
                        requester=request.user,
                        kind=form.cleaned_data["kind"],
                        date_from=form.cleaned_data["date_from"],
                        date_to=form.cleaned_data["date_to"],
                        request=request,
                    )
                except ValidationError as exc:
                    form.add_error(None, _errors(exc))
                else:
                    messages.success(request, _("Your export has started."))
                    return redirect("admin:exports_export_change", export.pk)
            status = 400
        context = self._context(request, _("Export appointments or invoices"), form=form)
        return TemplateResponse(request, "admin/exports/start.html", context, status=status)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        export = Export.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if export is not None and export.requested_by_id == request.user.pk:
            context = self._context(request, str(export), **self._panel(export))
            return TemplateResponse(request, "admin/exports/progress.html", context)
        return super().change_view(request, object_id, form_url, extra_context)

    def progress_view(self, request, pk):
        export = get_export_for_user(request, pk)
        status = 200 if export.is_open else POLL_STOP
        return TemplateResponse(
            request, "exports/_progress.html", self._panel(export), status=status
        )

    def download_view(self, request, pk):
        export = get_export_for_user(request, pk)
        try:
            response = export_download_response(export)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("admin:exports_export_change", export.pk)
        services.export_downloaded(export=export, request=request)
        return response

    def cancel_view(self, request, pk):
        export = get_export_for_user(request, pk)
        if request.method == "POST":
            try:
                services.export_cancel(export=export, actor=request.user, request=request)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("The export was cancelled and its file removed."))
        return redirect("admin:exports_export_change", export.pk)
