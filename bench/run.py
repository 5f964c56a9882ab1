"""`make bench`: serve MedConnect with production settings and load it with locust.

What it does, in order:
1. Checks DATABASE_URL points at PostgreSQL with seeded data (`manage.py seed_scale`).
2. Prepares fixtures in that database: sessions for patients with upcoming visits,
   sessions for doctors (with TOTP enrolled: two-factor stays required, as in
   production), and for booking a list of distinct free slots, each paired with a
   fresh patient (verified email) and their session, so every POST books a different
   slot for a different person.
3. Runs `collectstatic`, then gunicorn on loopback with DJANGO_DEBUG=0, a generated
   DJANGO_SECRET_KEY, Redis cache and cached_db sessions, and the ceiling view
   (MEDCONNECT_BENCH_CEILING=1).
4. For each scenario and each concurrency level, one headless locust run (closed
   loop, no think time). Prints one table and writes var/bench/<timestamp>.json.
5. Checks the database: bookings made = successes counted, zero overlapping active
   appointments, every appointment has its "created" history row.
6. With --restart-db: a mixed load during which PostgreSQL is restarted once, and
   a report of when errors happened relative to the restart and whether the same
   gunicorn workers recovered by themselves.

Gunicorn runs 2 x cores + 1 gthread workers with 4 threads each. The pages are
CPU-bound Python (templates, the slot engine), for which processes matter and
threads only queue on the GIL; but a booking is bound by round trips to
PostgreSQL (some 45 queries, a commit, and requests for one doctor queue on its
row lock), and with sync workers at most 2 x cores + 1 bookings would be in
flight at once. Threads let a worker start other requests while one waits on
the database. --worker-class sync compares.

API throttles are production features measured elsewhere; the bench raises the
anonymous and per-user API rates so 429s do not stand in for throughput.
"""

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
SCENARIOS = [
    "ceiling",
    "home",
    "search",
    "doctor_page",
    "api_search",
    "api_slots",
    "dashboard",
    "agenda",
    "book",
]
# Targets at the highest concurrency level (see README, "## Benchmarks").
TARGETS = {
    "search": {"ceiling_fraction": 0.25, "p95_ms": 150},
    "doctor_page": {"ceiling_fraction": 0.25, "p95_ms": 150},
    "book": {"rps": 100},
}
ACTIVE = "('pending', 'confirmed')"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average():
    return list(os.getloadavg())


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="10,50", help="Concurrency levels (default 10,50).")
    parser.add_argument("--duration", type=int, default=20, help="Seconds per run (default 20).")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="Comma-separated subset to run."
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="Threads per gthread worker.")
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("BENCH_REDIS_DB", 9)))
    parser.add_argument(
        "--booking-slots", type=int, default=8000, help="Distinct free slots to prepare."
    )
    parser.add_argument(
        "--restart-db",
        action="store_true",
        help="Also restart PostgreSQL once in the middle of a mixed load run.",
    )
    parser.add_argument("--restart-only", action="store_true", help="Only the restart run.")
    parser.add_argument("--restart-duration", type=int, default=40)
    return parser.parse_args()


def server_environment(args):
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs DATABASE_URL=postgres://... (a database seeded by seed_scale).")
    key_file = VAR / "encryption.key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        key_file.write_bytes(Fernet.generate_key())
        key_file.chmod(0o600)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "medconnect.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL")
            or f"redis://127.0.0.1:6379/{args.redis_db}",
            "MEDCONNECT_CACHE_PREFIX": "bench",
            "MEDCONNECT_ENCRYPTION_KEYS": os.environ.get("MEDCONNECT_ENCRYPTION_KEYS")
            or key_file.read_text().strip(),
            "MEDCONNECT_BENCH_CEILING": "1",
            "MEDCONNECT_API_ANON_RATE": "100000000/minute",
            "MEDCONNECT_API_USER_RATE": "100000000/minute",
            "MEDCONNECT_LOG_LEVEL": "ERROR",
        }
    )
    return env


