"""Connections, referrals and case discussions for staff: who, states and dates; never
clinical content (no reason, question, topic, report or timeline details), and no change
outside the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patients.admin import MetadataOnlyAdmin

from .models import CaseDiscussion, Connection, Referral, ReferralEvent


@admin.register(Connection)
class ConnectionAdmin(MetadataOnlyAdmin):
    list_display = ["id", "requester", "recipient", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = [
        "requester__user__full_name",
        "recipient__user__full_name",
        "requester__license_id",
        "recipient__license_id",
    ]
    list_select_related = ["requester__user", "recipient__user"]
    fields = [
        "requester",
        "recipient",
        "status",
        "created_at",
        "decided_at",
        "ended_at",
        "ended_by",
    ]
    readonly_fields = fields


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    # The kind, who and when; the detail may be clinical and stays out.
    fields = ["created_at", "kind", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(MetadataOnlyAdmin):
    list_display = [
        "id",
        "referring_doctor",
        "specialist",
        "patient",
        "urgency",
        "status",
        "consent_status",
        "created_at",
    ]
    list_filter = ["status", "urgency", "consent_status"]
    search_fields = ["referring_doctor__user__full_name", "specialist__user__full_name"]
    list_select_related = ["referring_doctor__user", "specialist__user", "patient"]
    date_hierarchy = "created_at"
    fields = [
        "referring_doctor",
        "specialist",
        "patient",
        "urgency",
        "status",
        "consent_status",
        "consent_decided_at",
        "sent_at",
        "accepted_at",
        "seen_at",
        "report_returned_at",
        "closed_at",
        "grant_expires_at",
        "grant_revoked_at",
        "grant_ended_at",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [ReferralEventInline]


@admin.register(CaseDiscussion)
class CaseDiscussionAdmin(MetadataOnlyAdmin):
    """Who booked whom and when; the topic is for the two doctors only and stays out."""

    list_display = ["pk", "requester", "colleague", "start", "status", "created_at"]
    search_fields = [
        "requester__user__full_name",
        "colleague__user__full_name",
        "requester__license_id",
        "colleague__license_id",
    ]
    list_filter = ["appointment__status"]
    list_select_related = ["requester__user", "colleague__user", "appointment"]
    fields = ["appointment", "requester", "colleague", "created_at"]
    readonly_fields = fields

    @admin.display(description=pgettext_lazy("time", "Start"), ordering="appointment__start")
    def start(self, discussion):
        return discussion.appointment.start

    @admin.display(description=_("Status"), ordering="appointment__status")
    def status(self, discussion):
        return discussion.appointment.get_status_display()
