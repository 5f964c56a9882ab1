"""API of the referral actions: one endpoint per action, each calling its service."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import FileView, LoginExempt, read_body
from api.exceptions import Conflict
from api.schema import SIGNED_IN, errors
from appointments.models import Mode
from records.selectors import DocumentIntegrityError

from . import policy, referrals
from .access import get_referral_for_user
from .api import ReferralDetailSerializer
from .downloads import shared_document_response


class ReferralReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class BookSerializer(serializers.Serializer):
    visit_type = serializers.IntegerField(min_value=1, help_text="One of the specialist's.")
    start = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=Mode.choices)


class ReportSerializer(serializers.Serializer):
    record = serializers.IntegerField(
        min_value=1, required=False, help_text="The specialist's signed record of the visit."
    )
    letter = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


def _ask(referral, user, request, data):
    return referrals.referral_ask_patient(referral=referral, actor=user, request=request)


def _agree(referral, user, request, data):
    return referrals.referral_consent(referral=referral, actor=user, agree=True, request=request)


def _refuse(referral, user, request, data):
    return referrals.referral_consent(referral=referral, actor=user, agree=False, request=request)


def _accept(referral, user, request, data):
    return referrals.referral_accept(referral=referral, actor=user, request=request)


def _decline(referral, user, request, data):
    return referrals.referral_decline(
        referral=referral, actor=user, reason=data["reason"], request=request
    )


def _cancel(referral, user, request, data):
    return referrals.referral_cancel(
        referral=referral, actor=user, reason=data["reason"], request=request
    )


def _close(referral, user, request, data):
    return referrals.referral_close(referral=referral, actor=user, request=request)


def _revoke(referral, user, request, data):
    return referrals.referral_revoke(referral=referral, actor=user, request=request)


def _book(referral, user, request, data):
    visit_type = (
        referral.specialist.visit_types.for_patients().filter(pk=data["visit_type"]).first()
    )
    return referrals.referral_book(
        referral=referral,
        actor=user,
        visit_type=visit_type,
        start=data["start"],
        mode=data["mode"],
        request=request,
    )


def _report(referral, user, request, data):
    from records.models import ConsultationRecord

    record = None
    if data.get("record"):
        record = ConsultationRecord.objects.filter(
            pk=data["record"], doctor=referral.specialist
        ).first()
        if record is None:
            raise serializers.ValidationError({"record": [_("Choose your signed record.")]})
    return referrals.referral_report(
        referral=referral,
        actor=user,
        record=record,
        letter=data["letter"],
        attachments=data["attachments"],
        request=request,
    )


# action: (service call, input serializer)
ACTIONS = {
    policy.ASK_PATIENT: (_ask, None),
    policy.AGREE: (_agree, None),
    policy.REFUSE: (_refuse, None),
    policy.ACCEPT: (_accept, None),
    policy.DECLINE: (_decline, ReferralReasonSerializer),
    policy.BOOK: (_book, BookSerializer),
    policy.REPORT: (_report, ReportSerializer),
    policy.CLOSE: (_close, None),
    policy.CANCEL: (_cancel, ReferralReasonSerializer),
    policy.REVOKE: (_revoke, None),
}


class ReferralActionView(LoginExempt, APIView):
    action = None

    def post(self, request, pk):
        referral = get_referral_for_user(request, pk, audit=None)
        call, input_serializer = ACTIONS[self.action]
        data = read_body(input_serializer, request) if input_serializer else {}
        changed = call(referral, request.user, request, data)
        return Response(ReferralDetailSerializer(changed, context={"request": request}).data)


def _action_view(action):
    input_serializer = ACTIONS[action][1]
    schema = extend_schema(
        operation_id=f"network_referrals_{action}",
        request=input_serializer,
        responses={200: ReferralDetailSerializer, **errors(400, 409, 404, *SIGNED_IN)},
    )
    name = "".join(part.title() for part in action.split("_"))

    def post(self, request, pk):
        return ReferralActionView.post(self, request, pk)

    return type(
        f"Referral{name}View", (ReferralActionView,), {"action": action, "post": schema(post)}
    )


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}


class SharedDocumentDownloadView(FileView):
    @extend_schema(
        operation_id="network_referrals_document_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The shared file, with its own content type."
            ),
            **errors(404, 409, *SIGNED_IN),
        },
    )
    def get(self, request, pk, document_id):
        try:
            return shared_document_response(request, pk, document_id)
        except DocumentIntegrityError as exc:
            raise Conflict(_("The stored file failed its integrity check.")) from exc