# Fixtures ---------------------------------------------------------------------------


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def data_counts():
    from django.db import connection

    tables = {
        "doctors": "doctors_doctorprofile",
        "patients": "patients_patientprofile",
        "appointments": "appointments_appointment",
        "appointment_events": "appointments_appointmentevent",
        "prescriptions": "prescriptions_prescription",
        "invoices": "billing_invoice",
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            counts[name] = cursor.fetchone()[0]
    return counts


def _sessions(users):
    """A signed-in session per user, written straight to the session table."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY

    store = SessionStore()
    now = time.time()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    alphabet = string.ascii_lowercase + string.digits
    rows, keys = [], []
    for user in users:
        key = "".join(secrets.choice(alphabet) for _ in range(32))
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            SESSION_STARTED_KEY: now,
            SESSION_LAST_SEEN_KEY: now,
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def _booking_patients(count, stamp):
    from allauth.account.models import EmailAddress

    from accounts.models import Role, User
    from patients.models import PatientProfile

    password = User.objects.filter(email__endswith="@scale.medconnect.test").first().password
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-{stamp}-{n}@bench.medconnect.test",
                full_name=f"Bench Patient {n}",
                role=Role.PATIENT,
                password=password,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=2000,
    )
    PatientProfile.objects.bulk_create(
        [
            PatientProfile(user=u, date_of_birth=dt.date(1990, 1, 1), phone="+91 98765 43210")
            for u in users
        ],
        batch_size=2000,
    )
    return users


def prepare_fixtures(args, stamp, path):
    import random

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.cache import cache
    from django.utils import timezone

    from accounts.models import Role, User
    from appointments.models import Appointment, VisitType
    from appointments.slots import free_slots
    from doctors.models import DoctorProfile, Specialization

    # The bench's own Redis database: the seed wrote rows no cache version knows of.
    cache.clear()
    rng = random.Random(stamp)
    now = timezone.now()
    doctors = list(DoctorProfile.objects.verified().values_list("pk", flat=True))
    if not doctors:
        sys.exit("No verified doctors: seed the database first (manage.py seed_scale).")
    cities = list(DoctorProfile.objects.verified().values_list("city", flat=True).distinct())
    slugs = list(Specialization.objects.values_list("slug", flat=True))
    searches = [
        {"specialization": rng.choice(slugs), "city": rng.choice(cities)} for _ in range(50)
    ]
    searches += [{"specialization": rng.choice(slugs)} for _ in range(10)]

    patient_ids = list(
        Appointment.objects.filter(status__in=["pending", "confirmed"], start__gt=now)
        .values_list("patient_id", flat=True)
        .distinct()[:300]
    )
    patient_sessions = _sessions(User.objects.filter(pk__in=patient_ids))
    doctor_users = list(User.objects.filter(role=Role.DOCTOR, doctor_profile__pk__in=doctors[:50]))
    enrolled = set(
        Authenticator.objects.filter(
            user__in=doctor_users, type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for user in doctor_users:
        if user.pk not in enrolled:
            TOTP.activate(user, generate_totp_secret())
    doctor_sessions = _sessions(doctor_users)

    # Distinct free slots: one visit type per doctor so no two slots overlap, from
    # tomorrow on so minimum notice cannot expire during the run.
    booking = []
    pool = doctors[:]
    rng.shuffle(pool)
    today = timezone.localdate()
    for doctor in DoctorProfile.objects.filter(pk__in=pool[:400]):
        if len(booking) >= args.booking_slots:
            break
        visit_type = VisitType.objects.filter(doctor=doctor, is_active=True).first()
        for slot in free_slots(
            doctor=doctor,
            visit_type=visit_type,
            start_date=today + dt.timedelta(days=1),
            end_date=today + dt.timedelta(days=13),
            now=now,
        ):
            booking.append(
                {
                    "doctor": doctor.pk,
                    "visit_type": visit_type.pk,
                    "start": slot.start.isoformat(),
                    "mode": slot.modes[0],
                }
            )
    booking = booking[: args.booking_slots]
    rng.shuffle(booking)  # consecutive bookings go to different doctors
    patients = _booking_patients(len(booking), stamp)
    for slot, user, key in zip(booking, patients, _sessions(patients), strict=True):
        slot["patient"] = user.pk
        slot["session"] = key
    fixtures = {
        "csrf_token": "".join(secrets.choice(string.ascii_letters) for _ in range(32)),
        "doctors": doctors,
        "searches": searches,
        "api_searches": searches,
        "patient_sessions": patient_sessions,
        "doctor_sessions": doctor_sessions,
        "booking": booking,
        "booking_patients": [slot["patient"] for slot in booking],
    }
    path.write_text(json.dumps(fixtures))
    log(
        f"fixtures: {len(patient_sessions)} patient sessions, {len(doctor_sessions)} doctor "
        f"sessions (TOTP enrolled), {len(booking)} distinct free slots with fresh patients"
    )
    return fixtures


# Server -----------------------------------------------------------------------------


def start_server(args, env, run_dir):
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    command = [
        str(BIN / "gunicorn"),
        "medconnect.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--error-logfile",
        str(run_dir / "gunicorn.log"),
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    for _ in range(100):
        time.sleep(0.3)
        try:
            with urllib.request.urlopen(base + "/health/", timeout=5) as response:
                if response.status == 200:
                    return server, base
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn exited; see {run_dir / 'gunicorn.log'}")
    sys.exit("gunicorn did not answer /health/ in time")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def worker_pids(server):
    result = subprocess.run(
        ["ps", "--ppid", str(server.pid), "-o", "pid="], capture_output=True, text=True
    )
    return sorted(int(pid) for pid in result.stdout.split())


def warm_up(base, fixtures):
    """A few sequential requests per page: imports, template loading, connections."""
    urls = ["/bench/ceiling/", "/", "/find-a-doctor/", "/api/v1/doctors/"]
    urls += [f"/find-a-doctor/{pk}/" for pk in fixtures["doctors"][:3]]
    for _round in range(3):
        for url in urls:
            try:
                urllib.request.urlopen(base + url, timeout=60).read()
            except OSError as exc:
                log(f"warm-up {url}: {exc}")


# Load -------------------------------------------------------------------------------


def run_locust(base, scenario, users, duration, fixtures_path, run_dir, extra_env=None):
    prefix = run_dir / f"{scenario}-{users}"
    env = dict(os.environ)
    env.update(
        {
            "BENCH_FIXTURES": str(fixtures_path),
            "BENCH_SCENARIO": scenario,
            **(extra_env or {}),
        }
    )
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{duration}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    with open(run_dir / f"{scenario}-{users}.log", "w") as out:
        subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    with open(f"{prefix}_stats.csv") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}
    row = rows["Aggregated"]
    failures = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with open(failures_csv) as fh:
            failures = [
                {"error": r["Error"], "count": int(r["Occurrences"])} for r in csv.DictReader(fh)
            ]
    return {
        "scenario": scenario,
        "users": users,
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"] or 0),
        "p95_ms": float(row["95%"] or 0),
        "p99_ms": float(row["99%"] or 0),
        "failures": failures,
    }


# Database checks --------------------------------------------------------------------


def db_checks(booking_patients=()):
    from django.db import connection

    checks = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*) FROM appointments_appointment a
                JOIN appointments_appointment b
                  ON a.doctor_id = b.doctor_id AND a.id < b.id
                 AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
               WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}"""  # noqa: S608
        )
        checks["doctor_overlaps"] = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT count(*) FROM appointments_appointment a
                JOIN appointments_appointment b
                  ON a.patient_id = b.patient_id AND a.id < b.id
                 AND a.start < b."end" AND b.start < a."end"
               WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}"""  # noqa: S608
        )
        checks["patient_overlaps"] = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM appointments_appointment a WHERE NOT EXISTS (
                 SELECT 1 FROM appointments_appointmentevent e
                  WHERE e.appointment_id = a.id AND e.from_status = '')"""
        )
        checks["appointments_without_created_event"] = cursor.fetchone()[0]
        if booking_patients:
            cursor.execute(
                "SELECT count(*) FROM appointments_appointment WHERE patient_id = ANY(%s)",
                [list(booking_patients)],
            )
            checks["bench_bookings_in_db"] = cursor.fetchone()[0]
            cursor.execute(
                """SELECT count(*) FROM (
                     SELECT doctor_id, start FROM appointments_appointment
                      WHERE patient_id = ANY(%s) GROUP BY doctor_id, start
                     HAVING count(*) > 1) d""",
                [list(booking_patients)],
            )
            checks["bench_double_bookings"] = cursor.fetchone()[0]
    return checks


