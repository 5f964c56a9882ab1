"""Locust runs: one headless run per scenario and concurrency level, and the mixed
run during which PostgreSQL is restarted once."""

import csv
import os
import subprocess
import threading
import time
from pathlib import Path

from .environment import BIN, ROOT, log
from .server import worker_pids


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
    # Each page's own figures when the run mixed several.
    pages = {
        name: {
            "requests": int(r["Request Count"]),
            "errors": int(r["Failure Count"]),
            "rps": float(r["Requests/s"]),
            "p50_ms": float(r["50%"] or 0),
            "p95_ms": float(r["95%"] or 0),
        }
        for name, r in rows.items()
        if name != "Aggregated"
    }
    return {
        "scenario": scenario,
        "users": users,
        "pages": pages if len(pages) > 1 else {},
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"] or 0),
        "p95_ms": float(row["95%"] or 0),
        "p99_ms": float(row["99%"] or 0),
        "failures": failures,
    }


def restart_run(args, base, server, fixtures, fixtures_path, run_dir, booking_start):
    log_path = run_dir / "restart-requests.csv"
    log_path.unlink(missing_ok=True)
    pids_before = worker_pids(server)
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    extra = {"BENCH_BOOKING_START": str(booking_start), "BENCH_REQUEST_LOG": str(log_path)}

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
