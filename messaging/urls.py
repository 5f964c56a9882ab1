from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/colleague/", views.thread_new_colleague, name="new_colleague"),
    path(
        "new/appointment/<int:appointment_id>/",
        views.thread_new_from_appointment,
        name="new_from_appointment",
    ),
    path("new/patient/<int:patient_id>/", views.thread_new_for_patient, name="new_for_patient"),
    path("referral/<int:referral_id>/", views.referral_thread, name="referral-thread"),
    path("<int:thread_id>/", views.thread_detail, name="thread"),
    path("<int:thread_id>/poll/", views.thread_poll, name="poll"),
    path("<int:thread_id>/close/", views.thread_close, name="close"),
    path("message/<int:message_id>/retract/", views.message_retract, name="retract"),
    path("attachment/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
