from django.urls import path

from . import views

app_name = "frontdesk"

urlpatterns = [
    path("claim/<str:uidb64>/<str:token>/", views.claim, name="claim"),
]
