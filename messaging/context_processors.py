from accounts.models import Role
from patients.access import verified_doctor

from .selectors import unread_total


def unread_messages(request):
    """The unread-messages badge, for patients and verified doctors only.

    Staff and anonymous visitors get nothing (no query at all). For the others the
    count is lazy: one indexed query, run only when a template shows the badge. A
    doctor's verification comes from the profile the page has usually loaded already.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if user.role == Role.PATIENT:
        return {"unread_message_count": lambda: unread_total(user)}
    if user.role == Role.DOCTOR:
        return {
            "unread_message_count": lambda: (
                unread_total(user) if verified_doctor(user) is not None else None
            )
        }
    return {}
