from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.practice, name="practice"),
    path("csv/<str:chart>/", views.practice_csv, name="practice_csv"),
    path("reports/", views.report_generate, name="report_generate"),
    path("reports/<int:pk>/", views.report_download, name="report_download"),
]
