"""REST API v1 views. Each validates its input with a serializer, makes one call to
the owning domain (service, selector or access helper) and answers with an output
serializer. Who may see what is decided by the domain's access helpers, the same
ones the pages use; a denial is a 404."""

import datetime
import io

from django.contrib.auth.decorators import login_not_required
from django.db.models import prefetch_related_objects
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from accounts.models import User
from appointments.access import (
    appointment_relation,
    appointments_visible_to,
    get_appointment_for_user,
)
from appointments.models import ACTIVE_STATUSES
from appointments.selectors import SearchSort, doctor_public_get, doctor_search
from appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
    appointment_reschedule,
)
from appointments.slots import free_slots, next_free_slots
from audit.models import AuditAction
from audit.services import audit_record
from billing.access import get_invoice_for_user
from billing.models import Invoice
from billing.receipts import receipt_file_read
from billing.selectors import invoices_for_biller
from doctors.models import Specialization
from doctors.services import PROFILE_FIELDS as DOCTOR_PROFILE_FIELDS
from doctors.services import doctor_profile_update
from notifications.models import Notification
from notifications.services import notification_mark_all_read, notification_mark_read
from patients.services import PROFILE_FIELDS as PATIENT_FIELDS
from patients.services import patient_profile_save
from prescriptions.access import get_prescription_for_user, prescriptions_for_user
from prescriptions.pdf import render_prescription_pdf
from records import access as record_access
from records import selectors as record_selectors
from records.models import ConsultationRecord
from records.pdf import render_consultation_pdf
from records.services import document_upload

from . import serializers as s
from .exceptions import Conflict
from .schema import SIGNED_IN, errors

# The longest range of free slots one request may ask for.
SLOT_RANGE_DAYS = 14


class LoginExempt:
    """DRF authenticates API callers itself (token or cookie) and answers 401, so
    Django's LoginRequiredMiddleware, which would redirect to the login page, lets
    these views through."""

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


class FileRenderer(BaseRenderer):
    """Lets a client ask for a file (Accept: application/pdf, image/png, ...)."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class FileView(LoginExempt, APIView):
    renderer_classes = [JSONRenderer, FileRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when the client asked for a file.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _file_response(data, *, filename, content_type):
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _body(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --------------------------------------------------------------------------- schema and docs


class SchemaView(LoginExempt, SpectacularAPIView):
    permission_classes = [AllowAny]


class SwaggerView(LoginExempt, SpectacularSwaggerView):
    permission_classes = [AllowAny]


class RedocView(LoginExempt, SpectacularRedocView):
    permission_classes = [AllowAny]


# --------------------------------------------------------------------------- profile


def _profile_user(user):
    return User.objects.select_related("patient_profile", "doctor_profile").get(pk=user.pk)


class MeView(LoginExempt, APIView):
    """The signed-in person's own account and profile."""

    mfa_exempt = True  # the person's own details, reachable while enrolling two-factor

    @extend_schema(
        operation_id="me_retrieve", responses={200: s.ProfileSerializer, **errors(*SIGNED_IN)}
    )
    def get(self, request):
        return Response(s.ProfileSerializer(_profile_user(request.user)).data)

    @extend_schema(
        operation_id="me_update",
        request=s.ProfileUpdateSerializer,
        responses={200: s.ProfileSerializer, **errors(400, *SIGNED_IN)},
    )
    def patch(self, request):
        data = _body(s.ProfileUpdateSerializer, request)
        user = _profile_user(request.user)
        full_name = data.get("full_name", user.full_name)
        if user.is_patient:
            self._update_patient(request, user, full_name, data)
        elif user.is_doctor:
            profile = user.doctor_profile
            doctor_profile_update(
                profile=profile,
                full_name=full_name,
                specializations=data.get("specializations", list(profile.specializations.all())),
                **{name: data[name] for name in DOCTOR_PROFILE_FIELDS if name in data},
            )
        else:
            raise ValidationError("Staff accounts are managed in Django Admin.")
        return Response(s.ProfileSerializer(_profile_user(user)).data)

    def _update_patient(self, request, user, full_name, data):
        fields = {name: data[name] for name in PATIENT_FIELDS if name in data}
        patient_profile_save(user=user, actor=user, full_name=full_name, request=request, **fields)


