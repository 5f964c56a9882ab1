from django.urls import path

from . import views

app_name = "prescriptions"

urlpatterns = [
    path("", views.prescription_list, name="list"),
    path("<int:prescription_id>/", views.prescription_detail, name="detail"),
    path("<int:prescription_id>/pdf/", views.prescription_pdf, name="pdf"),
    path("<int:prescription_id>/void/", views.prescription_void, name="void"),
    path("appointments/<int:appointment_id>/new/", views.prescription_issue, name="issue"),
]
