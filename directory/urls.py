from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("find-a-doctor/", views.search, name="search"),
    path("find-a-doctor/<int:pk>/", views.doctor_detail, name="doctor"),
    path(
        "find-a-doctor/<int:pk>/calendar/<int:visit_type>/",
        views.doctor_calendar,
        name="doctor_calendar",
    ),
]