# Restart ----------------------------------------------------------------------------


def restart_run(args, base, server, fixtures, fixtures_path, run_dir, booking_start):
    log_path = run_dir / "restart-requests.csv"
    log_path.unlink(missing_ok=True)
    pids_before = worker_pids(server)
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    extra = {"BENCH_BOOKING_START": str(booking_start), "BENCH_REQUEST_LOG": str(log_path)}
    import threading

    result = {}

    def load():
        result["load"] = run_locust(
            base, "mixed", 20, args.restart_duration, fixtures_path, run_dir, extra
        )

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(args.restart_duration / 3)
    log(f"restarting PostgreSQL {version} (every other connection to it is dropped)")
    down = time.time()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    up = time.time()
    thread.join()
    pids_after = worker_pids(server)

    with open(log_path) as fh:
        rows = list(csv.reader(fh))
    errors = [float(r[0]) for r in rows if r[3] == "0"]
    after = [float(r[0]) for r in rows if r[3] == "1" and float(r[0]) > up]
    grace = 5.0
    outside = [t for t in errors if not (down - 0.5 <= t <= up + grace)]
    from django.db import connection

    connection.close()  # this process's own connection died with the restart
    report = {
        "restart_started": down,
        "restart_finished": up,
        "restart_seconds": round(up - down, 2),
        "requests": len(rows),
        "errors": len(errors),
        "first_error_after_restart_start_s": round(min(errors) - down, 2) if errors else None,
        "last_error_after_restart_end_s": round(max(errors) - up, 2) if errors else None,
        "errors_outside_restart_window": len(outside),
        "successes_after_restart": len(after),
        "first_success_after_restart_end_s": round(min(after) - up, 2) if after else None,
        "same_workers_before_and_after": pids_before == pids_after,
        "booking_requests": sum(1 for r in rows if r[1] == "book"),
        "load": result.get("load"),
    }
    return report


