"""API of the doctor directory: search, a doctor's public profile and free slots,
with the same filters, order and slot engine as the pages."""

import datetime

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.base import LoginExempt
from api.schema import errors
from appointments.models import (
    Mode,
    VisitType,
    Weekday,
)
from appointments.selectors import doctor_public_get
from availability.selectors import free_slots, next_free_slots
from doctors.api import SpecializationSerializer
from doctors.models import DoctorProfile, Specialization
from inputs.dates import ApiDateField

from .selectors import SearchSort, doctor_search


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
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


# English names whatever the language of the request (the API's words are not translated).
WEEKDAY_NAMES = {member.name.lower(): member.value for member in Weekday}
WEEKDAY_NAMES.update({name[:3]: value for name, value in list(WEEKDAY_NAMES.items())})
VALID_DAYS = ", ".join(name.lower() for name in Weekday.names)


class WeekdayField(serializers.ChoiceField):
    """A weekday as a number (0 = Monday ... 6 = Sunday) or a name ("monday", "mon"),
    in any case."""

    def __init__(self, **kwargs):
        choices = [*(str(value) for value in Weekday.values), *WEEKDAY_NAMES]
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": format_lazy(
                    "{}{}.",
                    gettext_lazy(
                        '"{input}" is not a weekday: use 0 (Monday) to 6 (Sunday) or a name: '
                    ),
                    VALID_DAYS,
                )
            },
        )
        super().__init__(choices=choices, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(str(data).strip().lower())
        return WEEKDAY_NAMES[value] if value in WEEKDAY_NAMES else int(value)


class DoctorSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, help_text="Part of the name.")
    specialization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Specialization.objects.all(), required=False
    )
    qualification = serializers.CharField(max_length=100, required=False)
    day = WeekdayField(
        required=False,
        help_text="A weekday the doctor works: 0 = Monday ... 6 = Sunday, or its name "
        "(monday, mon, ...).",
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
    start = ApiDateField(
        required=False, help_text="First local date (the doctor's time zone); today if omitted."
    )
    end = ApiDateField(required=False, help_text="Last local date, at most 31 days after start.")
    visit_type = serializers.IntegerField(min_value=1, required=False)

    def date_range(self, today):
        """(first, last) local date asked for: from `today` and for two weeks unless
        given, never more than MAX_RANGE_DAYS (the one place that rule is kept)."""
        data = self.validated_data
        start = data.get("start") or today
        end = data.get("end") or start + datetime.timedelta(days=DEFAULT_RANGE_DAYS - 1)
        if "start" in data and end < start:
            raise serializers.ValidationError({"end": [_("The end date is before the start.")]})
        if (end - start).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError({"end": [_("Ask for at most 31 days at a time.")]})
        return start, end


# Free slots of two weeks unless asked otherwise, and at most 31 days at a time.
DEFAULT_RANGE_DAYS = 14
MAX_RANGE_DAYS = 31


class DoctorSearchView(LoginExempt, APIView):
    """Verified doctors with the same filters and order as the search page."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="doctors_list",
        parameters=[DoctorSearchQuerySerializer],
        responses={200: DoctorSearchPageSerializer, **errors(400, 429)},
    )
    def get(self, request):
        query = DoctorSearchQuerySerializer(data=request.query_params)
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
        return Response(DoctorSearchPageSerializer(body).data)


def _public_doctor(pk):
    doctor = doctor_public_get(pk)
    if doctor is None:
        raise NotFound(_("No such doctor."))
    return doctor


class DoctorDetailView(LoginExempt, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="doctors_retrieve",
        responses={200: DoctorDetailSerializer, **errors(404, 429)},
    )
    def get(self, request, pk):
        doctor = _public_doctor(pk)
        doctor.next_slot = next_free_slots(doctors=[doctor]).get(doctor.pk)
        visit_types = list(doctor.visit_types.for_patients().order_by("name", "pk"))
        return Response(DoctorDetailSerializer(doctor, context={"visit_types": visit_types}).data)


class DoctorSlotsView(LoginExempt, generics.ListAPIView):
    """A doctor's free slots over a range of local dates, per active visit type."""

    permission_classes = [AllowAny]
    serializer_class = SlotSerializer

    def get_queryset(self):
        query_serializer = SlotQuerySerializer(data=self.request.query_params)
        query_serializer.is_valid(raise_exception=True)
        query = query_serializer.validated_data
        doctor = _public_doctor(self.kwargs["pk"])
        visit_types = doctor.visit_types.for_patients().order_by("pk")
        if "visit_type" in query:
            visit_types = visit_types.filter(pk=query["visit_type"])
            if not visit_types.exists():
                raise ValidationError({"visit_type": [_("This doctor does not offer it.")]})
        start, end = query_serializer.date_range(timezone.now().astimezone(doctor.tz).date())
        found = []
        for visit_type in visit_types:
            found += free_slots(
                doctor=doctor, visit_type=visit_type, start_date=start, end_date=end
            )
        return sorted(found, key=lambda slot: (slot.start, slot.visit_type_id))

    @extend_schema(
        parameters=[SlotQuerySerializer],
        responses={200: SlotSerializer(many=True), **errors(400, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
