from django.urls import path

from . import discussion_views, referral_views, views

app_name = "network"

urlpatterns = [
    path("", views.connections, name="connections"),
    path("connect/", views.connect, name="connect"),
    path(
        "connections/<int:pk>/<str:action>/",
        views.connection_action,
        name="connection-action",
    ),
    path("sharing/", views.sharing, name="sharing"),
    path("discussions/", discussion_views.discussion_list, name="discussions"),
    path(
        "discussions/new/<int:colleague_id>/",
        discussion_views.discussion_new,
        name="discussion-new",
    ),
    path("discussions/<int:pk>/", discussion_views.discussion_detail, name="discussion"),
    path(
        "discussions/<int:pk>/cancel/",
        discussion_views.discussion_cancel,
        name="discussion-cancel",
    ),
    path("referrals/", referral_views.referral_list, name="referrals"),
    path("referrals/new/<int:patient_id>/", referral_views.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral"),
    path("referrals/<int:pk>/book/", referral_views.referral_book, name="referral-book"),
    path("referrals/<int:pk>/report/", referral_views.referral_report, name="referral-report"),
    path(
        "referrals/<int:pk>/records/<int:record_id>/",
        referral_views.shared_record,
        name="shared-record",
    ),
    path(
        "referrals/<int:pk>/prescriptions/<int:prescription_id>/",
        referral_views.shared_prescription,
        name="shared-prescription",
    ),
    path(
        "referrals/<int:pk>/documents/<int:document_id>/download/",
        referral_views.shared_document,
        name="shared-document",
    ),
    path(
        "referrals/<int:pk>/<str:action>/",
        referral_views.referral_action,
        name="referral-action",
    ),
]
