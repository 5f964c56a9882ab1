"""The clinic dashboard and the monthly reports inside Django Admin, for staff."""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doctors.models import DoctorProfile
from patients.admin import MetadataOnlyAdmin

from .access import (
    ReportIntegrityError,
    get_report_for_user,
    is_clinic_staff,
    report_download_response,
)
from .charts import CHART_NAMES, csv_response, doctors_table
from .dashboard import dashboard_build
from .forms import DashboardForm, StaffReportForm
from .models import AnalyticsDashboard, MonthlyReport, ReportAudience
from .selectors import Filters, filter_choices
from .services import monthly_report_generate


class StaffOnlyAdmin(MetadataOnlyAdmin):
    """Read-only, and only for the clinic's staff."""

    def has_module_permission(self, request):
        return is_clinic_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_clinic_staff(request.user)


def _dashboard_form(request):
    doctors, specializations, cities = filter_choices()
    return DashboardForm(
        request.GET or None, doctors=doctors, specializations=specializations, cities=cities
    )


@admin.register(AnalyticsDashboard)
class AnalyticsDashboardAdmin(StaffOnlyAdmin):
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("csv/<str:chart>/", view(self.csv_view), name="analytics_dashboard_csv"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not is_clinic_staff(request.user):
            raise Http404
        form = _dashboard_form(request)
        status = 200
        if form.is_bound and form.is_valid():
            filters, period = form.filters(), form.cleaned_data["period"]
        else:
            status = 400 if form.is_bound else 200
            filters, period = Filters(), form.default_period()
        board = dashboard_build(filters=filters, period=period)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Clinic dashboard"),
            "form": form,
            "period": period,
            "board": board,
            "query": request.GET.urlencode(),
            "csv_base": reverse("admin:analytics_dashboard_csv", args=["appointments"]).rsplit(
                "appointments/", 1
            )[0],
        }
        return TemplateResponse(request, "admin/analytics/dashboard.html", context, status=status)

    def csv_view(self, request, chart):
        if not is_clinic_staff(request.user) or chart not in (*CHART_NAMES, "doctors"):
            raise Http404
        form = _dashboard_form(request)
        if form.is_bound and not form.is_valid():
            return TemplateResponse(
                request,
                "admin/analytics/bad_period.html",
                {**self.admin_site.each_context(request), "form": form},
                status=400,
            )
        if form.is_bound:
            filters, period = form.filters(), form.cleaned_data["period"]
        else:
            filters, period = Filters(), form.default_period()
        board = dashboard_build(filters=filters, period=period)
        if chart == "doctors":
            found = doctors_table(board.by_doctor)
        else:
            found = next(c for c in board.charts if c.name == chart)
        return csv_response(found, f"{chart}-{period.first}-{period.last}.csv")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(StaffOnlyAdmin):
    list_display = ("month_label", "doctor_name", "generated_at", "download")
    list_filter = ("month",)
    search_fields = ("doctor__user__full_name",)
    list_select_related = ("doctor__user",)

    def get_queryset(self, request):
        # Staff see and download the clinic copies only: the doctor's copy carries
        # patients and diagnoses.
        return super().get_queryset(request).filter(audience=ReportAudience.STAFF)

    @admin.display(description=gettext_lazy("Month"), ordering="month")
    def month_label(self, obj):
        return obj.month.strftime("%Y-%m")

    @admin.display(description=gettext_lazy("Doctor"), ordering="doctor__user__full_name")
    def doctor_name(self, obj):
        return obj.doctor.user.full_name

    @admin.display(description=gettext_lazy("File"))
    def download(self, obj):
        from django.utils.html import format_html

        url = reverse("admin:analytics_monthlyreport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download PDF"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("generate/", view(self.generate_view), name="analytics_monthlyreport_generate"),
            path(
                "<int:pk>/download/",
                view(self.download_view),
                name="analytics_monthlyreport_download",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "generate_url": reverse("admin:analytics_monthlyreport_generate"),
        }
        return super().changelist_view(request, extra_context)

    def download_view(self, request, pk):
        report = get_report_for_user(request, pk)
        try:
            return report_download_response(request, report)
        except ReportIntegrityError:
            messages.error(request, _("The stored report failed its integrity check."))
            return redirect("admin:analytics_monthlyreport_changelist")

    def generate_view(self, request):
        if not is_clinic_staff(request.user):
            raise Http404
        doctors = DoctorProfile.objects.verified().order_by("user__full_name")
        choices = list(doctors.values_list("pk", "user__full_name"))
        form = StaffReportForm(request.POST or None, doctors=choices)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                doctor = doctors.get(pk=form.cleaned_data["doctor"])
                monthly_report_generate(
                    doctor=doctor,
                    month=form.cleaned_data["month"],
                    audience=ReportAudience.STAFF,
                    actor=request.user,
                )
                messages.success(request, _("The report is ready."))
                return redirect("admin:analytics_monthlyreport_changelist")
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Generate a monthly report"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/analytics/generate_report.html", context, status=status
        )
