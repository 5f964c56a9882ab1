"""API of consultation records and documents, with the access rules and audit of
the pages."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import FileView, LoginExempt, read_body, read_query
from api.exceptions import Conflict
from api.schema import SIGNED_IN, errors
from api.serializers import PersonSerializer
from audit.downloads import private_file_response
from audit.models import AuditAction
from doctors.api import DoctorRefSerializer
from inputs.dates import ApiDateField
from patients import access as patient_access

from . import access as record_access
from .documents import document_upload
from .downloads import document_download_response
from .models import UPLOAD_KIND_CHOICES, ConsultationRecord, Document
from .pdf import render_consultation_pdf
from .selectors import DocumentIntegrityError


class PatientQuerySerializer(serializers.Serializer):
    patient = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("A patient the caller treats (doctors); patients see their own."),
    )


class ConsultationRecordSerializer(serializers.ModelSerializer):
    patient = PersonSerializer()
    doctor = DoctorRefSerializer()

    class Meta:
        model = ConsultationRecord
        fields = [
            "id",
            "appointment",
            "patient",
            "doctor",
            "status",
            "version",
            "presenting_complaint",
            "diagnosis",
            "tests_done",
            "observations",
            "plan",
            "follow_up_date",
            "signed_at",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = PersonSerializer()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "patient",
            "kind",
            "document_date",
            "description",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "is_hidden",
            "uploaded_by",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str:
        return reverse("api:document_download", args=[document.pk])


class DocumentUploadSerializer(serializers.Serializer):
    patient = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Whose record; a patient's own if omitted.")
    )
    kind = serializers.ChoiceField(choices=UPLOAD_KIND_CHOICES)
    document_date = ApiDateField()
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    file = serializers.FileField(help_text=_("PDF, PNG, JPEG, DICOM, plain text or CCDA XML."))


def _patient_from_query(request, part):
    """The patient named by ?patient= whose record the caller may open (their opening
    `part` of it audited), or None."""
    query = read_query(PatientQuerySerializer, request)
    if "patient" not in query:
        return None
    return patient_access.get_patient_for_user(request, query["patient"], part=part)


class ConsultationRecordListView(LoginExempt, generics.ListAPIView):
    """A patient's own records; a doctor's written records, or one treated patient's."""

    serializer_class = ConsultationRecordSerializer

    def get_queryset(self):
        user = self.request.user
        patient = _patient_from_query(self.request, "records.consultationrecord")
        if patient is not None:
            records = record_access.visible_records(user, patient)
        elif patient_access.is_self(user, user.pk):
            records = record_access.visible_records(user, user)
        else:
            doctor = patient_access.verified_doctor(user)
            if doctor is None:
                raise NotFound(_("Not found."))
            records = ConsultationRecord.objects.filter(doctor=doctor)
        return records.select_related("doctor__user", "patient").order_by("-created_at", "-id")

    @extend_schema(
        operation_id="records_list",
        parameters=[PatientQuerySerializer],
        responses={200: ConsultationRecordSerializer(many=True), **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConsultationRecordDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="records_retrieve",
        responses={200: ConsultationRecordSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        record = record_access.get_record_for_user(request, pk)
        return Response(ConsultationRecordSerializer(record).data)


class ConsultationRecordPdfView(FileView):
    @extend_schema(
        operation_id="records_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        record = record_access.get_record_for_user(request, pk, audit=AuditAction.DOWNLOAD)
        return private_file_response(
            render_consultation_pdf(record, language=translation.get_language()),
            filename=f"consultation-{record.pk}.pdf",
            content_type="application/pdf",
        )


class DocumentListView(LoginExempt, generics.ListAPIView):
    serializer_class = DocumentSerializer

    def _patient(self):
        patient = _patient_from_query(self.request, "records.documents")
        if patient is not None:
            return patient
        user = self.request.user
        if patient_access.is_self(user, user.pk):
            return user
        raise ValidationError({"patient": ["Name the patient whose documents to list."]})

    def get_queryset(self):
        patient = self._patient()
        return (
            record_access.visible_documents(self.request.user, patient)
            .for_list()
            .order_by("-document_date", "-id")
        )

    @extend_schema(
        operation_id="documents_list",
        parameters=[PatientQuerySerializer],
        responses={200: DocumentSerializer(many=True), **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="documents_upload",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, **errors(400, 404, *SIGNED_IN)},
    )
    def post(self, request):
        data = read_body(DocumentUploadSerializer, request)
        user = request.user
        if "patient" in data:
            patient = patient_access.get_patient_for_user(request, data["patient"], audit=None)
        elif patient_access.is_self(user, user.pk):
            patient = user
        else:
            raise ValidationError({"patient": ["Name the patient this document belongs to."]})
        document = document_upload(
            patient=patient,
            uploader=user,
            uploaded_file=data["file"],
            kind=data["kind"],
            document_date=data["document_date"],
            description=data["description"],
            request=request,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(FileView):
    @extend_schema(
        operation_id="documents_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The file, with its own content type.")
            ),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        document = record_access.get_document_for_user(request, pk, audit=None)
        try:
            return document_download_response(request, document)
        except DocumentIntegrityError as exc:
            raise Conflict("The stored file failed its integrity check.") from exc
