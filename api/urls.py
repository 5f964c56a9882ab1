from django.urls import path

from . import views

app_name = "api"

v1 = [
    path("me/", views.MeView.as_view(), name="me"),
    path("specializations/", views.SpecializationListView.as_view(), name="specializations"),
    path("doctors/", views.DoctorSearchView.as_view(), name="doctors"),
    path("doctors/<int:pk>/", views.DoctorDetailView.as_view(), name="doctor"),
    path("doctors/<int:pk>/slots/", views.DoctorSlotsView.as_view(), name="doctor_slots"),
    path("appointments/", views.AppointmentListView.as_view(), name="appointments"),
    path("appointments/<int:pk>/", views.AppointmentDetailView.as_view(), name="appointment"),
    path(
        "appointments/<int:pk>/cancel/",
        views.AppointmentCancelView.as_view(),
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        views.AppointmentRescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:pk>/confirm/",
        views.AppointmentConfirmView.as_view(),
        name="appointment_confirm",
    ),
    path(
        "appointments/<int:pk>/decline/",
        views.AppointmentDeclineView.as_view(),
        name="appointment_decline",
    ),
    path(
        "appointments/<int:pk>/complete/",
        views.AppointmentCompleteView.as_view(),
        name="appointment_complete",
    ),
    path(
        "appointments/<int:pk>/no-show/",
        views.AppointmentNoShowView.as_view(),
        name="appointment_no_show",
    ),
    path("records/", views.ConsultationRecordListView.as_view(), name="records"),
    path("records/<int:pk>/", views.ConsultationRecordDetailView.as_view(), name="record"),
    path("records/<int:pk>/pdf/", views.ConsultationRecordPdfView.as_view(), name="record_pdf"),
    path("prescriptions/", views.PrescriptionListView.as_view(), name="prescriptions"),
    path("prescriptions/<int:pk>/", views.PrescriptionDetailView.as_view(), name="prescription"),
    path(
        "prescriptions/<int:pk>/pdf/",
        views.PrescriptionPdfView.as_view(),
        name="prescription_pdf",
    ),
    path("documents/", views.DocumentListView.as_view(), name="documents"),
    path(
        "documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("invoices/", views.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice"),
    path("invoices/<int:pk>/receipt/", views.InvoiceReceiptView.as_view(), name="invoice_receipt"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notifications_read_all",
    ),
]

urlpatterns = [
    *[path(f"v1/{route.pattern}", route.callback, name=route.name) for route in v1],
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
]
