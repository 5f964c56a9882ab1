from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .decorators import mfa_not_required
from .mfa import user_has_totp
from .models import Role
from .services import user_language_set


@login_not_required
def home(request):
    return render(request, "home.html")


@login_not_required
@mfa_not_required
@require_POST
def language_set(request):
    """Django's set_language (the cookie, the redirect back), and for a signed-in
    person the choice saved on their account, so emails and PDFs follow it too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


@mfa_not_required
def dashboard(request):
    """Send each person to the dashboard of their role."""
    user = request.user
    if user.role == Role.PATIENT:
        return redirect("patients:dashboard")
    if user.role == Role.DOCTOR:
        if request_needs_mfa(request):
            return redirect("accounts:security_setup")
        return redirect("doctor_dashboard")
    if user.role == Role.STAFF:
        if request_needs_mfa(request):
            return redirect("accounts:security_setup")
        return redirect("staff_dashboard")
    raise Http404


def request_needs_mfa(request):
    return settings.MEDCONNECT_REQUIRE_MFA and not user_has_totp(request.user)


@mfa_not_required
def security_setup(request):
    """Where doctors and staff land until they have enrolled two-factor authentication."""
    if not request_needs_mfa(request) or request.user.role == Role.PATIENT:
        return redirect("accounts:dashboard")
    doctor = getattr(request.user, "doctor_profile", None) if request.user.is_doctor else None
    return render(request, "accounts/security_setup.html", {"doctor": doctor})
