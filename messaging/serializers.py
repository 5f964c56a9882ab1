"""Input and output of the messages API (messaging/api.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from api.serializers import PersonSerializer

from .access import participant_of, thread_refusal
from .models import MAX_ATTACHMENTS, MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, ThreadKind


class ParticipantSerializer(serializers.Serializer):
    user = PersonSerializer()
    last_read_at = serializers.DateTimeField(
        allow_null=True, help_text="When they last read the thread (read receipt)."
    )
    last_read_message_id = serializers.IntegerField(
        allow_null=True, help_text="The newest message they have read."
    )


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ThreadKind.choices)
    subject = serializers.CharField()
    referral = serializers.IntegerField(source="referral_id", allow_null=True)
    patient = serializers.IntegerField(source="patient_id", allow_null=True)
    appointment = serializers.IntegerField(source="appointment_id", allow_null=True)
    participants = ParticipantSerializer(many=True, source="participants.all")
    created_at = serializers.DateTimeField()
    last_message_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    unread_count = serializers.SerializerMethodField()
    can_post = serializers.SerializerMethodField()
    messages_url = serializers.SerializerMethodField()

    def _user(self):
        return self.context["request"].user

    def get_unread_count(self, thread) -> int:
        if hasattr(thread, "my_unread"):
            return thread.my_unread
        mine = participant_of(thread, self._user())
        return mine.unread_count if mine else 0

    def get_can_post(self, thread) -> bool:
        # Lists leave it out of the per-row checks (an extra query per thread).
        if self.context.get("list"):
            return not thread.is_closed
        return thread_refusal(self._user(), thread, "post") is None

    def get_messages_url(self, thread) -> str:
        return reverse("api:thread_messages", args=[thread.pk])


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.IntegerField(source="message_id")
    original_filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, attachment) -> str:
        return reverse("api:attachment_download", args=[attachment.pk])


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    thread = serializers.IntegerField(source="thread_id")
    sender = PersonSerializer()
    body = serializers.SerializerMethodField(help_text="Empty once the message is retracted.")
    created_at = serializers.DateTimeField()
    is_retracted = serializers.BooleanField()
    retracted_at = serializers.DateTimeField(allow_null=True)
    attachments = serializers.SerializerMethodField()
    read_by_other = serializers.SerializerMethodField(
        help_text="For the caller's own messages: the other participant has read it."
    )

    def get_body(self, message) -> str:
        return "" if message.is_retracted else message.body

    def get_attachments(self, message) -> list[dict]:
        if message.is_retracted:
            return []
        return AttachmentSerializer(message.attachments.all(), many=True).data

    def get_read_by_other(self, message) -> bool:
        other = self.context.get("other")
        if other is None or message.sender_id != self.context["request"].user.pk:
            return False
        return message.pk <= (other.last_read_message_id or 0)


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=MAX_BODY_LENGTH, required=False, allow_blank=True, default=""
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text="PDF, PNG, JPEG, DICOM, plain text or CCDA XML (multipart).",
    )


class ThreadCreateSerializer(MessageCreateSerializer):
    kind = serializers.ChoiceField(choices=ThreadKind.choices)
    subject = serializers.CharField(
        max_length=MAX_SUBJECT_LENGTH, required=False, allow_blank=True, default=""
    )
    doctor = serializers.IntegerField(
        min_value=1, required=False, help_text="direct: a connected doctor's id."
    )
    patient = serializers.IntegerField(
        min_value=1, required=False, help_text="patient, for a doctor: a patient they treat."
    )
    appointment = serializers.IntegerField(
        min_value=1, required=False, help_text="patient, for a patient: one of their appointments."
    )
    referral = serializers.IntegerField(
        min_value=1, required=False, help_text="referral: a referral the caller is a doctor of."
    )

    def validate(self, data):
        needed = {
            ThreadKind.DIRECT: "doctor",
            ThreadKind.REFERRAL: "referral",
        }.get(data["kind"])
        if needed and needed not in data:
            raise serializers.ValidationError(
                {needed: [_("This field is required for this kind.")]}
            )
        if data["kind"] == ThreadKind.PATIENT and not ({"patient", "appointment"} & set(data)):
            raise serializers.ValidationError(
                {"appointment": [_("Name your appointment (patients) or the patient (doctors).")]}
            )
        return data
