from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("security/", views.security_setup, name="security_setup"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
]
