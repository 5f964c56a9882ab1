"""API of message threads, messages and attachments: thin views over the same
access helpers and services as the pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api.base import FileView, LoginExempt, read_body, read_query
from api.exceptions import Conflict
from api.schema import SIGNED_IN, errors
from doctors.models import DoctorProfile
from patients.access import get_patient_for_user, verified_doctor
from records.selectors import DocumentIntegrityError

from . import access, selectors, services
from .downloads import attachment_download_response
from .models import Attachment, ThreadKind
from .serializers import (
    AttachmentSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    ThreadCreateSerializer,
    ThreadSerializer,
)


def _messages_user(request):
    if not access.can_use_messages(request.user):
        raise NotFound(_("Not found."))
    return request.user


def _thread_data(request, thread):
    return ThreadSerializer(
        access.get_thread_for_user(request, thread.pk, audit=None), context={"request": request}
    ).data


class AfterQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text="Only messages newer than this message id (polling).",
    )


class ThreadListView(LoginExempt, generics.ListAPIView):
    """The caller's threads, newest activity first; start a thread."""

    serializer_class = ThreadSerializer

    def get_queryset(self):
        return selectors.inbox(_messages_user(self.request))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "list": True}

    @extend_schema(
        operation_id="threads_list",
        responses={200: ThreadSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="threads_create",
        request={
            "application/json": ThreadCreateSerializer,
            "multipart/form-data": ThreadCreateSerializer,
        },
        responses={201: ThreadSerializer, **errors(400, 404, 409, *SIGNED_IN)},
    )
    def post(self, request):
        user = _messages_user(request)
        data = read_body(ThreadCreateSerializer, request)
        thread = _start_thread(request, user, data)
        return Response(_thread_data(request, thread), status=status.HTTP_201_CREATED)


def _start_thread(request, user, data):
    text = {
        "subject": data["subject"],
        "body": data["body"],
        "files": data["attachments"],
        "request": request,
    }
    kind = data["kind"]
    if kind == ThreadKind.DIRECT:
        doctor = DoctorProfile.objects.select_related("user").filter(pk=data["doctor"]).first()
        if doctor is None:
            raise PermissionDenied(_("No such doctor."))
        return services.thread_start_direct(sender=user, doctor=doctor, **text)
    if kind == ThreadKind.REFERRAL:
        referral = access.get_referral_for_its_doctor(request, data["referral"])
        thread = services.thread_for_referral(referral=referral)
        if data["body"].strip() or data["attachments"]:
            services.message_post(
                thread=thread,
                sender=user,
                body=data["body"],
                files=data["attachments"],
                request=request,
            )
        return thread
    if user.role == Role.PATIENT:
        appointment = selectors.appointment_for_patient_thread(
            patient=user, appointment_id=data.get("appointment", 0)
        )
        if appointment is None:
            raise PermissionDenied(_("No such appointment."))
        return services.thread_start_with_patient(
            starter=user, patient=user, doctor=appointment.doctor, appointment=appointment, **text
        )
    if "patient" not in data:
        raise serializers.ValidationError({"patient": [_("Name the patient to write to.")]})
    patient = get_patient_for_user(request, data["patient"], audit=None)
    return services.thread_start_with_patient(
        starter=user, patient=patient, doctor=verified_doctor(user), **text
    )


class ThreadDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="threads_retrieve",
        responses={200: ThreadSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        thread = access.get_thread_for_user(request, pk)
        return Response(ThreadSerializer(thread, context={"request": request}).data)


class ThreadCloseView(LoginExempt, APIView):
    @extend_schema(
        operation_id="threads_close",
        request=None,
        responses={200: ThreadSerializer, **errors(404, 409, *SIGNED_IN)},
    )
    def post(self, request, pk):
        thread = access.get_thread_for_user(request, pk, audit=None)
        thread = services.thread_close(thread=thread, actor=request.user, request=request)
        return Response(_thread_data(request, thread))


class ThreadReadView(LoginExempt, APIView):
    @extend_schema(
        operation_id="threads_read",
        request=None,
        responses={200: ThreadSerializer, **errors(404, *SIGNED_IN)},
    )
    def post(self, request, pk):
        thread = access.get_thread_for_user(request, pk, audit=None)
        services.thread_mark_read(thread=thread, user=request.user)
        return Response(_thread_data(request, thread))


class ThreadMessagesView(LoginExempt, generics.ListAPIView):
    """A thread's messages, oldest first (paged); post a message."""

    serializer_class = MessageSerializer

    def get_queryset(self):
        self.thread = access.get_thread_for_user(self.request, self.kwargs["pk"])
        after = read_query(AfterQuerySerializer, self.request).get("after")
        messages = selectors.thread_messages(self.thread)
        return messages.filter(pk__gt=after) if after is not None else messages

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "thread"):
            context["other"] = access.other_participant(self.thread, self.request.user)
        return context

    @extend_schema(
        operation_id="threads_messages_list",
        parameters=[AfterQuerySerializer],
        responses={200: MessageSerializer(many=True), **errors(400, 404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="threads_messages_create",
        request={
            "application/json": MessageCreateSerializer,
            "multipart/form-data": MessageCreateSerializer,
        },
        responses={201: MessageSerializer, **errors(400, 404, 409, *SIGNED_IN)},
    )
    def post(self, request, pk):
        thread = access.get_thread_for_user(request, pk, audit=None)
        data = read_body(MessageCreateSerializer, request)
        message = services.message_post(
            thread=thread,
            sender=request.user,
            body=data["body"],
            files=data["attachments"],
            request=request,
        )
        context = {"request": request, "other": access.other_participant(thread, request.user)}
        return Response(MessageSerializer(message, context=context).data, status=201)


class ThreadAttachmentsView(LoginExempt, generics.ListAPIView):
    """Every file in a thread that is not retracted, oldest first."""

    serializer_class = AttachmentSerializer

    def get_queryset(self):
        thread = access.get_thread_for_user(self.request, self.kwargs["pk"])
        return Attachment.objects.filter(
            message__thread=thread, message__retracted_at__isnull=True
        ).order_by("id")

    @extend_schema(
        operation_id="threads_attachments_list",
        responses={200: AttachmentSerializer(many=True), **errors(404, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MessageRetractView(LoginExempt, APIView):
    @extend_schema(
        operation_id="messages_retract",
        request=None,
        responses={200: MessageSerializer, **errors(404, 409, *SIGNED_IN)},
    )
    def post(self, request, pk):
        message = access.get_message_for_user(request, pk)
        message = services.message_retract(message=message, actor=request.user, request=request)
        return Response(MessageSerializer(message, context={"request": request}).data)


class AttachmentDownloadView(FileView):
    @extend_schema(
        operation_id="attachments_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its own content type."
            ),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk):
        attachment = access.get_attachment_for_user(request, pk)
        try:
            return attachment_download_response(request, attachment)
        except DocumentIntegrityError as exc:
            raise Conflict(_("The stored file failed its integrity check.")) from exc
