"""API of the signed-in person's in-app notifications."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import LoginExempt, read_query
from api.schema import SIGNED_IN, errors

from .models import Notification
from .services import notification_mark_all_read, notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were marked read."))
    unread_count = serializers.IntegerField()


class NotificationListView(LoginExempt, generics.ListAPIView):
    serializer_class = NotificationSerializer
    # Notices name patients and visit times: two-factor first for doctors and staff.

    def get_queryset(self):
        query = read_query(NotificationQuerySerializer, self.request)
        notifications = Notification.objects.for_user(self.request.user)
        if query.get("unread"):
            notifications = notifications.unread()
        return notifications.order_by("-created_at", "-id")

    @extend_schema(
        operation_id="notifications_list",
        parameters=[NotificationQuerySerializer],
        responses={200: NotificationSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadView(LoginExempt, APIView):
    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationSerializer, **errors(404, *SIGNED_IN)},
    )
    def post(self, request, pk):
        notification_mark_read(user=request.user, notification_id=pk)
        notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
        if notification is None:
            raise NotFound(_("Not found."))
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(LoginExempt, APIView):
    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={200: MarkedReadSerializer, **errors(*SIGNED_IN)},
    )
    def post(self, request):
        marked = notification_mark_all_read(user=request.user)
        unread = Notification.objects.for_user(request.user).unread().count()
        return Response(MarkedReadSerializer({"marked": marked, "unread_count": unread}).data)
