"""API of the clinic figures (staff), the practice figures (a doctor's own) and the
monthly reports, with the rules of the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import FileView, LoginExempt
from api.exceptions import Conflict
from api.schema import SIGNED_IN, errors
from patients.access import verified_doctor

from .access import (
    ReportIntegrityError,
    get_report_for_user,
    is_clinic_staff,
    report_download_response,
    reports_for_user,
)
from .dashboard import dashboard_build, figures_json
from .forms import DashboardForm, PeriodForm, today_in
from .models import MonthlyReport
from .selectors import Filters, filter_choices

PERIOD_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: 29 days ago)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (default: today)"),
    OpenApiParameter("mode", OpenApiTypes.STR, enum=["in_person", "online"]),
]


def _form_errors(form):
    return ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})


def _payload(board, *, clinic):
    data = {
        "current": figures_json(board.current),
        "previous": figures_json(board.previous),
        "charts": [
            {
                "name": c.name,
                "title": c.title,
                "summary": c.summary,
                "columns": c.columns,
                "rows": [[str(x) if x is not None else None for x in r] for r in c.rows],
            }
            for c in board.charts
        ],
    }
    if clinic:
        data["by_doctor"] = [
            {"id": r["id"], "name": r["name"], **figures_json_row(r)} for r in board.by_doctor
        ]
        data["by_specialization"] = [
            {"id": r["id"], "name": r["name"], **figures_json_row(r)}
            for r in board.by_specialization
        ]
    return data


def figures_json_row(row):
    return {
        "totals": {k: (v if isinstance(v, int) else str(v)) for k, v in row["totals"].items()},
        "rates": row["rates"],
    }


class DashboardView(LoginExempt, APIView):
    """The clinic's figures for a period, with filters (staff only)."""

    @extend_schema(
        operation_id="analytics_dashboard",
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("doctor", OpenApiTypes.INT),
            OpenApiParameter("specialization", OpenApiTypes.INT),
            OpenApiParameter("city", OpenApiTypes.STR),
        ],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request):
        if not is_clinic_staff(request.user):
            raise NotFound("Not found.")
        doctors, specializations, cities = filter_choices()
        form = DashboardForm(
            request.query_params, doctors=doctors, specializations=specializations, cities=cities
        )
        if not form.is_valid():
            raise _form_errors(form)
        board = dashboard_build(filters=form.filters(), period=form.cleaned_data["period"])
        return Response(_payload(board, clinic=True))


class PracticeView(LoginExempt, APIView):
    """The signed-in verified doctor's own figures for a period."""

    @extend_schema(
        operation_id="analytics_practice",
        parameters=PERIOD_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request):
        doctor = verified_doctor(request.user)
        if doctor is None:
            raise NotFound("Not found.")
        form = PeriodForm(request.query_params, today=today_in(doctor.tz))
        if not form.is_valid():
            raise _form_errors(form)
        filters = Filters(doctor_id=doctor.pk, mode=form.cleaned_data.get("mode") or "")
        board = dashboard_build(filters=filters, period=form.cleaned_data["period"], clinic=False)
        return Response(_payload(board, clinic=False))


class MonthlyReportSerializer(serializers.ModelSerializer):
    doctor = serializers.IntegerField(source="doctor_id")
    doctor_name = serializers.CharField(source="doctor.user.full_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "doctor",
            "doctor_name",
            "month",
            "audience",
            "generated_at",
            "size",
            "download_url",
        ]

    def get_download_url(self, report) -> str:
        from django.urls import reverse

        return reverse("api:analytics_report_file", args=[report.pk])


class MonthlyReportListView(LoginExempt, generics.ListAPIView):
    """A verified doctor's own reports; the clinic copies for staff."""

    serializer_class = MonthlyReportSerializer

    def get_queryset(self):
        user = self.request.user
        if not is_clinic_staff(user) and verified_doctor(user) is None:
            raise NotFound("Not found.")
        return reports_for_user(user).for_list()

    @extend_schema(
        operation_id="analytics_reports_list",
        responses={200: MonthlyReportSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MonthlyReportFileView(FileView):
    @extend_schema(
        operation_id="analytics_reports_file",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        report = get_report_for_user(request, pk)
        try:
            return report_download_response(request, report)
        except ReportIntegrityError:
            raise Conflict("The stored report failed its integrity check.") from None
