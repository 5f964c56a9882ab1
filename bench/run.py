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

Run from the repository root as `python -m bench.run` (what `make bench` does);
each step above lives in a module beside this one: environment, fixtures, server,
load, checks, report.
"""

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time

from .checks import db_checks
from .environment import (
    BIN,
    ROOT,
    VAR,
    load_average,
    log,
    server_environment,
    setup_django,
)
from .fixtures import data_counts, prepare_fixtures
from .load import restart_run, run_locust
from .report import evaluate, print_report
from .server import start_server, stop_server, warm_up, worker_pids

SCENARIOS = [
    "ceiling",
    "bare",
    "home",
    "login",
    "search",
    "doctor_page",
    "api_search",
    "api_slots",
    "dashboard",
    "appointments",
    "agenda",
    "clinic_dashboard",
    "doctor_dashboard",
    "admin_appointments",
    "book",
    "mixed",
]
# With --no-page-cache: these again, on a server without the rendered-page cache.
NO_PAGE_CACHE_SCENARIOS = ["ceiling", "search_nocache", "doctor_page_nocache", "api_search_nocache"]
BOOKING_SCENARIOS = ("book", "mixed")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="10,50", help="Concurrency levels (default 10,50).")
    parser.add_argument("--duration", type=int, default=20, help="Seconds per run (default 20).")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="Comma-separated subset to run."
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="Then restart the server without the page cache and run search, doctor page "
        "and API search again (reported as <page>_nocache).",
    )
    parser.add_argument(
        "--skip-warm",
        action="store_true",
        help="Do not compute the directory cache first (it is still warm from a run just before).",
    )
    parser.add_argument(
        "--skip-collectstatic",
        action="store_true",
        help="Serve the static files collected by an earlier run.",
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


def _report_start(args, stamp):
    """The report's first facts: the machine, the server's settings, the data size."""
    return {
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


def _warm_directory_cache(env):
    """As a deploy would: every doctor's next free slot and page computed ahead."""
    started = time.monotonic()
    warm = subprocess.run(
        [str(BIN / "python"), "manage.py", "warm_directory_cache"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    log(f"{warm.stdout.strip()} ({time.monotonic() - started:.0f} s with start-up)")
    return warm.stdout.strip()


def _run_scenarios(args, base, scenarios, levels, fixtures_path, run_dir, booking_start=0):
    """Every scenario at every level; bookings go on from the slots earlier runs took.
    Returns the results and the index of the next free slot to book."""
    results = []
    for scenario in scenarios:
        for users in levels:
            extra = {}
            next_file = run_dir / f"{scenario}-{users}.next"
            if scenario in BOOKING_SCENARIOS:
                extra["BENCH_BOOKING_START"] = str(booking_start)
                extra["BENCH_BOOKING_NEXT"] = str(next_file)
            result = run_locust(base, scenario, users, args.duration, fixtures_path, run_dir, extra)
            if scenario in BOOKING_SCENARIOS:
                bookings = result["pages"].get("book", result) if result["pages"] else result
                result["booking_start"] = booking_start
                # Requests cut off at the end may have taken a slot too.
                fallback = booking_start + bookings["requests"] + users
                handed_out = int(next_file.read_text()) if next_file.exists() else fallback
                booking_start = max(handed_out, fallback)
                result["booked"] = bookings["requests"] - bookings["errors"]
            results.append(result)
            log(
                f"{scenario} x{users}: {result['rps']:.1f} req/s, "
                f"p95 {result['p95_ms']:.0f} ms, {result['errors']} errors"
            )
    return results, booking_start


def _ceilings(results):
    """The ceiling's rate at each level (the first server's); every run at that level
    gets its share of it, and of the bare view's."""
    ceilings, bare = {}, {}
    for r in results:
        if r["scenario"] == "ceiling":
            ceilings.setdefault(r["users"], r["rps"])
        if r["scenario"] == "bare":
            bare.setdefault(r["users"], r["rps"])
    for r in results:
        if ceilings.get(r["users"]):
            r["ceiling_fraction"] = round(r["rps"] / ceilings[r["users"]], 3)
        if bare.get(r["users"]):
            r["bare_fraction"] = round(r["rps"] / bare[r["users"]], 3)
    return ceilings


def _no_page_cache_run(args, env, levels, fixtures, fixtures_path, run_dir, booking_start):
    """The directory pages and the API search again, served without the page cache."""
    log("restarting the server without the page cache")
    server, base = start_server(args, {**env, "MEDCONNECT_SLOT_CACHE_SECONDS": "0"}, run_dir)
    try:
        warm_up(base, fixtures)
        results, _ = _run_scenarios(
            args, base, NO_PAGE_CACHE_SCENARIOS, levels, fixtures_path, run_dir, booking_start
        )
    finally:
        stop_server(server)
    # The second server's ceiling is kept apart: ratios use the first one's.
    for r in results:
        if r["scenario"] == "ceiling":
            r["scenario"] = "ceiling_nocache_server"
    return results


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
    report = _report_start(args, stamp)
    log(f"data: {report['data']}; load average {report['machine']['load_average_before']}")
    fixtures_path = run_dir / "fixtures.json"
    fixtures = prepare_fixtures(args, stamp, fixtures_path)
    if not args.skip_warm:
        report["warm_directory_cache"] = _warm_directory_cache(env)
    server, base = start_server(args, env, run_dir)
    results, booking_start = [], 0
    try:
        warm_up(base, fixtures)
        report["workers_at_start"] = worker_pids(server)
        if not args.restart_only:
            results, booking_start = _run_scenarios(
                args, base, scenarios, levels, fixtures_path, run_dir
            )
        report["results"] = results
        report["ceilings"] = _ceilings(results)
        if args.restart_db or args.restart_only:
            report["restart"] = restart_run(
                args, base, server, fixtures, fixtures_path, run_dir, booking_start
            )
        report["workers_at_end"] = worker_pids(server)
    finally:
        stop_server(server)
    if args.no_page_cache and not args.restart_only:
        results += _no_page_cache_run(
            args, env, levels, fixtures, fixtures_path, run_dir, booking_start
        )
    report["results"] = results
    report["ceilings"] = _ceilings(results)
    log("checking the database")
    report["database_checks"] = db_checks(fixtures["booking_patients"])
    booked = sum(r.get("booked", 0) for r in results)
    report["database_checks"]["bench_bookings_counted_by_locust"] = booked
    report["machine"]["load_average_after"] = load_average()
    report["verdicts"] = evaluate(results, report["ceilings"], max(levels))
    print_report(report, results, args, stamp)


if __name__ == "__main__":
    main()
