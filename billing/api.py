"""API of invoices and receipt PDFs, with the access rules and audit of the pages."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import FileView, LoginExempt
from api.exceptions import Conflict
from api.schema import SIGNED_IN, errors
from api.serializers import PersonSerializer
from doctors.api import DoctorRefSerializer
from patients import access as patient_access

from .access import get_invoice_for_user
from .models import Invoice, InvoiceLine
from .receipts import receipt_download_response
from .selectors import invoices_for_biller


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["position", "kind", "description", "quantity", "unit_price", "taxable"]


class InvoiceSerializer(serializers.ModelSerializer):
    patient = PersonSerializer()
    doctor = DoctorRefSerializer()
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "status",
            "appointment",
            "patient",
            "doctor",
            "currency",
            "tax_name",
            "tax_rate",
            "subtotal",
            "taxable_subtotal",
            "tax_total",
            "total",
            "issued_at",
            "paid_at",
            "payment_method",
            "voided_at",
            "void_reason",
            "created_at",
            "receipt_url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_receipt_url(self, invoice):
        if invoice.is_draft or not invoice.has_receipt:
            return ""
        return reverse("api:invoice_receipt", args=[invoice.pk])


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "clinic_name", "clinic_address", "lines"]


class InvoiceListView(LoginExempt, generics.ListAPIView):
    """A patient's issued bills; a verified doctor's own invoices; every invoice for staff."""

    serializer_class = InvoiceSerializer

    def get_queryset(self):
        user = self.request.user
        if user.is_patient:
            return Invoice.objects.for_patient(user).for_list()
        if user.is_doctor and patient_access.verified_doctor(user) is None:
            raise NotFound(_("Not found."))
        return invoices_for_biller(user).for_list()

    @extend_schema(
        operation_id="invoices_list",
        responses={200: InvoiceSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InvoiceDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="invoices_retrieve",
        responses={200: InvoiceDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        invoice = get_invoice_for_user(request, pk)
        prefetch_related_objects([invoice], "lines")
        return Response(InvoiceDetailSerializer(invoice).data)


class InvoiceReceiptView(FileView):
    @extend_schema(
        operation_id="invoices_receipt",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        invoice = get_invoice_for_user(request, pk, audit=None)
        if invoice.is_draft or not invoice.has_receipt:
            raise NotFound(_("This invoice has no receipt yet."))
        response = receipt_download_response(request, invoice)
        if response is None:
            raise Conflict("The receipt file failed its integrity check.")
        return response
