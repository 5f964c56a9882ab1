"""The gunicorn server under load: started on loopback, warmed up, stopped."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

from .environment import BIN, ROOT, log


def start_server(args, env, run_dir):
    if not getattr(args, "skip_collectstatic", False):
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
    urls = ["/bench/ceiling/", "/bench/bare/", "/", "/accounts/login/", "/find-a-doctor/"]
    urls += ["/api/v1/doctors/"]
    urls += [f"/find-a-doctor/{pk}/" for pk in fixtures["doctors"][:3]]
    for _round in range(3):
        for url in urls:
            try:
                urllib.request.urlopen(base + url, timeout=60).read()
            except OSError as exc:
                log(f"warm-up {url}: {exc}")
