from django.urls import path

from . import calendar_views, views

app_name = "appointments"

urlpatterns = [
    # Patients
    path("book/", views.book, name="book"),
    path("appointments/", views.my_appointments, name="list"),
    # Anyone who may see the appointment (access.get_appointment_for_user)
    path("appointments/<int:pk>/", views.appointment_detail, name="detail"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel_view, name="cancel"),
    path("appointments/<int:pk>/reschedule/", views.appointment_reschedule_view, name="reschedule"),
    path("appointments/<int:pk>/confirm/", views.appointment_confirm_view, name="confirm"),
    path("appointments/<int:pk>/decline/", views.appointment_decline_view, name="decline"),
    path("appointments/<int:pk>/complete/", views.appointment_complete_view, name="complete"),
    path("appointments/<int:pk>/no-show/", views.appointment_no_show_view, name="no_show"),
    # The "Add to calendar" file, at the address emails already sent link to.
    path(
        "notifications/appointments/<int:pk>/calendar.ics",
        calendar_views.appointment_ics_download,
        name="ics",
    ),
    # Doctors
    path("schedule/", views.agenda, name="agenda"),
    path("schedule/requests/", views.pending_requests, name="pending"),
]
