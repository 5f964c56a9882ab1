from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("panel/", views.panel, name="panel"),
    path("messages/", views.send, name="send"),
    path("history/", views.history, name="history"),
    path("history/delete/", views.history_delete_all, name="history_delete_all"),
    path("history/<int:pk>/", views.conversation_detail, name="conversation"),
    path("history/<int:pk>/delete/", views.conversation_delete, name="conversation_delete"),
]
