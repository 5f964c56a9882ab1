from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.my_bills, name="my_bills"),
    path("summary/", views.summary, name="summary"),
    path("fees/", views.fee_schedule, name="fee_schedule"),
    path("visits/<int:appointment_id>/", views.bill_visit, name="bill_visit"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/edit/", views.invoice_edit, name="invoice_edit"),
    path("invoices/<int:pk>/lines/", views.line_add, name="line_add"),
    path("invoices/<int:pk>/lines/<int:line_pk>/", views.line_update, name="line_update"),
    path("invoices/<int:pk>/lines/<int:line_pk>/remove/", views.line_remove, name="line_remove"),
    path("invoices/<int:pk>/issue/", views.issue, name="issue"),
    path("invoices/<int:pk>/pay/", views.mark_paid, name="mark_paid"),
    path("invoices/<int:pk>/void/", views.void, name="void"),
    path("invoices/<int:pk>/receipt.pdf", views.receipt_download, name="receipt"),
]
