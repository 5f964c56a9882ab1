"""API of the doctor network: connections and referrals with every action, through
the same services, policy and access helpers as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiForbidden
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api.base import LoginExempt, read_body, read_query
from api.schema import SIGNED_IN, errors
from api.serializers import PersonSerializer
from doctors.api import DoctorRefSerializer
from patients.access import verified_doctor

from . import policy, referrals, selectors, services
from .access import get_referral_for_user
from .models import Connection, ConnectionStatus, HistorySection, Referral, Urgency


def _network_doctor(request):
    doctor = verified_doctor(request.user)
    if doctor is None:
        raise ApiForbidden(_("The doctor network is open to verified doctors only."))
    return doctor


# ---------------------------------------------------------------------------
# Connections


class ColleagueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.display_name")
    city = serializers.CharField()
    license_id = serializers.CharField()
    specializations = serializers.SerializerMethodField()

    def get_specializations(self, doctor) -> list[str]:
        return [s.name for s in doctor.specializations.all()]


class ColleagueQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, default="")
    # An id beyond 64 bits matches nothing; the database must not see it (a 500).
    specialization = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    city = serializers.CharField(required=False, max_length=100, default="")
    license_id = serializers.CharField(required=False, max_length=40, default="")


class ColleagueSearchView(LoginExempt, generics.ListAPIView):
    serializer_class = ColleagueSerializer

    def get_queryset(self):
        doctor = _network_doctor(self.request)
        query = read_query(ColleagueQuerySerializer, self.request)
        return selectors.colleagues_search(
            doctor=doctor,
            q=query["q"],
            specialization=query.get("specialization"),
            city=query["city"],
            license_id=query["license_id"],
        )

    @extend_schema(
        operation_id="network_colleagues",
        parameters=[ColleagueQuerySerializer],
        responses={200: ColleagueSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConnectionSerializer(serializers.ModelSerializer):
    requester = DoctorRefSerializer()
    recipient = DoctorRefSerializer()

    class Meta:
        model = Connection
        fields = ["id", "requester", "recipient", "note", "status", "created_at", "decided_at"]


class ConnectionRequestSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1, help_text="The colleague's doctor id.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConnectionListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ConnectionStatus.choices, required=False)


class ConnectionListView(LoginExempt, generics.ListAPIView):
    serializer_class = ConnectionSerializer

    def get_queryset(self):
        doctor = _network_doctor(self.request)
        query = read_query(ConnectionListQuerySerializer, self.request)
        connections = Connection.objects.involving(doctor).for_list()
        if "status" in query:
            connections = connections.filter(status=query["status"])
        return connections.order_by("-created_at", "-pk")

    @extend_schema(
        operation_id="network_connections_list",
        parameters=[ConnectionListQuerySerializer],
        responses={200: ConnectionSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="network_connections_request",
        request=ConnectionRequestSerializer,
        responses={201: ConnectionSerializer, **errors(400, 404, *SIGNED_IN)},
    )
    def post(self, request):
        _network_doctor(request)
        data = read_body(ConnectionRequestSerializer, request)
        connection = services.connection_request(
            actor=request.user, recipient=data["doctor"], note=data["note"], request=request
        )
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)


class ConnectionActionView(LoginExempt, APIView):
    action = None

    def post(self, request, pk):
        doctor = _network_doctor(request)
        connection = Connection.objects.involving(doctor).filter(pk=pk).first()
        if connection is None:
            raise NotFound(_("Not found."))
        changed = getattr(services, f"connection_{self.action}")(
            connection=connection, actor=request.user, request=request
        )
        return Response(ConnectionSerializer(changed).data)


def _connection_action(action):
    schema = extend_schema(
        operation_id=f"network_connections_{action}",
        request=None,
        responses={200: ConnectionSerializer, **errors(409, 404, *SIGNED_IN)},
    )

    def post(self, request, pk):
        return ConnectionActionView.post(self, request, pk)

    return type(
        f"Connection{action.title()}View",
        (ConnectionActionView,),
        {"action": action, "post": schema(post)},
    )


ConnectionAcceptView = _connection_action("accept")
ConnectionDeclineView = _connection_action("decline")
ConnectionWithdrawView = _connection_action("withdraw")
ConnectionRemoveView = _connection_action("remove")


# ---------------------------------------------------------------------------
# Referrals


class ReferralItemSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField()
    object_id = serializers.SerializerMethodField()
    section = serializers.CharField()

    def get_kind(self, item) -> str:
        if item.section:
            return "history_section"
        return (
            "record" if item.record_id else "prescription" if item.prescription_id else "document"
        )

    def get_object_id(self, item) -> int | None:
        return item.record_id or item.prescription_id or item.document_id


class ReferralEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    actor = PersonSerializer(allow_null=True)
    detail = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReferralSerializer(serializers.ModelSerializer):
    referring_doctor = DoctorRefSerializer()
    specialist = DoctorRefSerializer()
    patient = PersonSerializer()
    grant_active = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "referring_doctor",
            "specialist",
            "patient",
            "reason",
            "clinical_question",
            "urgency",
            "status",
            "status_reason",
            "consent_status",
            "appointment",
            "report_record",
            "report_letter",
            "grant_active",
            "grant_expires_at",
            "grant_revoked_at",
            "overdue",
            "actions",
            "created_at",
            "updated_at",
        ]

    def get_grant_active(self, referral) -> bool:
        return referral.grant_is_active()

    def get_overdue(self, referral) -> str:
        return selectors.overdue_reason(referral)

    def get_actions(self, referral) -> list[str]:
        return sorted(policy.referral_actions(self.context["request"].user, referral))


class ReferralDetailSerializer(ReferralSerializer):
    items = ReferralItemSerializer(many=True, source="items.all")
    events = ReferralEventSerializer(many=True, source="events.all")

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "items", "events"]


class ReferralCreateSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1)
    specialist = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=4000)
    clinical_question = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    records = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    prescriptions = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    documents = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=HistorySection.choices), default=list
    )
    ask_patient = serializers.BooleanField(default=True)


class ReferralListView(LoginExempt, generics.ListAPIView):
    serializer_class = ReferralSerializer

    def get_queryset(self):
        user = self.request.user
        if user.role == Role.PATIENT:
            return selectors.referrals_for_user(user)
        doctor = _network_doctor(self.request)
        return selectors.referrals_for_user(user, doctor)

    @extend_schema(
        operation_id="network_referrals_list",
        responses={200: ReferralSerializer(many=True), **errors(*SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="network_referrals_create",
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer, **errors(400, 404, *SIGNED_IN)},
    )
    def post(self, request):
        from accounts.models import User

        doctor = _network_doctor(request)
        data = read_body(ReferralCreateSerializer, request)
        patient = User.objects.filter(pk=data.pop("patient"), role=Role.PATIENT).first()
        specialist = selectors.connected_doctors(doctor).filter(pk=data["specialist"]).first()
        if specialist is None:
            raise serializers.ValidationError(
                {"specialist": [_("Refer only to a verified doctor you are connected with.")]}
            )
        data["specialist"] = specialist
        referral = referrals.referral_create(
            actor=request.user, patient=patient, request=request, **data
        )
        body = ReferralDetailSerializer(referral, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ReferralDetailView(LoginExempt, APIView):
    @extend_schema(
        operation_id="network_referrals_retrieve",
        responses={200: ReferralDetailSerializer, **errors(404, *SIGNED_IN)},
    )
    def get(self, request, pk):
        referral = get_referral_for_user(request, pk)
        return Response(ReferralDetailSerializer(referral, context={"request": request}).data)
