"""API of prescriptions and their PDFs, with the access rules and audit of the
pages."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import FileView, LoginExempt
from api.schema import SIGNED_IN, errors
from api.serializers import PersonSerializer
from audit.downloads import private_file_response
from audit.models import AuditAction
from doctors.api import DoctorRefSerializer
from patients import access as patient_access

from .access import get_prescription_for_user, prescriptions_for_user
from .models import Prescription, PrescriptionItem
from .pdf import render_prescription_pdf
from .services import ITEM_FIELDS


class PrescriptionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrescriptionItem
        fields = [
            "position",
            *ITEM_FIELDS,
        ]


class PrescriptionSerializer(serializers.ModelSerializer):
    patient = PersonSerializer()
    doctor = DoctorRefSerializer()
    item_count = serializers.IntegerField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Prescription
        fields = [
            "id",
            "appointment",
            "patient",
            "doctor",
            "status",
            "issued_at",
            "follow_up_date",
            "item_count",
            "voided_at",
            "void_reason",
            "pdf_url",
        ]

    def get_pdf_url(self, prescription) -> str:
        return reverse("api:prescription_pdf", args=[prescription.pk])


class PrescriptionDetailSerializer(PrescriptionSerializer):
    items = PrescriptionItemSerializer(many=True)
    item_count = serializers.SerializerMethodField()

    class Meta(PrescriptionSerializer.Meta):
        fields = [*PrescriptionSerializer.Meta.fields, "notes", "items"]

    def get_item_count(self, prescription) -> int:
        return len(prescription.items.all())


class PrescriptionListView(LoginExempt, generics.ListAPIView):
    """A patient's own prescriptions, or the ones a doctor issued."""

    serializer_class = PrescriptionSerializer

    def get_queryset(self):
        user = self.request.user
        if patient_access.verified_doctor(user) is None and not patient_access.is_self(
            user, user.pk
        ):
            raise NotFound(_("Not found."))
        return prescriptions_for_user(user).for_list()

    @extend_schema(
        operation_id="prescriptions_list",
        responses={200: PrescriptionSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PrescriptionDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="prescriptions_retrieve",
        responses={200: PrescriptionDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        prescription = get_prescription_for_user(request, pk)
        prefetch_related_objects([prescription], "items")
        return Response(PrescriptionDetailSerializer(prescription).data)


class PrescriptionPdfView(FileView):
    @extend_schema(
        operation_id="prescriptions_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        prescription = get_prescription_for_user(request, pk, audit=AuditAction.DOWNLOAD)
        data = render_prescription_pdf(
            prescription, list(prescription.items.all()), language=translation.get_language()
        )
        return private_file_response(
            data, filename=f"prescription-{prescription.pk}.pdf", content_type="application/pdf"
        )
