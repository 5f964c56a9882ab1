"""API pieces of doctor profiles: specializations and the doctor references and
own-profile fields other apps' answers embed."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from api.base import LoginExempt
from api.schema import errors

from .models import DoctorProfile, Specialization
from .services import PROFILE_FIELDS as DOCTOR_PROFILE_FIELDS


class DoctorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The doctor's id (as in /api/v1/doctors/{id}/).")
    name = serializers.CharField(source="user.display_name")


class SpecializationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name", "slug", "description"]


class DoctorOwnProfileSerializer(serializers.ModelSerializer):
    specializations = SpecializationSerializer(many=True, read_only=True)
    languages = serializers.CharField()

    class Meta:
        model = DoctorProfile
        fields = [
            "id",
            "license_id",
            "verification_status",
            "rejection_reason",
            "specializations",
            *DOCTOR_PROFILE_FIELDS,
        ]
        read_only_fields = fields


class SpecializationListView(LoginExempt, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = SpecializationSerializer
    queryset = Specialization.objects.order_by("name", "pk")

    @extend_schema(responses={200: SpecializationSerializer(many=True), **errors(429)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
