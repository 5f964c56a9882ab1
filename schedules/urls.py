from django.urls import path

from . import views

app_name = "schedules"

urlpatterns = [
    path("schedule/availability/", views.availability, name="availability"),
    path(
        "schedule/availability/<int:pk>/edit/",
        views.availability_edit,
        name="availability_edit",
    ),
    path(
        "schedule/availability/<int:pk>/delete/",
        views.availability_delete,
        name="availability_delete",
    ),
    path("schedule/visit-types/", views.visit_types, name="visit_types"),
    path("schedule/visit-types/new/", views.visit_type_edit, name="visit_type_new"),
    path("schedule/visit-types/<int:pk>/edit/", views.visit_type_edit, name="visit_type_edit"),
    path(
        "schedule/visit-types/<int:pk>/deactivate/",
        views.visit_type_deactivate_view,
        name="visit_type_deactivate",
    ),
    path("schedule/time-off/", views.time_off, name="time_off"),
    path("schedule/time-off/<int:pk>/delete/", views.time_off_delete_view, name="time_off_delete"),
]
