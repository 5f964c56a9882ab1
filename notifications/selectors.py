from .models import CalendarFeed


def calendar_feed_get(token):
    """The active feed for this token, or None."""
    if not token:
        return None
    return (
        CalendarFeed.objects.for_token(token)
        .select_related("user")
        .filter(user__is_active=True)
        .first()
    )
