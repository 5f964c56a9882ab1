import os
from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.utils.translation import gettext_lazy

from accounts import views as account_views
from appointments.calendar_views import calendar_feed
from appointments.views import doctor_dashboard
from doctors.views import doctor_signup, staff_dashboard
from patients.views import patient_signup

from .health import health


def _not_found_for_signed_in_non_staff(view):
    """Signed-in patients and doctors get the 404 of any page they may not reach,
    not Admin's login page nor a 403 that says the page exists."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_staff and user.is_active):
            raise Http404(gettext_lazy("No such page."))
        return view(request, *args, **kwargs)

    return wrapper


_admin_view = admin.site.admin_view
admin.site.admin_view = lambda view, cacheable=False: _not_found_for_signed_in_non_staff(
    _admin_view(view, cacheable)
)
# Admin sign-in goes through allauth: the same rate limits and two-factor.
admin.site.login = _not_found_for_signed_in_non_staff(secure_admin_login(admin.site.login))
admin.site.site_header = gettext_lazy("MedConnect administration")
admin.site.site_title = gettext_lazy("MedConnect admin")

handler404 = "medconnect.errors.page_not_found"
handler500 = "medconnect.errors.server_error"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", health, name="health"),
    # The language picker posts here (Django's set_language, saved on the account too).
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("accounts/signup/", patient_signup, name="account_signup"),
    path("accounts/signup/doctor/", doctor_signup, name="doctor_signup"),
    path("accounts/", include("allauth.urls")),
    path("dashboard/staff/", staff_dashboard, name="staff_dashboard"),
    path("dashboard/", include("accounts.urls")),
    path("patient/", include("patients.urls")),
    path("doctor/dashboard/", doctor_dashboard, name="doctor_dashboard"),
    path("doctor/", include("doctors.urls")),
    path("practice/", include("analytics.urls")),
    path("notifications/", include("notifications.urls")),
    # Private calendar feeds: the secret token in the URL is the credential.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("", include("directory.urls")),
    path("", include("appointments.urls")),
    path("", include("schedules.urls")),
    path("waitlist/", include("waitlist.urls")),
    path("records/", include("records.urls")),
    path("prescriptions/", include("prescriptions.urls")),
    path("billing/", include("billing.urls")),
    path("assistant/", include("assistant.urls")),
    path("network/", include("network.urls")),
    path("messages/", include("messaging.urls")),
    path("welcome/", include("frontdesk.urls")),
    path("exports/", include("exports.urls")),
    path("admin/", admin.site.urls),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/", include("api.urls")),
    path("fhir/", include("interop.urls")),
]

if settings.MEDCONNECT_METRICS:
    # Prometheus scrapes with a bearer token (operations/metrics.py); not routed otherwise.
    from operations.metrics import metrics_view

    urlpatterns.append(path("metrics/", metrics_view, name="metrics"))

if os.environ.get("MEDCONNECT_BENCH_CEILING") == "1":
    # Load tests only: the machine's ceiling, see medconnect/bench.py.
    from .bench import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling, name="bench_ceiling"))
