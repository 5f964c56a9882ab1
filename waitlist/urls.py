from django.urls import path

from . import views

app_name = "waitlist"

urlpatterns = [
    path("", views.my_waitlist, name="list"),
    path("join/<int:doctor_pk>/", views.join, name="join"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
]
