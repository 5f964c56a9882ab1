"""Output pieces every API answer shares: the error body and a person's reference."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, for a person to read."))
    code = serializers.CharField(help_text=_("A stable code, e.g. invalid, slot_taken."))
    errors = serializers.JSONField(
        required=False, help_text=_("For invalid input: the messages per field.")
    )


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
