from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.my_record, name="mine"),
    path("who-viewed/", views.who_viewed, name="who_viewed"),
    path("patients/<int:patient_id>/", views.patient_record, name="patient"),
    path("patients/<int:patient_id>/timeline/", views.timeline, name="timeline"),
    path("patients/<int:patient_id>/history/", views.history, name="history"),
    path(
        "patients/<int:patient_id>/history/<str:kind>/add/",
        views.history_add,
        name="history_add",
    ),
    path(
        "patients/<int:patient_id>/history/<str:kind>/<int:item_id>/",
        views.history_edit,
        name="history_edit",
    ),
    path("patients/<int:patient_id>/documents/", views.documents, name="documents"),
    path(
        "documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path("documents/<int:document_id>/hide/", views.document_hide, name="document_hide"),
    path(
        "appointments/<int:appointment_id>/consultation/",
        views.consultation_start,
        name="consultation_start",
    ),
    path("consultations/<int:record_id>/", views.record_detail, name="record_detail"),
    path("consultations/<int:record_id>/pdf/", views.record_pdf, name="record_pdf"),
    path("consultations/<int:record_id>/edit/", views.record_edit, name="record_edit"),
    path("consultations/<int:record_id>/sign/", views.record_sign, name="record_sign"),
    path("consultations/<int:record_id>/amend/", views.record_amend, name="record_amend"),
    path("consultations/<int:record_id>/void/", views.record_void, name="record_void"),
]