# Report -----------------------------------------------------------------------------


def print_table(results, ceilings):
    header = (
        f"{'page':<12} {'users':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>7} {'of ceiling':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ceiling = ceilings.get(r["users"])
        share = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
        print(
            f"{r['scenario']:<12} {r['users']:>5} {r['rps']:>8.1f} {r['p50_ms']:>7.0f} "
            f"{r['p95_ms']:>7.0f} {r['p99_ms']:>7.0f} {r['errors']:>7} {share:>10}"
        )


def evaluate(results, ceilings, top):
    verdicts = {}
    for r in results:
        target = TARGETS.get(r["scenario"])
        if not target or r["users"] != top:
            continue
        ok, notes = r["errors"] == 0, []
        if "ceiling_fraction" in target and ceilings.get(top):
            share = r["rps"] / ceilings[top]
            ok &= share >= target["ceiling_fraction"]
            notes.append(f"{share:.0%} of ceiling (target {target['ceiling_fraction']:.0%})")
        if "p95_ms" in target:
            ok &= r["p95_ms"] < target["p95_ms"]
            notes.append(f"p95 {r['p95_ms']:.0f} ms (target < {target['p95_ms']})")
        if "rps" in target:
            ok &= r["rps"] >= target["rps"]
            notes.append(f"{r['rps']:.0f}/s (target >= {target['rps']})")
        notes.append(f"{r['errors']} errors")
        verdicts[r["scenario"]] = {"met": bool(ok), "notes": "; ".join(notes)}
    return verdicts


def main():
    args = parse_args()
    levels = [int(n) for n in args.users.split(",") if n]
    scenarios = [s for s in args.scenarios.split(",") if s]
    if not shutil.which(str(BIN / "locust")):
        sys.exit("locust is missing: pip install -e '.[bench]'")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_dir = VAR / stamp
    run_dir.mkdir(parents=True, exist_ok=True)
    env = server_environment(args)
    setup_django(env)
    report = {
        "started": stamp,
        "machine": {
            "cores": os.cpu_count(),
            "load_average_before": load_average(),
            "uptime_before": subprocess.run(["uptime"], capture_output=True, text=True).stdout,
        },
        "server": {
            "gunicorn_workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
            "settings": "DJANGO_DEBUG=0, Redis cache + cached_db sessions, MFA required",
        },
        "duration_s": args.duration,
        "data": data_counts(),
    }
    log(f"data: {report['data']}; load average {report['machine']['load_average_before']}")
    fixtures_path = run_dir / "fixtures.json"
    fixtures = prepare_fixtures(args, stamp, fixtures_path)
    # As a deploy would: every doctor's next free slot and page computed ahead.
    started = time.monotonic()
    warm = subprocess.run(
        [str(BIN / "python"), "manage.py", "warm_directory_cache"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    report["warm_directory_cache"] = warm.stdout.strip()
    log(f"{warm.stdout.strip()} ({time.monotonic() - started:.0f} s with start-up)")
    server, base = start_server(args, env, run_dir)
    results, booking_start = [], 0
    try:
        warm_up(base, fixtures)
        report["workers_at_start"] = worker_pids(server)
        if not args.restart_only:
            for scenario in scenarios:
                for users in levels:
                    extra = {}
                    next_file = run_dir / f"book-{users}.next"
                    if scenario == "book":
                        extra["BENCH_BOOKING_START"] = str(booking_start)
                        extra["BENCH_BOOKING_NEXT"] = str(next_file)
                    result = run_locust(
                        base, scenario, users, args.duration, fixtures_path, run_dir, extra
                    )
                    if scenario == "book":
                        result["booking_start"] = booking_start
                        # Requests cut off at the end may have taken a slot too.
                        fallback = booking_start + result["requests"] + users
                        handed_out = int(next_file.read_text()) if next_file.exists() else fallback
                        booking_start = max(handed_out, fallback)
                        result["booked"] = result["requests"] - result["errors"]
                    results.append(result)
                    log(
                        f"{scenario} x{users}: {result['rps']:.1f} req/s, "
                        f"p95 {result['p95_ms']:.0f} ms, {result['errors']} errors"
                    )
        report["results"] = results
        ceilings = {r["users"]: r["rps"] for r in results if r["scenario"] == "ceiling"}
        report["ceilings"] = ceilings
        for r in results:
            if ceilings.get(r["users"]):
                r["ceiling_fraction"] = round(r["rps"] / ceilings[r["users"]], 3)
        if args.restart_db or args.restart_only:
            report["restart"] = restart_run(
                args, base, server, fixtures, fixtures_path, run_dir, booking_start
            )
        report["workers_at_end"] = worker_pids(server)
    finally:
        stop_server(server)
    log("checking the database")
    report["database_checks"] = db_checks(fixtures["booking_patients"])
    booked = sum(r.get("booked", 0) for r in results)
    report["database_checks"]["bench_bookings_counted_by_locust"] = booked
    report["machine"]["load_average_after"] = load_average()
    report["verdicts"] = evaluate(results, report["ceilings"], max(levels))

    print()
    print(
        f"MedConnect bench {stamp}: {report['data']['appointments']:,} appointments, "
        f"{report['data']['doctors']:,} doctors; gunicorn {args.workers} {args.worker_class} "
        f"workers; {args.duration}s per run; load average before "
        f"{', '.join(f'{x:.2f}' for x in report['machine']['load_average_before'])}"
    )
    print_table(results, report["ceilings"])
    print()
    for name, verdict in report["verdicts"].items():
        print(f"{'MET ' if verdict['met'] else 'MISS'} {name}: {verdict['notes']}")
    print(f"database: {report['database_checks']}")
    if "restart" in report:
        restart = {k: v for k, v in report["restart"].items() if k != "load"}
        print(f"restart: {restart}")
    out = VAR / f"{stamp}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
