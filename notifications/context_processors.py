from .models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: counted only when a template shows the bell.
    return {
        "unread_notification_count": lambda: Notification.objects.for_user(user).unread().count()
    }
