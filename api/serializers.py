"""Input serializers (validate only) and output serializers (what the caller sees).

Input serializers carry no domain rule: the services check those. Fields a caller
may not set (role, verification, license, status, patient, prices) are simply not
part of any input serializer, so posting them changes nothing.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appointments.models import Appointment, AppointmentStatus, Mode, VisitType, Weekday
from appointments.selectors import SearchSort
from billing.models import Invoice, InvoiceLine
from doctors.models import DoctorProfile, Specialization
from doctors.services import PROFILE_FIELDS as DOCTOR_PROFILE_FIELDS
from notifications.models import Notification
from patients.models import BloodGroup, PatientProfile, Sex
from prescriptions.models import Prescription, PrescriptionItem
from prescriptions.services import ITEM_FIELDS
from records.models import UPLOAD_KIND_CHOICES, ConsultationRecord, Document

# --------------------------------------------------------------------------- errors


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(help_text="A stable code, e.g. invalid, slot_taken.")
    errors = serializers.JSONField(
        required=False, help_text="For invalid input: the messages per field."
    )


# --------------------------------------------------------------------------- people


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class DoctorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The doctor's id (as in /api/v1/doctors/{id}/).")
    name = serializers.CharField(source="user.display_name")


class SpecializationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name", "slug", "description"]


# --------------------------------------------------------------------------- profile


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


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField(help_text="patient, doctor or staff; read-only.")
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
    date_of_birth = serializers.DateField(required=False)
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


# --------------------------------------------------------------------------- doctors


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    modes = serializers.ListField(child=serializers.ChoiceField(choices=Mode.choices))
    location = serializers.CharField()
    visit_type = serializers.IntegerField(source="visit_type_id", allow_null=True)


class VisitTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitType
        fields = [
            "id",
            "name",
            "duration_minutes",
            "mode",
            "requires_approval",
            "min_notice_minutes",
            "max_advance_days",
            "cancel_cutoff_hours",
            "reschedule_cutoff_hours",
        ]


class DoctorSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name")
    specializations = SpecializationSerializer(many=True)
    languages = serializers.ListField(child=serializers.CharField(), source="language_list")
    next_slot = serializers.SerializerMethodField()

    class Meta:
        model = DoctorProfile
        fields = [
            "id",
            "name",
            "specializations",
            "qualifications",
            "experience_years",
            "practice_name",
            "city",
            "languages",
            "consultation_fee",
            "time_zone",
            "next_slot",
        ]

    @extend_schema_field(SlotSerializer(allow_null=True))
    def get_next_slot(self, doctor):
        slot = getattr(doctor, "next_slot", None)
        return SlotSerializer(slot).data if slot else None


class DoctorDetailSerializer(DoctorSummarySerializer):
    visit_types = serializers.SerializerMethodField()

    class Meta(DoctorSummarySerializer.Meta):
        fields = [*DoctorSummarySerializer.Meta.fields, "practice_address", "bio", "visit_types"]

    @extend_schema_field(VisitTypeSerializer(many=True))
    def get_visit_types(self, doctor):
        return VisitTypeSerializer(self.context.get("visit_types", []), many=True).data


class DoctorSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, help_text="Part of the name.")
    specialization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Specialization.objects.all(), required=False
    )
    qualification = serializers.CharField(max_length=100, required=False)
    day = serializers.ChoiceField(
        choices=Weekday.choices, required=False, help_text="0 = Monday ... 6 = Sunday."
    )
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    city = serializers.CharField(max_length=100, required=False)
    max_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=1_000_000, required=False
    )
    sort = serializers.ChoiceField(choices=SearchSort.choices, required=False)
    page = serializers.IntegerField(min_value=1, required=False)

    def search_filters(self):
        data = self.validated_data
        return {
            "name": " ".join(data.get("q", "").split()),
            "specialization": data.get("specialization"),
            "qualification": " ".join(data.get("qualification", "").split()),
            "weekday": data.get("day"),
            "mode": data.get("mode", ""),
            "city": " ".join(data.get("city", "").split()),
            "max_fee": data.get("max_fee"),
        }


class DoctorSearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DoctorSummarySerializer(many=True)


class SlotQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="First local date (the doctor's time zone); today if omitted."
    )
    end = serializers.DateField(
        required=False, help_text="Last local date, at most 31 days after start."
    )
    visit_type = serializers.IntegerField(min_value=1, required=False)

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise serializers.ValidationError({"end": "The end date is before the start."})
            if (end - start).days > 30:
                raise serializers.ValidationError({"end": "Ask for at most 31 days at a time."})
        return data


# --------------------------------------------------------------------------- appointments


class VisitTypeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    duration_minutes = serializers.IntegerField()


class AppointmentSerializer(serializers.ModelSerializer):
    doctor = DoctorRefSerializer()
    patient = PersonSerializer()
    visit_type = VisitTypeRefSerializer()
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

    def get_video_url(self, appointment) -> str:
        # Only the two people in the visit get the room link, and only while it is on.
        user = self.context["request"].user
        in_visit = user.pk in (appointment.patient_id, appointment.doctor.user_id)
        if in_visit and appointment.is_online and appointment.is_active:
            return appointment.video_url
        return ""


class AppointmentBookSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1)
    visit_type = serializers.IntegerField(min_value=1)
    start = serializers.DateTimeField(help_text="A free slot's start, e.g. from .../slots/.")
    mode = serializers.ChoiceField(choices=Mode.choices)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="The patient sees this reason.")


class RescheduleSerializer(serializers.Serializer):
    new_start = serializers.DateTimeField()
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AppointmentListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AppointmentStatus.choices, required=False)
    upcoming = serializers.BooleanField(
        required=False, default=False, help_text="Only visits that still hold a time."
    )


# --------------------------------------------------------------------------- records


class PatientQuerySerializer(serializers.Serializer):
    patient = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="A patient the caller treats (doctors); patients see their own.",
    )


class ConsultationRecordSerializer(serializers.ModelSerializer):
    patient = PersonSerializer()
    doctor = DoctorRefSerializer()

    class Meta:
        model = ConsultationRecord
        fields = [
            "id",
            "appointment",
            "patient",
            "doctor",
            "status",
            "version",
            "presenting_complaint",
            "diagnosis",
            "tests_done",
            "observations",
            "plan",
            "follow_up_date",
            "signed_at",
            "voided_at",
            "void_reason",
            "created_at",
            "updated_at",
        ]


class PrescriptionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrescriptionItem
        fields = [
            "position",
            *ITEM_FIELDS,
        ]


class PrescriptionSerializer(serializers.ModelSerializer):
    patient = PersonSerializer()
    doctor = DoctorRefSerializer()
    item_count = serializers.IntegerField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Prescription
        fields = [
            "id",
            "appointment",
            "patient",
            "doctor",
            "status",
            "issued_at",
            "follow_up_date",
            "item_count",
            "voided_at",
            "void_reason",
            "pdf_url",
        ]

    def get_pdf_url(self, prescription) -> str:
        return reverse("api:prescription_pdf", args=[prescription.pk])


class PrescriptionDetailSerializer(PrescriptionSerializer):
    items = PrescriptionItemSerializer(many=True)
    item_count = serializers.SerializerMethodField()

    class Meta(PrescriptionSerializer.Meta):
        fields = [*PrescriptionSerializer.Meta.fields, "notes", "items"]

    def get_item_count(self, prescription) -> int:
        return len(prescription.items.all())


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = PersonSerializer()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "patient",
            "kind",
            "document_date",
            "description",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "is_hidden",
            "uploaded_by",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str:
        return reverse("api:document_download", args=[document.pk])


class DocumentUploadSerializer(serializers.Serializer):
    patient = serializers.IntegerField(
        min_value=1, required=False, help_text="Whose record; a patient's own if omitted."
    )
    kind = serializers.ChoiceField(choices=UPLOAD_KIND_CHOICES)
    document_date = serializers.DateField()
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    file = serializers.FileField(help_text="PDF, PNG, JPEG, DICOM, plain text or CCDA XML.")


# --------------------------------------------------------------------------- billing


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


# --------------------------------------------------------------------------- notifications


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")
    unread_count = serializers.IntegerField()
