import functools

from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import Role, User
from doctors.models import DoctorProfile
from notifications.models import Notification

from .models import Participant


def _badge_counts(user):
    """(unread notices, unread messages, has messages) in one query."""
    notices = (
        Notification.objects.unread()
        .filter(recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    messages = (
        Participant.objects.filter(user=OuterRef("pk"), unread_count__gt=0)
        .order_by()
        .values("user")
        .annotate(n=Sum("unread_count"))
        .values("n")
    )
    verified = DoctorProfile.objects.verified().filter(user=OuterRef("pk"))
    return (
        User.objects.filter(pk=user.pk)
        .annotate(
            notices=Coalesce(Subquery(notices), 0),
            messages=Coalesce(Subquery(messages), 0),
            verified=Exists(verified),
        )
        .values_list("notices", "messages", "verified")
        .get()
    )


def unread_messages(request):
    """The navigation badges of patients and verified doctors: unread messages, and
    (replacing notifications' own count) unread notices, both from one lazy query, so
    the messages badge adds no query to any page.

    Staff and anonymous visitors get nothing from here (no query at all); a pending
    doctor gets the notices count as before and no Messages link.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if user.role not in (Role.PATIENT, Role.DOCTOR):
        return {}
    counts = functools.cache(lambda: _badge_counts(user))

    def unread_message_count():
        notices, messages, verified = counts()
        return messages if user.role == Role.PATIENT or verified else None

    return {
        "unread_notification_count": lambda: counts()[0],
        "unread_message_count": unread_message_count,
    }
