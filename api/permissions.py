from django.conf import settings
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from accounts.mfa import user_has_totp
from accounts.models import Role

MFA_MESSAGE = "Two-factor authentication must be set up first."


def mfa_missing(user):
    """Doctors and staff reach no patient data before enrolling TOTP (accounts.middleware)."""
    return (
        settings.MEDCONNECT_REQUIRE_MFA
        and user.role in (Role.DOCTOR, Role.STAFF)
        and not user_has_totp(user)
    )


class IsAuthenticatedWithMFA(BasePermission):
    """Signed in; doctors and staff also with two-factor enrolled (403 until then)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "mfa_exempt", False):
            return True
        if mfa_missing(user):
            raise PermissionDenied(MFA_MESSAGE, code="mfa_required")
        return True