# --------------------------------------------------------------------------- doctors


class SpecializationListView(LoginExempt, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.SpecializationSerializer
    queryset = Specialization.objects.order_by("name", "pk")

    @extend_schema(responses={200: s.SpecializationSerializer(many=True), **errors(429)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DoctorSearchView(LoginExempt, APIView):
    """Verified doctors with the same filters and order as the search page."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="doctors_list",
        parameters=[s.DoctorSearchQuerySerializer],
        responses={200: s.DoctorSearchPageSerializer, **errors(400, 429)},
    )
    def get(self, request):
        query = s.DoctorSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = doctor_search(
            page=query.validated_data.get("page", 1),
            sort=query.validated_data.get("sort") or SearchSort.NEXT_SLOT,
            **query.search_filters(),
        )
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous():
            number = page.previous_page_number()
            previous = (
                remove_query_param(url, "page")
                if number == 1
                else replace_query_param(url, "page", number)
            )
        body = {
            "count": page.paginator.count,
            "next": replace_query_param(url, "page", page.next_page_number())
            if page.has_next()
            else None,
            "previous": previous,
            "results": page.object_list,
        }
        return Response(s.DoctorSearchPageSerializer(body).data)


def _public_doctor(pk):
    doctor = doctor_public_get(pk)
    if doctor is None:
        raise NotFound("No such doctor.")
    return doctor


class DoctorDetailView(LoginExempt, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="doctors_retrieve",
        responses={200: s.DoctorDetailSerializer, **errors(404, 429)},
    )
    def get(self, request, pk):
        doctor = _public_doctor(pk)
        doctor.next_slot = next_free_slots(doctors=[doctor]).get(doctor.pk)
        visit_types = list(doctor.visit_types.filter(is_active=True).order_by("name", "pk"))
        return Response(s.DoctorDetailSerializer(doctor, context={"visit_types": visit_types}).data)


class DoctorSlotsView(LoginExempt, generics.ListAPIView):
    """A doctor's free slots over a range of local dates, per active visit type."""

    permission_classes = [AllowAny]
    serializer_class = s.SlotSerializer

    def get_queryset(self):
        query = _query(s.SlotQuerySerializer, self.request)
        doctor = _public_doctor(self.kwargs["pk"])
        visit_types = doctor.visit_types.filter(is_active=True).order_by("pk")
        if "visit_type" in query:
            visit_types = visit_types.filter(pk=query["visit_type"])
            if not visit_types.exists():
                raise ValidationError({"visit_type": ["This doctor does not offer it."]})
        today = timezone.now().astimezone(doctor.tz).date()
        start = query.get("start") or today
        end = query.get("end") or start + datetime.timedelta(days=SLOT_RANGE_DAYS - 1)
        if (end - start).days > 30:
            raise ValidationError({"end": ["Ask for at most 31 days at a time."]})
        found = []
        for visit_type in visit_types:
            found += free_slots(
                doctor=doctor, visit_type=visit_type, start_date=start, end_date=end
            )
        return sorted(found, key=lambda slot: (slot.start, slot.visit_type_id))

    @extend_schema(
        parameters=[s.SlotQuerySerializer],
        responses={200: s.SlotSerializer(many=True), **errors(400, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --------------------------------------------------------------------------- appointments


class AppointmentListView(LoginExempt, generics.ListAPIView):
    serializer_class = s.AppointmentSerializer

    def get_queryset(self):
        query = _query(s.AppointmentListQuerySerializer, self.request)
        appointments = appointments_visible_to(self.request.user).for_list()
        if "status" in query:
            appointments = appointments.filter(status=query["status"])
        if query.get("upcoming"):
            return appointments.filter(status__in=ACTIVE_STATUSES, end__gt=timezone.now()).order_by(
                "start", "pk"
            )
        return appointments.order_by("-start", "-pk")

    @extend_schema(
        operation_id="appointments_list",
        parameters=[s.AppointmentListQuerySerializer],
        responses={200: s.AppointmentSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="appointments_book",
        request=s.AppointmentBookSerializer,
        responses={201: s.AppointmentSerializer, **errors(400, 409, *SIGNED_IN)},
    )
    def post(self, request):
        data = _body(s.AppointmentBookSerializer, request)
        doctor = doctor_public_get(data["doctor"])
        if doctor is None:
            raise ValidationError({"doctor": ["No such doctor."]})
        visit_type = doctor.visit_types.filter(pk=data["visit_type"], is_active=True).first()
        if visit_type is None:
            raise ValidationError({"visit_type": ["This doctor does not offer it."]})
        appointment = appointment_book(
            patient=request.user,
            doctor=doctor,
            visit_type=visit_type,
            start=data["start"],
            mode=data["mode"],
            reason=data["reason"],
            actor=request.user,
            request=request,
        )
        body = s.AppointmentSerializer(appointment, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class AppointmentDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="appointments_retrieve",
        responses={200: s.AppointmentSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        appointment = get_appointment_for_user(request, pk)
        return Response(s.AppointmentSerializer(appointment, context={"request": request}).data)


class AppointmentActionView(LoginExempt, APIView):
    """One status change of an appointment, through its service."""

    relations = ()
    input_serializer = None

    def service_call(self, appointment, data, relation):
        raise NotImplementedError

    def post(self, request, pk):
        appointment = get_appointment_for_user(request, pk, record_view=False)
        relation = appointment_relation(request.user, appointment)
        if relation not in self.relations:
            raise NotFound("Not found.")
        data = _body(self.input_serializer, request) if self.input_serializer else {}
        self.service_call(appointment, data, relation)
        return Response(s.AppointmentSerializer(appointment, context={"request": request}).data)


def _action_schema(operation_id, request=None, extra=(400, 409)):
    return extend_schema(
        operation_id=operation_id,
        request=request,
        responses={200: s.AppointmentSerializer, **errors(*extra, 404, *SIGNED_IN)},
    )


class AppointmentCancelView(AppointmentActionView):
    relations = ("patient", "doctor", "staff")
    input_serializer = s.ReasonSerializer

    def service_call(self, appointment, data, relation):
        # Doctors and staff tell the patient why; a patient may say why.
        if relation != "patient" and not data["reason"].strip():
            raise ValidationError({"reason": ["Tell the patient why."]})
        appointment_cancel(
            appointment=appointment,
            actor=self.request.user,
            reason=data["reason"],
            request=self.request,
        )

    @_action_schema("appointments_cancel", s.ReasonSerializer)
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentRescheduleView(AppointmentActionView):
    relations = ("patient",)
    input_serializer = s.RescheduleSerializer

    def service_call(self, appointment, data, relation):
        appointment_reschedule(
            appointment=appointment,
            actor=self.request.user,
            new_start=data["new_start"],
            reason=data["reason"],
            request=self.request,
        )

    @_action_schema("appointments_reschedule", s.RescheduleSerializer)
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentConfirmView(AppointmentActionView):
    relations = ("doctor",)

    def service_call(self, appointment, data, relation):
        appointment_confirm(appointment=appointment, actor=self.request.user, request=self.request)

    @_action_schema("appointments_confirm")
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentDeclineView(AppointmentActionView):
    relations = ("doctor",)
    input_serializer = s.RequiredReasonSerializer

    def service_call(self, appointment, data, relation):
        appointment_decline(
            appointment=appointment,
            actor=self.request.user,
            reason=data["reason"],
            request=self.request,
        )

    @_action_schema("appointments_decline", s.RequiredReasonSerializer)
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentCompleteView(AppointmentActionView):
    relations = ("doctor",)

    def service_call(self, appointment, data, relation):
        appointment_complete(appointment=appointment, actor=self.request.user, request=self.request)

    @_action_schema("appointments_complete")
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentNoShowView(AppointmentActionView):
    relations = ("doctor",)

    def service_call(self, appointment, data, relation):
        appointment_mark_no_show(
            appointment=appointment, actor=self.request.user, request=self.request
        )

    @_action_schema("appointments_no_show")
    def post(self, request, pk):
        return super().post(request, pk)


# --------------------------------------------------------------------------- records


def _patient_from_query(request):
    """The patient named by ?patient= whose record the caller may open, or None."""
    query = _query(s.PatientQuerySerializer, request)
    if "patient" not in query:
        return None
    patient = record_access.get_patient_for_user(request.user, query["patient"], request=request)
    return patient


class ConsultationRecordListView(LoginExempt, generics.ListAPIView):
    """A patient's own records; a doctor's written records, or one treated patient's."""

    serializer_class = s.ConsultationRecordSerializer

    def get_queryset(self):
        user = self.request.user
        patient = _patient_from_query(self.request)
        if patient is not None:
            record_access.audit_access(
                self.request, patient=patient, object_type="records.consultationrecord"
            )
            records = record_access.visible_records(user, patient)
        elif record_access.is_self(user, user.pk):
            records = record_access.visible_records(user, user)
        else:
            doctor = record_access.verified_doctor(user)
            if doctor is None:
                raise NotFound("Not found.")
            records = ConsultationRecord.objects.filter(doctor=doctor)
        return records.select_related("doctor__user", "patient").order_by("-created_at", "-id")

    @extend_schema(
        operation_id="records_list",
        parameters=[s.PatientQuerySerializer],
        responses={200: s.ConsultationRecordSerializer(many=True), **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConsultationRecordDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="records_retrieve",
        responses={200: s.ConsultationRecordSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        record = record_access.get_record_for_user(request.user, pk, request=request)
        record_access.audit_access(request, obj=record, patient=record.patient)
        return Response(s.ConsultationRecordSerializer(record).data)


class ConsultationRecordPdfView(FileView):
    @extend_schema(
        operation_id="records_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        record = record_access.get_record_for_user(request.user, pk, request=request)
        record_access.audit_access(
            request, obj=record, patient=record.patient, action=AuditAction.DOWNLOAD
        )
        return _file_response(
            render_consultation_pdf(record),
            filename=f"consultation-{record.pk}.pdf",
            content_type="application/pdf",
        )


class PrescriptionListView(LoginExempt, generics.ListAPIView):
    """A patient's own prescriptions, or the ones a doctor issued."""

    serializer_class = s.PrescriptionSerializer

    def get_queryset(self):
        user = self.request.user
        if record_access.verified_doctor(user) is None and not record_access.is_self(user, user.pk):
            raise NotFound("Not found.")
        return prescriptions_for_user(user).for_list()

    @extend_schema(
        operation_id="prescriptions_list",
        responses={200: s.PrescriptionSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PrescriptionDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="prescriptions_retrieve",
        responses={200: s.PrescriptionDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        prescription = get_prescription_for_user(request.user, pk, request=request)
        record_access.audit_access(request, obj=prescription, patient=prescription.patient)
        prefetch_related_objects([prescription], "items")
        return Response(s.PrescriptionDetailSerializer(prescription).data)


class PrescriptionPdfView(FileView):
    @extend_schema(
        operation_id="prescriptions_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        prescription = get_prescription_for_user(request.user, pk, request=request)
        record_access.audit_access(
            request, obj=prescription, patient=prescription.patient, action=AuditAction.DOWNLOAD
        )
        data = render_prescription_pdf(prescription, list(prescription.items.all()))
        return _file_response(
            data, filename=f"prescription-{prescription.pk}.pdf", content_type="application/pdf"
        )


# --------------------------------------------------------------------------- documents


class DocumentListView(LoginExempt, generics.ListAPIView):
    serializer_class = s.DocumentSerializer

    def _patient(self):
        patient = _patient_from_query(self.request)
        if patient is not None:
            return patient
        user = self.request.user
        if record_access.is_self(user, user.pk):
            return user
        raise ValidationError({"patient": ["Name the patient whose documents to list."]})

    def get_queryset(self):
        patient = self._patient()
        record_access.audit_access(self.request, patient=patient, object_type="records.documents")
        return (
            record_access.visible_documents(self.request.user, patient)
            .for_list()
            .order_by("-document_date", "-id")
        )

    @extend_schema(
        operation_id="documents_list",
        parameters=[s.PatientQuerySerializer],
        responses={200: s.DocumentSerializer(many=True), **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="documents_upload",
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer, **errors(400, 404, *SIGNED_IN)},
    )
    def post(self, request):
        data = _body(s.DocumentUploadSerializer, request)
        user = request.user
        if "patient" in data:
            patient = record_access.get_patient_for_user(user, data["patient"], request=request)
        elif record_access.is_self(user, user.pk):
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
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(FileView):
    @extend_schema(
        operation_id="documents_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its own content type."
            ),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        document = record_access.get_document_for_user(request.user, pk, request=request)
        try:
            data = record_selectors.document_read_verified(document)
        except record_selectors.DocumentIntegrityError as exc:
            audit_record(
                actor=request.user,
                action=AuditAction.DENY,
                obj=document,
                patient=document.patient,
                allowed=False,
                detail=f"integrity check failed: {exc}",
                request=request,
            )
            raise Conflict("The stored file failed its integrity check.") from exc
        record_access.audit_access(
            request, obj=document, patient=document.patient, action=AuditAction.DOWNLOAD
        )
        response = _file_response(
            data, filename=document.original_filename, content_type=document.content_type
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# --------------------------------------------------------------------------- billing


class InvoiceListView(LoginExempt, generics.ListAPIView):
    """A patient's issued bills; a verified doctor's own invoices; every invoice for staff."""

    serializer_class = s.InvoiceSerializer

    def get_queryset(self):
        user = self.request.user
        if user.is_patient:
            return Invoice.objects.for_patient(user).for_list()
        if user.is_doctor and record_access.verified_doctor(user) is None:
            raise NotFound("Not found.")
        return invoices_for_biller(user).for_list()

    @extend_schema(
        operation_id="invoices_list",
        responses={200: s.InvoiceSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InvoiceDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="invoices_retrieve",
        responses={200: s.InvoiceDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        invoice = get_invoice_for_user(request.user, pk, request=request)
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            obj=invoice,
            patient=invoice.patient,
            request=request,
        )
        prefetch_related_objects([invoice], "lines")
        return Response(s.InvoiceDetailSerializer(invoice).data)


class InvoiceReceiptView(FileView):
    @extend_schema(
        operation_id="invoices_receipt",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        invoice = get_invoice_for_user(request.user, pk, request=request)
        if invoice.is_draft or not invoice.has_receipt:
            raise NotFound("This invoice has no receipt yet.")
        data = receipt_file_read(invoice)
        if data is None:
            raise Conflict("The receipt file failed its integrity check.")
        audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            obj=invoice,
            patient=invoice.patient,
            request=request,
        )
        return _file_response(
            data, filename=f"receipt-{invoice.number}.pdf", content_type="application/pdf"
        )


# --------------------------------------------------------------------------- notifications


class NotificationListView(LoginExempt, generics.ListAPIView):
    serializer_class = s.NotificationSerializer
    mfa_exempt = True  # notices hold no patient data (as on the pages)

    def get_queryset(self):
        query = _query(s.NotificationQuerySerializer, self.request)
        notifications = Notification.objects.for_user(self.request.user)
        if query.get("unread"):
            notifications = notifications.unread()
        return notifications.order_by("-created_at", "-id")

    @extend_schema(
        operation_id="notifications_list",
        parameters=[s.NotificationQuerySerializer],
        responses={200: s.NotificationSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadView(LoginExempt, APIView):
    mfa_exempt = True

    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: s.NotificationSerializer, **errors(404, *SIGNED_IN)},
    )
    def post(self, request, pk):
        notification_mark_read(user=request.user, notification_id=pk)
        notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
        if notification is None:
            raise NotFound("Not found.")
        return Response(s.NotificationSerializer(notification).data)


class NotificationReadAllView(LoginExempt, APIView):
    mfa_exempt = True

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={200: s.MarkedReadSerializer, **errors(*SIGNED_IN)},
    )
    def post(self, request):
        marked = notification_mark_all_read(user=request.user)
        unread = Notification.objects.for_user(request.user).unread().count()
        return Response(s.MarkedReadSerializer({"marked": marked, "unread_count": unread}).data)
