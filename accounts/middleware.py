import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .mfa import user_has_totp
from .models import Role

SESSION_STARTED_KEY = "_medconnect_session_started"
SESSION_LAST_SEEN_KEY = "_medconnect_last_seen"
# The last-seen stamp is refreshed at most once a minute to spare a write per request.
LAST_SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Ends a signed-in session after idle time or after its absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            last_seen = session.get(SESSION_LAST_SEEN_KEY)
            if started is None:
                session[SESSION_STARTED_KEY] = now
                session[SESSION_LAST_SEEN_KEY] = now
            elif (
                now - (last_seen or started) > settings.MEDCONNECT_SESSION_IDLE_SECONDS
                or now - started > settings.MEDCONNECT_SESSION_MAX_AGE_SECONDS
            ):
                idle = now - (last_seen or started) > settings.MEDCONNECT_SESSION_IDLE_SECONDS
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": str(_("Your session has expired."))}, status=401)
                if idle:
                    messages.info(request, _("You were signed out after a period of inactivity."))
                else:
                    messages.info(request, _("Your session has expired. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            elif now - (last_seen or 0) > LAST_SEEN_RESOLUTION_SECONDS:
                session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


class MFARequiredMiddleware:
    """Doctors and staff reach nothing but account pages until they enrol TOTP."""

    exempt_url_prefixes = ("account_", "mfa_")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MEDCONNECT_REQUIRE_MFA:
            return None
        user = request.user
        if not user.is_authenticated or user.role not in (Role.DOCTOR, Role.STAFF):
            return None
        if not getattr(view_func, "mfa_required", True):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages
        match = request.resolver_match
        if match and (match.url_name or "").startswith(self.exempt_url_prefixes):
            return None
        if user_has_totp(user):
            return None
        if request.path.startswith("/api/") or request.path.startswith("/fhir/"):
            return JsonResponse(
                {"detail": str(_("Two-factor authentication must be set up first."))}, status=403
            )
        return redirect("accounts:security_setup")


# API clients say which language they read in each request (Accept-Language); a
# signed-in browser reads in the language saved on the account.
_API_PREFIXES = ("/api/", "/fhir/", "/_allauth/")


class UserLanguageMiddleware:
    """Activates the signed-in person's saved language (after LocaleMiddleware, which
    chose from the language cookie or Accept-Language for everyone else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.language
            and not (
                request.path.startswith(_API_PREFIXES) and "HTTP_ACCEPT_LANGUAGE" in request.META
            )
        ):
            language = translation.get_supported_language_variant(user.language)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
