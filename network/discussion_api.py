"""API of case discussions: list, book, read and cancel, through the same services,
selectors and access helper as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import LoginExempt, read_body
from api.schema import SIGNED_IN, errors
from appointments import policy as visit_policy
from appointments.models import Mode
from doctors.api import DoctorRefSerializer
from inputs.dates import ApiDateTimeField

from . import discussions, selectors
from .access import get_discussion_for_user
from .api import _network_doctor
from .models import CaseDiscussion


class DiscussionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk")
    requester = DoctorRefSerializer()
    colleague = DoctorRefSerializer()
    visit_type = serializers.CharField(source="appointment.visit_type.name")
    start = serializers.DateTimeField(source="appointment.start")
    end = serializers.DateTimeField(source="appointment.end")
    mode = serializers.CharField(source="appointment.mode")
    status = serializers.CharField(source="appointment.status")
    status_reason = serializers.CharField(source="appointment.status_reason")

    class Meta:
        model = CaseDiscussion
        fields = [
            "id",
            "requester",
            "colleague",
            "visit_type",
            "start",
            "end",
            "mode",
            "status",
            "status_reason",
            "created_at",
        ]


class DiscussionDetailSerializer(DiscussionSerializer):
    video_url = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(DiscussionSerializer.Meta):
        fields = [*DiscussionSerializer.Meta.fields, "topic", "video_url", "actions"]

    def get_video_url(self, discussion) -> str:
        appointment = discussion.appointment
        visible = visit_policy.video_link_visible(self.context["request"].user, appointment)
        return appointment.video_url if visible else ""

    def get_actions(self, discussion) -> list[str]:
        actions = visit_policy.appointment_actions(
            self.context["request"].user, discussion.appointment
        )
        return sorted(a for a in actions if a in (visit_policy.CANCEL, visit_policy.CONFIRM))


class DiscussionCreateSerializer(serializers.Serializer):
    colleague = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A connected colleague's doctor id."
    )
    visit_type = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="One of the colleague's visit types for colleagues.",
    )
    start = ApiDateTimeField()
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    topic = serializers.CharField(max_length=500)


class DiscussionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class DiscussionListView(LoginExempt, generics.ListAPIView):
    serializer_class = DiscussionSerializer

    def get_queryset(self):
        return selectors.discussions_for_doctor(_network_doctor(self.request))

    @extend_schema(
        operation_id="network_discussions_list",
        responses={200: DiscussionSerializer(many=True), **errors(*SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="network_discussions_create",
        request=DiscussionCreateSerializer,
        responses={201: DiscussionDetailSerializer, **errors(400, 409, *SIGNED_IN)},
    )
    def post(self, request):
        doctor = _network_doctor(request)
        data = read_body(DiscussionCreateSerializer, request)
        colleague = selectors.discussion_colleague(doctor, data["colleague"])
        if colleague is None:
            raise serializers.ValidationError(
                {
                    "colleague": [
                        "Book case discussions only with a colleague you are connected with."
                    ]
                }
            )
        visit_type = (
            selectors.discussion_visit_types(colleague).filter(pk=data["visit_type"]).first()
        )
        discussion = discussions.case_discussion_book(
            actor=request.user,
            colleague=colleague,
            visit_type=visit_type,
            start=data["start"],
            mode=data.get("mode"),
            topic=data["topic"],
            request=request,
        )
        discussion = get_discussion_for_user(request, discussion.pk)
        body = DiscussionDetailSerializer(discussion, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class DiscussionDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="network_discussions_retrieve",
        responses={200: DiscussionDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        discussion = get_discussion_for_user(request, pk)
        return Response(DiscussionDetailSerializer(discussion, context={"request": request}).data)


class DiscussionCancelView(LoginExempt, APIView):
    @extend_schema(
        operation_id="network_discussions_cancel",
        request=DiscussionCancelSerializer,
        responses={200: DiscussionDetailSerializer, **errors(400, 404, 409, *SIGNED_IN)},
    )
    def post(self, request, pk):
        discussion = get_discussion_for_user(request, pk)
        data = read_body(DiscussionCancelSerializer, request)
        discussions.case_discussion_cancel(
            discussion=discussion, actor=request.user, reason=data["reason"], request=request
        )
        discussion = get_discussion_for_user(request, pk)
        return Response(DiscussionDetailSerializer(discussion, context={"request": request}).data)
