"""Where the bench runs and with what: paths, the log line, and the production-like
environment of the server it starts."""

import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average():
    return list(os.getloadavg())


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
            # The sessions are made before the run, which can outlast the 15-minute
            # idle timeout on a slow machine: signed-in pages would measure the redirect.
            "MEDCONNECT_SESSION_IDLE_SECONDS": str(6 * 3600),
        }
    )
    return env


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
