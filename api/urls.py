from django.urls import path

from analytics import api as analytics
from appointments import api as appointments
from assistant import api as assistant
from billing import api as billing
from directory import api as directory
from doctors import api as doctors
from exports import api as exports
from messaging import api as messaging
from network import api as network
from network import api_actions as network_actions
from network import discussion_api as network_discussions
from notifications import api as notifications
from patients import api as patients
from prescriptions import api as prescriptions
from records import api as records

from . import docs

app_name = "api"

v1 = [
    path("exports/", exports.ExportListView.as_view(), name="exports"),
    path("exports/<int:pk>/", exports.ExportDetailView.as_view(), name="export"),
    path("exports/<int:pk>/cancel/", exports.ExportCancelView.as_view(), name="export_cancel"),
    path(
        "exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"
    ),
    path("me/", patients.MeView.as_view(), name="me"),
    path("specializations/", doctors.SpecializationListView.as_view(), name="specializations"),
    path("doctors/", directory.DoctorSearchView.as_view(), name="doctors"),
    path("doctors/<int:pk>/", directory.DoctorDetailView.as_view(), name="doctor"),
    path("doctors/<int:pk>/slots/", directory.DoctorSlotsView.as_view(), name="doctor_slots"),
    path("appointments/", appointments.AppointmentListView.as_view(), name="appointments"),
    path(
        "appointments/<int:pk>/", appointments.AppointmentDetailView.as_view(), name="appointment"
    ),
    path(
        "appointments/<int:pk>/cancel/",
        appointments.AppointmentCancelView.as_view(),
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        appointments.AppointmentRescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:pk>/confirm/",
        appointments.AppointmentConfirmView.as_view(),
        name="appointment_confirm",
    ),
    path(
        "appointments/<int:pk>/decline/",
        appointments.AppointmentDeclineView.as_view(),
        name="appointment_decline",
    ),
    path(
        "appointments/<int:pk>/complete/",
        appointments.AppointmentCompleteView.as_view(),
        name="appointment_complete",
    ),
    path(
        "appointments/<int:pk>/no-show/",
        appointments.AppointmentNoShowView.as_view(),
        name="appointment_no_show",
    ),
    path("records/", records.ConsultationRecordListView.as_view(), name="records"),
    path("records/<int:pk>/", records.ConsultationRecordDetailView.as_view(), name="record"),
    path("records/<int:pk>/pdf/", records.ConsultationRecordPdfView.as_view(), name="record_pdf"),
    path("prescriptions/", prescriptions.PrescriptionListView.as_view(), name="prescriptions"),
    path(
        "prescriptions/<int:pk>/",
        prescriptions.PrescriptionDetailView.as_view(),
        name="prescription",
    ),
    path(
        "prescriptions/<int:pk>/pdf/",
        prescriptions.PrescriptionPdfView.as_view(),
        name="prescription_pdf",
    ),
    path("documents/", records.DocumentListView.as_view(), name="documents"),
    path(
        "documents/<int:pk>/download/",
        records.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("network/colleagues/", network.ColleagueSearchView.as_view(), name="colleagues"),
    path("network/connections/", network.ConnectionListView.as_view(), name="connections"),
    *[
        path(
            f"network/connections/<int:pk>/{action}/",
            view.as_view(),
            name=f"connection_{action}",
        )
        for action, view in (
            ("accept", network.ConnectionAcceptView),
            ("decline", network.ConnectionDeclineView),
            ("withdraw", network.ConnectionWithdrawView),
            ("remove", network.ConnectionRemoveView),
        )
    ],
    path("network/referrals/", network.ReferralListView.as_view(), name="referrals"),
    path("network/referrals/<int:pk>/", network.ReferralDetailView.as_view(), name="referral"),
    *[
        path(
            f"network/referrals/<int:pk>/{action.replace('_', '-')}/",
            view.as_view(),
            name=f"referral_{action}",
        )
        for action, view in network_actions.ACTION_VIEWS.items()
    ],
    path(
        "network/referrals/<int:pk>/documents/<int:document_id>/download/",
        network_actions.SharedDocumentDownloadView.as_view(),
        name="referral_document_download",
    ),
    path(
        "network/discussions/",
        network_discussions.DiscussionListView.as_view(),
        name="discussions",
    ),
    path(
        "network/discussions/<int:pk>/",
        network_discussions.DiscussionDetailView.as_view(),
        name="discussion",
    ),
    path(
        "network/discussions/<int:pk>/cancel/",
        network_discussions.DiscussionCancelView.as_view(),
        name="discussion_cancel",
    ),
    path("invoices/", billing.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/", billing.InvoiceDetailView.as_view(), name="invoice"),
    path(
        "invoices/<int:pk>/receipt/", billing.InvoiceReceiptView.as_view(), name="invoice_receipt"
    ),
    path("analytics/dashboard/", analytics.DashboardView.as_view(), name="analytics_dashboard"),
    path("analytics/practice/", analytics.PracticeView.as_view(), name="analytics_practice"),
    path("analytics/reports/", analytics.MonthlyReportListView.as_view(), name="analytics_reports"),
    path(
        "analytics/reports/<int:pk>/file/",
        analytics.MonthlyReportFileView.as_view(),
        name="analytics_report_file",
    ),
    path("assistant/messages/", assistant.AssistantMessageView.as_view(), name="assistant_message"),
    path(
        "assistant/conversations/",
        assistant.ConversationListView.as_view(),
        name="assistant_conversations",
    ),
    path(
        "assistant/conversations/<int:pk>/",
        assistant.ConversationDetailView.as_view(),
        name="assistant_conversation",
    ),
    path("threads/", messaging.ThreadListView.as_view(), name="threads"),
    path("threads/<int:pk>/", messaging.ThreadDetailView.as_view(), name="thread"),
    path("threads/<int:pk>/close/", messaging.ThreadCloseView.as_view(), name="thread_close"),
    path("threads/<int:pk>/read/", messaging.ThreadReadView.as_view(), name="thread_read"),
    path(
        "threads/<int:pk>/messages/",
        messaging.ThreadMessagesView.as_view(),
        name="thread_messages",
    ),
    path(
        "threads/<int:pk>/attachments/",
        messaging.ThreadAttachmentsView.as_view(),
        name="thread_attachments",
    ),
    path(
        "messages/<int:pk>/retract/", messaging.MessageRetractView.as_view(), name="message_retract"
    ),
    path(
        "attachments/<int:pk>/download/",
        messaging.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notifications_read_all",
    ),
]

urlpatterns = [
    *[path(f"v1/{route.pattern}", route.callback, name=route.name) for route in v1],
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api:schema"), name="redoc"),
]
