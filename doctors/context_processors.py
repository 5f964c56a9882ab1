from accounts.models import Role


def doctor_verification(request):
    """Whether the signed-in doctor may practise: the navigation offers only what they can
    use. Lazy, and read from the profile cached on the user when a view loaded it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.DOCTOR:
        return {}

    def profile():
        return getattr(user, "doctor_profile", None)

    return {
        "doctor_practising": lambda: bool(profile() and profile().is_verified),
        "doctor_verification_label": lambda: (
            profile().get_verification_status_display() if profile() else ""
        ),
    }
