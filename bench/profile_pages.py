"""Profile the signed-in pages against the seeded bench database, in one process.

    DATABASE_URL=postgres://.../medconnect_bench python -m bench.profile_pages [--repeat 20]

For the busiest patient and doctor of the seed, a staff member, the login page and
the directory (the page cache as configured: MEDCONNECT_SLOT_CACHE_SECONDS=0 turns
it off): the queries
of one request, the mean time of `--repeat` requests, the pyinstrument profile of
those requests (the costliest frames), and what each middleware costs (the mean time
with it left out, against the whole stack). Production settings as `make bench`
(DEBUG off, MFA required); the cache is the configured one.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from .environment import ROOT, setup_django

PAGES = [
    ("login", None, "/accounts/login/"),
    ("search", None, "{search}"),
    ("doctor page", None, "{doctor_page}"),
    ("API search", None, "{api_search}"),
    ("patient appointments", "patient", "/appointments/"),
    ("patient dashboard", "patient", "/patient/"),
    ("doctor agenda", "doctor", "/schedule/"),
    ("doctor agenda (week)", "doctor", "/schedule/?view=week"),
    ("doctor dashboard", "doctor", "/doctor/dashboard/"),
    ("clinic dashboard 30 days", "staff", "/admin/analytics/analyticsdashboard/?{days_30}"),
    ("clinic dashboard 365 days", "staff", "/admin/analytics/analyticsdashboard/?{days_365}"),
    ("Admin appointments", "staff", "/admin/appointments/appointment/"),
]


def _people():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import User
    from appointments.models import Appointment

    now = timezone.now()
    upcoming = Appointment.objects.filter(start__gt=now, status__in=["pending", "confirmed"])
    patient_id = (
        upcoming.values("patient_id").annotate(n=Count("pk")).order_by("-n")[0]["patient_id"]
    )
    doctor = (
        upcoming.filter(doctor__verification_status="verified")
        .values("doctor__user_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["doctor__user_id"]
    )
    doctor_user = User.objects.get(pk=doctor)
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    for user in (doctor_user, staff):
        if user is not None and not Authenticator.objects.filter(user=user, type="totp").exists():
            TOTP.activate(user, generate_totp_secret())
    return {"patient": User.objects.get(pk=patient_id), "doctor": doctor_user, "staff": staff}


def _addresses():
    """The URLs' variable parts: a busy search, a verified doctor's page, two periods."""
    import datetime as dt
    from urllib.parse import urlencode

    from django.urls import reverse

    from doctors.models import DoctorProfile

    doctor = DoctorProfile.objects.verified().order_by("pk").first()
    spec = doctor.specializations.order_by("pk").first()
    search = urlencode({"specialization": spec.slug, "city": doctor.city})
    today = dt.date.today()
    return {
        "search": f"/find-a-doctor/?{search}",
        "doctor_page": reverse("directory:doctor", args=[doctor.pk]),
        "api_search": f"/api/v1/doctors/?{search}",
        **{
            f"days_{n}": urlencode({"start": today - dt.timedelta(days=n - 1), "end": today})
            for n in (30, 365)
        },
    }


def _client(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _mean_ms(client, url, repeat):
    client.get(url)
    started = time.perf_counter()
    for _ in range(repeat):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) * 1000 / repeat


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def _middleware_costs(client, url, repeat):
    from django.conf import settings
    from django.test import override_settings

    essential = {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    }
    whole = _mean_ms(client, url, repeat)
    costs = {}
    for name in settings.MIDDLEWARE:
        if name in essential:
            continue  # the page cannot render without it
        with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != name]):
            costs[name] = whole - _mean_ms(client, url, repeat)
    return whole, costs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--middleware", action="store_true", help="Also cost each middleware.")
    parser.add_argument("--pages", default="", help="Comma-separated parts of page titles.")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "profiles"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medconnect.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-" + "x" * 40)
    key = ROOT / "var" / "bench" / "encryption.key"
    if key.exists():
        os.environ.setdefault("MEDCONNECT_ENCRYPTION_KEYS", key.read_text().strip())
    setup_django(dict(os.environ))
    from pyinstrument import Profiler

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    people = _people()
    addresses = _addresses()
    for title, who, url in PAGES:
        if args.pages and not any(p in title for p in args.pages.split(",")):
            continue
        if who and people.get(who) is None:
            print(f"\n=== {title}: skipped, the database has no {who} ===")
            continue
        url = url.format(**addresses)
        client = _client(people.get(who))
        queries = _queries(client, url)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        mean = _mean_ms(client, url, args.repeat)
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        slug = title.replace(" ", "-").replace("(", "").replace(")", "")
        (out / f"{slug}.txt").write_text(text)
        print(f"\n=== {title} {url}: {queries} queries, {mean:.1f} ms mean ===")
        print("\n".join(text.splitlines()[:60]))
        if args.middleware:
            whole, costs = _middleware_costs(client, url, args.repeat)
            print(f"middleware (mean {whole:.1f} ms with all; ms saved without each):")
            for name, cost in sorted(costs.items(), key=lambda kv: -kv[1]):
                print(f"  {cost:6.2f}  {name}")


if __name__ == "__main__":
    sys.exit(main())
