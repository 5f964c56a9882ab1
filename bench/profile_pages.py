"""Profile the signed-in pages against the seeded bench database, in one process.

    DATABASE_URL=postgres://.../medconnect_bench python -m bench.profile_pages [--repeat 20]

For the busiest patient and doctor of the seed, and for the login page: the queries
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
    ("patient appointments", "patient", "/appointments/"),
    ("patient dashboard", "patient", "/patient/"),
    ("doctor agenda", "doctor", "/schedule/"),
    ("doctor agenda (week)", "doctor", "/schedule/?view=week"),
    ("doctor dashboard", "doctor", "/doctor/dashboard/"),
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
    if not Authenticator.objects.filter(user=doctor_user, type="totp").exists():
        TOTP.activate(doctor_user, generate_totp_secret())
    return {"patient": User.objects.get(pk=patient_id), "doctor": doctor_user}


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
    for title, who, url in PAGES:
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
