from django.urls import path

from . import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    path("Practitioner/<int:pk>", views.PractitionerView.as_view(), name="practitioner"),
    path("Schedule", views.ScheduleSearchView.as_view(), name="schedules"),
    path("Schedule/<int:pk>", views.ScheduleReadView.as_view(), name="schedule"),
    path("Slot", views.SlotSearchView.as_view(), name="slots"),
    path("Appointment", views.AppointmentSearchView.as_view(), name="appointments"),
    path("Appointment/<int:pk>", views.AppointmentReadView.as_view(), name="appointment"),
    path("Patient/<int:pk>", views.PatientReadView.as_view(), name="patient"),
    path(
        "ServiceRequest/<int:pk>",
        views.ReferralResourceView.as_view(kind="ServiceRequest"),
        name="service_request",
    ),
    path("Task/<int:pk>", views.ReferralResourceView.as_view(kind="Task"), name="task"),
    path("Consent/<int:pk>", views.ReferralResourceView.as_view(kind="Consent"), name="consent"),
    path(
        "Patient/<int:pk>/$everything",
        views.PatientEverythingView.as_view(),
        name="patient_everything",
    ),
]
