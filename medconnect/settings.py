"""MedConnect settings.

Every production switch is an environment variable read here, with a default
that works on a fresh machine (SQLite under var/, local-memory cache, email to
the console and to files). The README lists them all.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_choice, env_float, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


VAR_DIR = Path(env_str("MEDCONNECT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG-1"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "guardian",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "js_lib_bootstrap_icons",
    "django_tasks",
    "operations.task_results.TaskResultsConfig",
    "accounts",
    "audit",
    "encryption",
    "doctors",
    "patients",
    "notifications",
    "appointments",
    "schedules",
    "directory",
    "waitlist",
    "availability",
    "records",
    "prescriptions",
    "billing",
    "network",
    "messaging",
    "frontdesk",
    "exports",
    "analytics",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "interop",
    "assistant",
    "seeding",
    "operations",
]

MIDDLEWARE = [
    # First: every log line of the request, and every task it queues, carries its id.
    "operations.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "medconnect.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "medconnect.middleware.RejectNulBytesMiddleware",
    "medconnect.middleware.RejectDeepJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (a saved choice), before CommonMiddleware (which may redirect).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person reads in the language saved on their account.
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Before the session timeout, which tells the person why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "medconnect.urls"
WSGI_APPLICATION = "medconnect.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "messaging.context_processors.unread_messages",
                "doctors.context_processors.doctor_verification",
            ],
        },
    },
]

# Database: SQLite under var/ by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "medconnect.sqlite3",
            # IMMEDIATE takes the write lock when a transaction starts, so two
            # bookings can never interleave their check and their insert.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "CONN_HEALTH_CHECKS": True,
        }
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and rate limits: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "medconnect.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("MEDCONNECT_CACHE_PREFIX", "medconnect"),
            # A Redis that does not answer within this is treated as down (a miss).
            "OPTIONS": {
                "socket_timeout": env_float("MEDCONNECT_REDIS_TIMEOUT_SECONDS", 0.5),
                "socket_connect_timeout": env_float("MEDCONNECT_REDIS_TIMEOUT_SECONDS", 0.5),
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Free slots per doctor, visit type and day are cached this long (0: off), under a
# version every schedule change replaces (appointments/slots.py). Only a cache every
# server process shares can be invalidated by all of them, hence on with Redis only.
# Free slots kept in the database for this many days ahead (availability app);
# further dates are computed on request.
MEDCONNECT_AVAILABILITY_DAYS = env_int("MEDCONNECT_AVAILABILITY_DAYS", 31)
MEDCONNECT_SLOT_CACHE_SECONDS = env_int("MEDCONNECT_SLOT_CACHE_SECONDS", 600 if REDIS_URL else 0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian anonymous user row: anonymous visitors hold no object permissions.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("MEDCONNECT_FAST_PASSWORD_HASHER", False):
    # Tests only: the default hasher is deliberately slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email login, mandatory verification, rate limits, TOTP.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MedConnect] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("MEDCONNECT_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MedConnect"
# TOTP secrets and recovery seeds are encrypted with the clinical-text keys.
MFA_ADAPTER = "encryption.mfa.EncryptedMFAAdapter"

# Two-factor is required for doctors and staff whenever debug is off; the
# local demo may switch it off with MEDCONNECT_REQUIRE_MFA=0.
MEDCONNECT_REQUIRE_MFA = env_bool("MEDCONNECT_REQUIRE_MFA", not DEBUG)

# Sessions: idle timeout and an absolute lifetime, both enforced by
# accounts.middleware.SessionTimeoutMiddleware.
MEDCONNECT_SESSION_IDLE_SECONDS = env_int("MEDCONNECT_SESSION_IDLE_SECONDS", 15 * 60)
MEDCONNECT_SESSION_MAX_AGE_SECONDS = env_int("MEDCONNECT_SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = MEDCONNECT_SESSION_MAX_AGE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# English and Hindi. Anonymous visitors get the language their browser asks for
# (Accept-Language) or the one they picked; a signed-in person the one saved on
# their account. English dates keep the British order they always had: the formats
# of "en" come from medconnect/formats/en (as en-gb's), those of "hi" from
# medconnect/formats/hi.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिंदी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["medconnect.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = env_str("MEDCONNECT_TIME_ZONE", "Asia/Kolkata")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes (nginx or WhiteNoise serve it); several nodes or
# releases may share one folder.
STATIC_ROOT = Path(env_str("MEDCONNECT_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files live outside any public URL; they are served only through
# access-checked views. S3-compatible storage when MEDCONNECT_S3_BUCKET is set.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private-media"
S3_BUCKET = env_str("MEDCONNECT_S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("MEDCONNECT_S3_ENDPOINT_URL") or None,
            "access_key": env_str("MEDCONNECT_S3_ACCESS_KEY") or None,
            "secret_key": env_str("MEDCONNECT_S3_SECRET_KEY") or None,
            "region_name": env_str("MEDCONNECT_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = None
FILE_UPLOAD_PERMISSIONS = 0o600
MEDCONNECT_MAX_UPLOAD_BYTES = env_int("MEDCONNECT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Images (documents, doctor photos) with more pixels are refused before decoding.
MEDCONNECT_MAX_IMAGE_PIXELS = env_int("MEDCONNECT_MAX_IMAGE_PIXELS", 50_000_000)

# Encryption at rest for clinical free text, messages and attachments: a
# comma-separated list of Fernet keys, newest first (MultiFernet). In
# development a key is generated once under var/ when none is set.
MEDCONNECT_ENCRYPTION_KEYS = env_list("MEDCONNECT_ENCRYPTION_KEYS", [])
MEDCONNECT_DEV_KEY_FILE = VAR_DIR / "encryption.key"

# Email: SMTP when EMAIL_HOST is set; otherwise the console plus one file per
# message under var/mail/.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    # Production without SMTP keeps email out of the logs: files only.
    EMAIL_BACKEND = (
        "accounts.email_backends.ConsoleAndFileBackend"
        if DEBUG
        else "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MedConnect <no-reply@medconnect.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MEDCONNECT_SITE_URL = env_str("MEDCONNECT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MEDCONNECT_CLINIC_NAME = env_str("MEDCONNECT_CLINIC_NAME", "MedConnect Clinic")
# Online visits: a room on this video service (a self-hostable Jitsi Meet).
MEDCONNECT_VIDEO_BASE_URL = env_str("MEDCONNECT_VIDEO_BASE_URL", "https://meet.jit.si/").rstrip("/")
# The video link opens this many minutes before the visit starts.
MEDCONNECT_VIDEO_OPENS_MINUTES = env_int("MEDCONNECT_VIDEO_OPENS_MINUTES", 15)

# Background work: django-tasks. "database" (the default, one machine or several
# against one database: `manage.py worker` runs db_worker) or "rq" (Redis queues for
# many worker nodes: `manage.py worker` runs rqworker). Both carry the request id of
# the request that queued a task into the worker's log lines (operations/).
_TASK_BACKENDS = {
    "database": "operations.task_backends.DatabaseBackend",
    "rq": "operations.rq_backend.RQBackend",
}
MEDCONNECT_TASKS_BACKEND = env_str("MEDCONNECT_TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(MEDCONNECT_TASKS_BACKEND, MEDCONNECT_TASKS_BACKEND),
    }
}
if TASKS["default"]["BACKEND"] == _TASK_BACKENDS["rq"]:
    # A task that cannot reach Redis is kept in the database (operations.TaskOutbox)
    # and queued again by the scheduler once Redis answers.
    if not REDIS_URL:
        raise ImproperlyConfigured("The RQ task backend needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {
        "default": {
            "URL": env_str("MEDCONNECT_TASKS_REDIS_URL", REDIS_URL),
            "DEFAULT_TIMEOUT": env_int("MEDCONNECT_TASK_TIMEOUT_SECONDS", 1800),
        }
    }

# Periodic jobs (`manage.py scheduler`), each run once per period on one worker however
# many schedulers run: name -> (dotted path of a task or function, every[, at]); every:
# seconds, "5m", "2h", "daily", "weekly" (Mondays) or "monthly" (the 1st); at: "HH:MM"
# in the clinic's time zone for the calendar periods. Adding a job is adding a line.
MEDCONNECT_SWEEP_EVERY = env_str("MEDCONNECT_SWEEP_EVERY", "5m")
MEDCONNECT_PERIODIC_JOBS = {
    "reminder-sweep": ("appointments.reminders.send_due_reminders", MEDCONNECT_SWEEP_EVERY),
    "waitlist-offer-expiry": ("waitlist.tasks.expire_due_offers", MEDCONNECT_SWEEP_EVERY),
    "worker-heartbeat": ("operations.tasks.worker_heartbeat", "1m"),
    # Stored free slots: drop past days, lay out new ones, renew next slots.
    "availability-roll-forward": ("availability.tasks.roll_forward", "1m"),
    # Clinic figures: recount yesterday and today of every doctor; last month's
    # report of each doctor whose local month has turned (each made once).
    "analytics-rollup-catch-up": ("analytics.tasks.rollup_catch_up", "1h"),
    "analytics-monthly-reports": ("analytics.tasks.generate_monthly_reports", "1h"),
    "backup": ("operations.tasks.backup", "daily", env_str("MEDCONNECT_BACKUP_AT", "02:30")),
    # Export files past their download window are deleted.
    "export-expiry": (
        "exports.tasks.expire_exports",
        env_str("MEDCONNECT_EXPORT_EXPIRY_EVERY", "15m"),
    ),
}
MEDCONNECT_SCHEDULER_TICK_SECONDS = env_float("MEDCONNECT_SCHEDULER_TICK_SECONDS", 5)

# Backups (`manage.py backup` / `restore`): one folder per set, the newest kept.
MEDCONNECT_BACKUP_DIR = Path(env_str("MEDCONNECT_BACKUP_DIR", str(VAR_DIR / "backups")))
MEDCONNECT_BACKUP_KEEP = env_int("MEDCONNECT_BACKUP_KEEP", 14)
# A Fernet key (not one of the clinical-text keys): sets are encrypted when given.
MEDCONNECT_BACKUP_ENCRYPTION_KEY = env_str("MEDCONNECT_BACKUP_ENCRYPTION_KEY")
# pg_dump / pg_restore of a version at least the server's, e.g. /usr/lib/postgresql/16/bin.
MEDCONNECT_PG_BIN_DIR = env_str("MEDCONNECT_PG_BIN_DIR")

# /health/: what it reports, and which parts answer 503 when they fail.
MEDCONNECT_HEALTH_REQUIRED = env_list("MEDCONNECT_HEALTH_REQUIRED", ["database"])
MEDCONNECT_HEALTH_WORKER_MAX_AGE_SECONDS = env_int("MEDCONNECT_HEALTH_WORKER_MAX_AGE_SECONDS", 300)
MEDCONNECT_HEALTH_QUEUE_LAG_SECONDS = env_int("MEDCONNECT_HEALTH_QUEUE_LAG_SECONDS", 300)
MEDCONNECT_HEALTH_BACKUP_MAX_AGE_HOURS = env_int("MEDCONNECT_HEALTH_BACKUP_MAX_AGE_HOURS", 26)

# Reminders before each confirmed appointment, this many hours before it starts;
# a failed email is retried with backoff (the delay doubles) up to the attempts.
MEDCONNECT_REMINDER_OFFSETS_HOURS = env_int_list("MEDCONNECT_REMINDER_OFFSETS_HOURS", [24, 2])
MEDCONNECT_REMINDER_MAX_ATTEMPTS = env_int("MEDCONNECT_REMINDER_MAX_ATTEMPTS", 3)
MEDCONNECT_REMINDER_RETRY_MINUTES = env_int("MEDCONNECT_REMINDER_RETRY_MINUTES", 5)
# Waitlist: a freed slot is held this long for the patient it is offered to.
MEDCONNECT_WAITLIST_CLAIM_MINUTES = env_int("MEDCONNECT_WAITLIST_CLAIM_MINUTES", 30)
# A treating relationship ends this many months after the patient's last completed visit.
MEDCONNECT_TREATING_MONTHS = env_int("MEDCONNECT_TREATING_MONTHS", 12)
# The doctor network: a referral's grant ends this many days after the referral closes;
# an urgent referral not accepted within this many working days, or a visit with no
# report this many days later, is flagged overdue.
MEDCONNECT_REFERRAL_GRANT_DAYS = env_int("MEDCONNECT_REFERRAL_GRANT_DAYS", 90)
MEDCONNECT_REFERRAL_URGENT_ACCEPT_WORKING_DAYS = env_int(
    "MEDCONNECT_REFERRAL_URGENT_ACCEPT_WORKING_DAYS", 2
)
MEDCONNECT_REFERRAL_REPORT_DAYS = env_int("MEDCONNECT_REFERRAL_REPORT_DAYS", 14)

# CSV exports (exports/): a finished file can be downloaded for this many hours, then
# the expiry job deletes it; rows are read from the database in chunks of
# CHUNK_SIZE and the progress bar moves every PROGRESS_EVERY rows; a person has at
# most MAX_OPEN exports waiting or running; a staff period spans at most MAX_DAYS.
MEDCONNECT_EXPORT_RETENTION_HOURS = env_int("MEDCONNECT_EXPORT_RETENTION_HOURS", 24)
MEDCONNECT_EXPORT_CHUNK_SIZE = env_int("MEDCONNECT_EXPORT_CHUNK_SIZE", 2000)
MEDCONNECT_EXPORT_PROGRESS_EVERY = env_int("MEDCONNECT_EXPORT_PROGRESS_EVERY", 1000)
MEDCONNECT_EXPORT_POLL_SECONDS = env_int("MEDCONNECT_EXPORT_POLL_SECONDS", 2)
MEDCONNECT_EXPORT_MAX_OPEN = env_int("MEDCONNECT_EXPORT_MAX_OPEN", 3)
MEDCONNECT_EXPORT_MAX_DAYS = env_int("MEDCONNECT_EXPORT_MAX_DAYS", 3660)

# The assistant: the number its emergency reply gives, how many messages one person
# may send (per user, or per IP when signed out), and where non-emergency answers
# come from (the local matcher; a hosted language model could be plugged in here).
MEDCONNECT_EMERGENCY_NUMBER = env_str("MEDCONNECT_EMERGENCY_NUMBER", "112")
MEDCONNECT_ASSISTANT_RATE = env_str("MEDCONNECT_ASSISTANT_RATE", "20/minute")
MEDCONNECT_ASSISTANT_BACKEND = env_str(
    "MEDCONNECT_ASSISTANT_BACKEND", "assistant.backends.LocalBackend"
)

# REST API v1 and FHIR R4 (api/, fhir/): allauth's headless session tokens
# (X-Session-Token) or the browser's session cookie with CSRF; 401 for anonymous
# callers, a page of 25 per list, per-user and per-IP rate limits.
HEADLESS_CLIENTS = ("app", "browser")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsAuthenticatedWithMFA"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("MEDCONNECT_API_PAGE_SIZE", 25),
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("MEDCONNECT_API_ANON_RATE", "60/minute"),
        "user": env_str("MEDCONNECT_API_USER_RATE", "600/minute"),
    },
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MedConnect API",
    "DESCRIPTION": (
        "REST API v1 for MedConnect client apps. Sign in through /_allauth/app/v1/auth/login "
        "and send the session token in the X-Session-Token header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_page_errors",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AppointmentModeEnum": "appointments.models.Mode",
        "ModeOfferEnum": "appointments.models.ModeOffer",
        "AppointmentStatusEnum": "appointments.models.AppointmentStatus",
        "RecordStatusEnum": "records.models.RecordStatus",
        "PrescriptionStatusEnum": "prescriptions.models.PrescriptionStatus",
        "InvoiceStatusEnum": "billing.models.InvoiceStatus",
        "VerificationStatusEnum": "doctors.models.VerificationStatus",
        "DocumentKindEnum": "records.models.DocumentKind",
        "InvoiceLineKindEnum": "billing.models.LineKind",
        "ConnectionStatusEnum": "network.models.ConnectionStatus",
        "ReferralStatusEnum": "network.models.ReferralStatus",
        "ReferralConsentStatusEnum": "network.models.ConsentStatus",
        "ReferralUrgencyEnum": "network.models.Urgency",
        "HistorySectionEnum": "network.models.HistorySection",
        "ThreadKindEnum": "messaging.models.ThreadKind",
        "ExportKindEnum": "exports.models.ExportKind",
        "ExportStatusEnum": "exports.models.ExportStatus",
    },
}

# Security headers; the HTTPS switches are on whenever debug is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /health/ is probed by a load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Logs: one JSON object per line (structlog), each with the request id; no personal
# data or clinical text is logged (operations/logging.py scrubs what a library adds).
MEDCONNECT_LOG_FORMAT = env_choice(
    "MEDCONNECT_LOG_FORMAT", "console" if DEBUG else "json", ("json", "console")
)
MEDCONNECT_LOG_LEVEL = env_str("MEDCONNECT_LOG_LEVEL", "WARNING" if DEBUG else "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "operations.logging.formatter",
            "renderer": MEDCONNECT_LOG_FORMAT,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": MEDCONNECT_LOG_LEVEL},
    # Django's "Not Found: <path>" lines would repeat addresses that name people.
    "loggers": {"django.request": {"level": "ERROR"}, "rq.worker": {"level": "WARNING"}},
}

# Prometheus metrics at /metrics/: off unless MEDCONNECT_METRICS=1, and then only
# for a scraper that sends `Authorization: Bearer <MEDCONNECT_METRICS_TOKEN>`.
MEDCONNECT_METRICS = env_bool("MEDCONNECT_METRICS", False)
MEDCONNECT_METRICS_TOKEN = env_str("MEDCONNECT_METRICS_TOKEN")
if MEDCONNECT_METRICS:
    if len(MEDCONNECT_METRICS_TOKEN) < 16:
        raise ImproperlyConfigured(
            "MEDCONNECT_METRICS=1 needs MEDCONNECT_METRICS_TOKEN (16+ chars)."
        )
    INSTALLED_APPS += ["django_prometheus"]
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
    # Query counts and timings per database (the engine wrapped by django-prometheus).
    _engine = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    DATABASES["default"]["ENGINE"] = f"django_prometheus.db.backends.{_engine}"

# Errors to Sentry when SENTRY_DSN is set, with personal data scrubbed.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
if SENTRY_DSN:
    from operations.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE
    )
