from django.urls import path

from . import views

app_name = "doctors"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("profile/review/", views.request_review, name="request_review"),
    path("<int:pk>/photo/", views.photo, name="photo"),
]
