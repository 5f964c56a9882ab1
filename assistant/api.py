"""The assistant for client apps: the same pipeline and history as the web chat.

Sending a message is open like the chat page (general answers when signed out);
a patient's conversations are theirs alone: 401 signed out, 404 for anyone else."""

from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import LoginExempt, read_body
from api.schema import SIGNED_IN, errors

from . import services
from .access import get_conversation_for_user
from .forms import time_zone_or_none
from .ratelimit import allow_message
from .selectors import conversation_list, conversation_messages
from .text import MAX_MESSAGE_LENGTH


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    items = serializers.ListField(child=serializers.CharField())


class ReplySerializer(serializers.Serializer):
    intent = serializers.CharField()
    level = serializers.ChoiceField(
        choices=["emergency", "urgent", "info"],
        help_text="emergency: call the number in the text now; urgent: see a doctor today.",
    )
    text = serializers.CharField()
    sections = SectionSerializer(many=True)
    links = LinkSerializer(many=True)
    source = serializers.CharField(allow_blank=True, help_text="The public source followed.")
    sign_in = serializers.BooleanField(help_text="Signing in as a patient would answer this.")


class MessageInSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=MAX_MESSAGE_LENGTH)
    conversation = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Continue this conversation."
    )
    time_zone = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="e.g. Asia/Kolkata"
    )


class MessageOutSerializer(serializers.Serializer):
    conversation = serializers.IntegerField(
        allow_null=True, help_text="Null when nothing is kept (signed out, doctors, staff)."
    )
    reply = ReplySerializer()


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    message_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StoredMessageSerializer(serializers.Serializer):
    sender = serializers.CharField()
    text = serializers.CharField()
    reply = ReplySerializer(allow_null=True, source="reply_dict")
    created_at = serializers.DateTimeField()


class ConversationDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()
    messages = StoredMessageSerializer(many=True)


@method_decorator(sensitive_post_parameters("message"), name="dispatch")
class AssistantMessageView(LoginExempt, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="assistant_message",
        request=MessageInSerializer,
        responses={200: MessageOutSerializer, **errors(400, 404, 429)},
    )
    def post(self, request):
        data = read_body(MessageInSerializer, request)
        if not allow_message(request):
            raise Throttled(wait=60)
        conversation = None
        user = request.user
        if data.get("conversation") and user.is_authenticated and user.is_patient:
            conversation = get_conversation_for_user(request, data["conversation"])
        conversation, reply = services.conversation_reply(
            user=user,
            message=data["message"],
            conversation=conversation,
            tz=time_zone_or_none(data.get("time_zone")),
        )
        body = {"conversation": conversation.pk if conversation else None, "reply": reply.as_dict()}
        return Response(MessageOutSerializer(body).data)


class ConversationListView(LoginExempt, generics.ListAPIView):
    """The signed-in patient's conversations (an empty list for doctors and staff)."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        return conversation_list(user=self.request.user)

    @extend_schema(
        operation_id="assistant_conversations_list",
        responses={200: ConversationSerializer(many=True), **errors(*SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConversationDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="assistant_conversations_retrieve",
        responses={200: ConversationDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        conversation = get_conversation_for_user(request, pk)
        stored = conversation_messages(conversation=conversation)
        for message in stored:
            reply = message.reply
            message.reply_dict = reply.as_dict() if reply else None
        body = {
            "id": conversation.pk,
            "title": conversation.title,
            "created_at": conversation.created_at,
            "messages": stored,
        }
        return Response(ConversationDetailSerializer(body).data)

    @extend_schema(
        operation_id="assistant_conversations_destroy",
        responses={204: None, **errors(404, *SIGNED_IN)},
    )
    def delete(self, request, pk):
        conversation = get_conversation_for_user(request, pk)
        services.conversation_delete(conversation=conversation)
        return Response(status=status.HTTP_204_NO_CONTENT)
