"""API of appointments: the caller's list, booking, and every status change,
through the same services and access helpers as the pages."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import LoginExempt, read_body, read_query
from api.schema import SIGNED_IN, errors
from api.serializers import PersonSerializer
from doctors.api import DoctorRefSerializer
from inputs.dates import ApiDateTimeField

from . import policy
from .access import (
    appointments_visible_to,
    get_appointment_for_user,
)
from .models import Appointment, AppointmentStatus, Mode
from .policy import appointment_role, video_link_visible, visit_reason_visible
from .selectors import doctor_public_get
from .services import (
    appointment_book,
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
    appointment_reschedule,
)


class VisitTypeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    duration_minutes = serializers.IntegerField()


class AppointmentSerializer(serializers.ModelSerializer):
    doctor = DoctorRefSerializer()
    patient = PersonSerializer()
    visit_type = VisitTypeRefSerializer()
    reason = serializers.SerializerMethodField(
        help_text="The patient's reason for the visit: only for the patient and the doctor."
    )
    video_url = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "doctor",
            "patient",
            "visit_type",
            "start",
            "end",
            "mode",
            "location",
            "reason",
            "status",
            "status_reason",
            "video_url",
            "created_at",
            "updated_at",
        ]

    def get_reason(self, appointment) -> str:
        if visit_reason_visible(self.context["request"].user, appointment):
            return appointment.reason
        return ""

    def get_video_url(self, appointment) -> str:
        if video_link_visible(self.context["request"].user, appointment):
            return appointment.video_url
        return ""


class AppointmentBookSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1)
    visit_type = serializers.IntegerField(min_value=1)
    start = ApiDateTimeField(help_text="A free slot's start, e.g. from .../slots/.")
    mode = serializers.ChoiceField(choices=Mode.choices)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="The patient sees this reason.")


class RescheduleSerializer(serializers.Serializer):
    new_start = ApiDateTimeField()
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AppointmentListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AppointmentStatus.choices, required=False)
    upcoming = serializers.BooleanField(
        required=False, default=False, help_text="Only visits that still hold a time."
    )


class AppointmentListView(LoginExempt, generics.ListAPIView):
    serializer_class = AppointmentSerializer

    def get_queryset(self):
        query = read_query(AppointmentListQuerySerializer, self.request)
        appointments = appointments_visible_to(self.request.user).for_list()
        if "status" in query:
            appointments = appointments.filter(status=query["status"])
        if query.get("upcoming"):
            return appointments.upcoming(timezone.now()).order_by("start", "pk")
        return appointments.order_by("-start", "-pk")

    @extend_schema(
        operation_id="appointments_list",
        parameters=[AppointmentListQuerySerializer],
        responses={200: AppointmentSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="appointments_book",
        request=AppointmentBookSerializer,
        responses={201: AppointmentSerializer, **errors(400, 409, *SIGNED_IN)},
    )
    def post(self, request):
        data = read_body(AppointmentBookSerializer, request)
        doctor = doctor_public_get(data["doctor"])
        if doctor is None:
            raise ValidationError({"doctor": [_("No such doctor.")]})
        visit_type = doctor.visit_types.for_patients().filter(pk=data["visit_type"]).first()
        if visit_type is None:
            raise ValidationError({"visit_type": [_("This doctor does not offer it.")]})
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
        body = AppointmentSerializer(appointment, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class AppointmentDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="appointments_retrieve",
        responses={200: AppointmentSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        appointment = get_appointment_for_user(request, pk)
        return Response(AppointmentSerializer(appointment, context={"request": request}).data)


class AppointmentActionView(LoginExempt, APIView):
    """One status change of an appointment, through its service."""

    action = None
    input_serializer = None

    def service_call(self, appointment, data, role):
        raise NotImplementedError

    def post(self, request, pk):
        # The same rule as the appointment page: policy.OFFERED, then the service.
        appointment = get_appointment_for_user(request, pk, audit=None)
        role = appointment_role(request.user, appointment)
        if role is None or self.action not in policy.OFFERED[role]:
            raise NotFound(_("Not found."))
        data = read_body(self.input_serializer, request) if self.input_serializer else {}
        self.service_call(appointment, data, role)
        return Response(AppointmentSerializer(appointment, context={"request": request}).data)


def _action_schema(operation_id, request=None, extra=(400, 409)):
    return extend_schema(
        operation_id=operation_id,
        request=request,
        responses={200: AppointmentSerializer, **errors(*extra, 404, *SIGNED_IN)},
    )


class AppointmentCancelView(AppointmentActionView):
    action = policy.CANCEL
    input_serializer = ReasonSerializer

    def service_call(self, appointment, data, role):
        needed = policy.reason_required(role, self.action, appointment, timezone.now())
        if needed and not data["reason"].strip():
            raise ValidationError({"reason": [_("Tell the patient why.")]})
        appointment_cancel(
            appointment=appointment,
            actor=self.request.user,
            reason=data["reason"],
            request=self.request,
        )

    @_action_schema("appointments_cancel", ReasonSerializer)
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentRescheduleView(AppointmentActionView):
    action = policy.RESCHEDULE
    input_serializer = RescheduleSerializer

    def service_call(self, appointment, data, role):
        appointment_reschedule(
            appointment=appointment,
            actor=self.request.user,
            new_start=data["new_start"],
            reason=data["reason"],
            request=self.request,
        )

    @_action_schema("appointments_reschedule", RescheduleSerializer)
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentConfirmView(AppointmentActionView):
    action = policy.CONFIRM

    def service_call(self, appointment, data, role):
        appointment_confirm(appointment=appointment, actor=self.request.user, request=self.request)

    @_action_schema("appointments_confirm")
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentDeclineView(AppointmentActionView):
    action = policy.DECLINE
    input_serializer = RequiredReasonSerializer

    def service_call(self, appointment, data, role):
        appointment_decline(
            appointment=appointment,
            actor=self.request.user,
            reason=data["reason"],
            request=self.request,
        )

    @_action_schema("appointments_decline", RequiredReasonSerializer)
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentCompleteView(AppointmentActionView):
    action = policy.COMPLETE

    def service_call(self, appointment, data, role):
        appointment_complete(appointment=appointment, actor=self.request.user, request=self.request)

    @_action_schema("appointments_complete")
    def post(self, request, pk):
        return super().post(request, pk)


class AppointmentNoShowView(AppointmentActionView):
    action = policy.NO_SHOW

    def service_call(self, appointment, data, role):
        appointment_mark_no_show(
            appointment=appointment, actor=self.request.user, request=self.request
        )

    @_action_schema("appointments_no_show")
    def post(self, request, pk):
        return super().post(request, pk)
