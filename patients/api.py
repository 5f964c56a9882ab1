"""API of the signed-in person's own account and profile (`/api/v1/me/`): a
patient's or a doctor's, through the same services as the profile pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api.base import LoginExempt, read_body
from api.schema import SIGNED_IN, errors
from doctors.api import DoctorOwnProfileSerializer
from doctors.models import Specialization
from doctors.services import PROFILE_FIELDS as DOCTOR_PROFILE_FIELDS
from doctors.services import doctor_profile_update
from inputs.dates import ApiDateField

from .models import BloodGroup, PatientProfile, Sex
from .services import PROFILE_FIELDS as PATIENT_FIELDS
from .services import patient_profile_save


class PatientProfileSerializer(serializers.ModelSerializer):
    age = serializers.IntegerField(read_only=True)

    class Meta:
        model = PatientProfile
        fields = [
            "date_of_birth",
            "age",
            "sex",
            "blood_group",
            "phone",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
        ]


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField(help_text=_("patient, doctor or staff; read-only."))
    patient = serializers.SerializerMethodField()
    doctor = serializers.SerializerMethodField()

    @extend_schema_field(PatientProfileSerializer(allow_null=True))
    def get_patient(self, user):
        profile = getattr(user, "patient_profile", None) if user.is_patient else None
        return PatientProfileSerializer(profile).data if profile else None

    @extend_schema_field(DoctorOwnProfileSerializer(allow_null=True))
    def get_doctor(self, user):
        profile = getattr(user, "doctor_profile", None) if user.is_doctor else None
        return DoctorOwnProfileSerializer(profile).data if profile else None


class ProfileUpdateSerializer(serializers.Serializer):
    """Every field optional; the fields of the caller's role are used, others ignored."""

    full_name = serializers.CharField(max_length=150, required=False)
    # Patients
    date_of_birth = ApiDateField(required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    blood_group = serializers.ChoiceField(choices=BloodGroup.choices, required=False)
    phone = serializers.CharField(max_length=20, required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    emergency_contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    emergency_contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    # Doctors
    specializations = serializers.PrimaryKeyRelatedField(
        queryset=Specialization.objects.all(), many=True, required=False
    )
    qualifications = serializers.CharField(max_length=255, required=False)
    experience_years = serializers.IntegerField(min_value=0, max_value=70, required=False)
    practice_name = serializers.CharField(max_length=200, required=False)
    practice_address = serializers.CharField(max_length=300, required=False)
    city = serializers.CharField(max_length=100, required=False)
    languages = serializers.CharField(max_length=200, required=False)
    consultation_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=1_000_000, required=False
    )
    bio = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    time_zone = serializers.CharField(max_length=64, required=False)


def _profile_user(user):
    return User.objects.select_related("patient_profile", "doctor_profile").get(pk=user.pk)


class MeView(LoginExempt, APIView):
    """The signed-in person's own account and profile."""

    mfa_exempt = True  # the person's own details, reachable while enrolling two-factor

    @extend_schema(
        operation_id="me_retrieve", responses={200: ProfileSerializer, **errors(*SIGNED_IN)}
    )
    def get(self, request):
        return Response(ProfileSerializer(_profile_user(request.user)).data)

    @extend_schema(
        operation_id="me_update",
        request=ProfileUpdateSerializer,
        responses={200: ProfileSerializer, **errors(400, *SIGNED_IN)},
    )
    def patch(self, request):
        data = read_body(ProfileUpdateSerializer, request)
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
            raise ValidationError(_("Staff accounts are managed in Django Admin."))
        return Response(ProfileSerializer(_profile_user(user)).data)

    def _update_patient(self, request, user, full_name, data):
        fields = {name: data[name] for name in PATIENT_FIELDS if name in data}
        patient_profile_save(user=user, actor=user, full_name=full_name, request=request, **fields)
