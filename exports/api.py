"""API of exports: start one, poll its progress, download it, cancel it. Someone
else's export is a 404, as on the pages."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import FileView, LoginExempt, read_body
from api.exceptions import Conflict
from api.schema import SIGNED_IN, errors
from inputs.dates import ApiDateField
from patients.access import get_patient_for_user

from . import selectors, services
from .access import get_export_for_user
from .downloads import export_download_response
from .models import Export, ExportKind


class ExportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "kind",
            "patient",
            "date_from",
            "date_to",
            "status",
            "rows_done",
            "rows_total",
            "percent",
            "size",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, export):
        if export.status != "done":
            return ""
        return reverse("api:export_download", args=[export.pk])


class ExportStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices)
    # patient_history: whose (a patient's own history when left out).
    patient = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    # appointments / invoices: the period, in the clinic's time zone, both days included.
    date_from = ApiDateField(required=False)
    date_to = ApiDateField(required=False)


class ExportListView(LoginExempt, generics.ListAPIView):
    """The signed-in person's exports, newest first; POST starts a new one."""

    serializer_class = ExportSerializer

    def get_queryset(self):
        return selectors.exports_of(self.request.user)

    @extend_schema(
        operation_id="exports_list",
        responses={200: ExportSerializer(many=True), **errors(*SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="exports_create",
        request=ExportStartSerializer,
        responses={201: ExportSerializer, **errors(400, 404, *SIGNED_IN)},
    )
    def post(self, request):
        data = read_body(ExportStartSerializer, request)
        patient = None
        if data["kind"] == ExportKind.PATIENT_HISTORY:
            patient_id = data.get("patient") or request.user.pk
            patient = get_patient_for_user(request, patient_id, audit=None)
        export = services.export_start(
            requester=request.user,
            kind=data["kind"],
            patient=patient,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            request=request,
        )
        return Response(ExportSerializer(export).data, status=status.HTTP_201_CREATED)


class ExportDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="exports_retrieve",
        responses={200: ExportSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        return Response(ExportSerializer(get_export_for_user(request, pk)).data)


class ExportCancelView(LoginExempt, APIView):
    @extend_schema(
        operation_id="exports_cancel",
        request=None,
        responses={200: ExportSerializer, **errors(404, 409, *SIGNED_IN)},
    )
    def post(self, request, pk):
        export = get_export_for_user(request, pk)
        try:
            export = services.export_cancel(export=export, actor=request.user, request=request)
        except services.ValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from exc
        return Response(ExportSerializer(export).data)


class ExportDownloadView(FileView):
    @extend_schema(
        operation_id="exports_download",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        export = get_export_for_user(request, pk)
        try:
            response = export_download_response(export)
        except services.ValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from exc
        services.export_downloaded(export=export, request=request)
        return response
