"""dualtrack settings: one file, driven by the environment.

Production differs from development only by environment variables; the system checks in
``dualtrack.core.checks`` refuse to run a production deployment with development secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Development defaults; the checks in dualtrack.core.checks fail a DEBUG=False deployment that
# still uses them.
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtISE="  # 32 bytes, base64
DEV_LOOKUP_KEY = "ZGV2LW9ubHktbG9va3VwLWtleS1kby1ub3QtdXNlLSE="

SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# AES-256-GCM key for personal data at rest (ID numbers, phones), base64 of 32 bytes.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", DEV_FIELD_KEY)
# HMAC-SHA256 key for the exact-lookup digests of the same fields.
FIELD_LOOKUP_KEY = os.environ.get("FIELD_LOOKUP_KEY", DEV_LOOKUP_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "axes",
    "ninja",
    "dualtrack.core",
    "dualtrack.areas",
    "dualtrack.checkpoints",
    "dualtrack.enterprises",
    "dualtrack.supplies",
    "dualtrack.health",
    "dualtrack.prediction",
    "dualtrack.jobs",
    "dualtrack.services",
    "dualtrack.investment",
    "dualtrack.volunteers",
    "dualtrack.subsidies",
    "dualtrack.command",
    "dualtrack.dashboard",
    "dualtrack.ops",
    "dualtrack.demo",
]

MIDDLEWARE = [
    # First: the request id, the JSON request log and the metrics see every answer.
    "dualtrack.ops.middleware.RequestObservabilityMiddleware",
    # Reads of read-only requests on the replica, when there is one (dualtrack.ops.routing).
    "dualtrack.ops.routing.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dualtrack.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dualtrack.areas.context_processors.scope",
                "dualtrack.dashboard.context_processors.wall_screen",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The hot paths' hand-written statements (dualtrack.core.sql) bind on the server and are
    # prepared on their second use on a connection; the ORM's own queries bind on the client
    # and are never prepared. Behind a transaction-mode pooler older than PgBouncer 1.22, set
    # DB_PREPARE_THRESHOLD=off.
    threshold = os.environ.get("DB_PREPARE_THRESHOLD", "1")
    DATABASES["default"]["OPTIONS"] = {
        "prepare_threshold": None if threshold == "off" else int(threshold)
    }
    # A transaction-mode pooler cannot keep a cursor open across transactions either.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DB_DISABLE_SERVER_SIDE_CURSORS", threshold == "off"
    )
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}

# A streaming replica of a PostgreSQL primary takes the reads of read-only requests
# (dualtrack.ops.routing; docs/operations.md); reads go back to the primary while it lags by
# more than DATABASE_REPLICA_MAX_LAG_SECONDS or does not answer.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", "10"))
if (
    DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://"))
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dualtrack.ops.routing.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): by username and address together, so that
# one attacker cannot lock every user out from one address, nor one user from everywhere.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF],  # the checkpoint page's offline service worker
    "manifest-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "dualtrack_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico, also for the API's JSON and the PDFs),
# served by WhiteNoise so they never reach a view, a template or a cookie.
WHITENOISE_ROOT = BASE_DIR / "dualtrack" / "core" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Every log line carries the request id of the request it was written in; the request log
# (dualtrack.requests, one JSON line a request) goes to stderr beside the others.
REQUEST_LOG = env_bool("REQUEST_LOG", True)
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": every line a JSON object
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dualtrack.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "dualtrack.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
        "requests": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "dualtrack.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False}
    },
}

# Operations: /healthz and /metrics (docs/operations.md).
# /metrics answers these addresses or networks, and any caller with METRICS_TOKEN as a bearer
# token; behind a proxy on the same machine every client is loopback: deny it there too.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
HEALTH_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("HEALTH_REPLICA_MAX_LAG_SECONDS", "30"))
HEALTH_REPLICA_CACHE_SECONDS = 5.0
HEALTH_QUEUE_MAX_WAIT_SECONDS = float(os.environ.get("HEALTH_QUEUE_MAX_WAIT_SECONDS", "300"))
HEALTH_DISK_MIN_FREE_MB = int(os.environ.get("HEALTH_DISK_MIN_FREE_MB", "200"))
HEALTH_DISK_LOW_RATIO = 0.10
WORKER_HEARTBEAT_SECONDS = 10.0
WORKER_HEARTBEAT_STALE_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_STALE_SECONDS", "60"))

NINJA_PAGINATION_MAX_LIMIT = 200

# Shared by every gunicorn worker and app server: the cache and the sessions in the database, or
# with REDIS_URL (redis://host:port/db) the cache, the sessions and the rate limits' counts in
# Redis (docs/operations.md). Redis keeps them in memory: a restarted Redis signs everyone out.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends."
        + ("redis.RedisCache" if REDIS_URL else "db.DatabaseCache"),
        "LOCATION": REDIS_URL or "dualtrack_cache",
    }
}
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# A TrueType/OpenType font with Chinese glyphs, embedded in PDFs and drawn into PNG posters.
# Without one, PDFs fall back to the viewer's own CJK font (STSong-Light, not embedded).
CJK_FONT_PATHS = env_list(
    "CJK_FONT_PATHS",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc,"
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,"
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

# Checkpoints (卡点)
FEVER_THRESHOLD_CELSIUS = float(os.environ.get("FEVER_THRESHOLD_CELSIUS", "37.3"))
# Days of quarantine for a worker back from a region on the risk-area list on the day of return.
QUARANTINE_DAYS = int(os.environ.get("QUARANTINE_DAYS", "14"))
# Contact searches (密接排查): passages at the same gate within ±this many minutes of a case's,
# during the exposure window from this many days before onset (or sampling) to isolation.
CONTACT_TOLERANCE_MINUTES = int(os.environ.get("CONTACT_TOLERANCE_MINUTES", "15"))
CONTACT_DAYS_BEFORE = int(os.environ.get("CONTACT_DAYS_BEFORE", "2"))
ALERT_ESCALATION_MINUTES = int(os.environ.get("ALERT_ESCALATION_MINUTES", "30"))
# How often the wall screen asks for its panels' data again (seconds).
DASHBOARD_REFRESH_SECONDS = float(os.environ.get("DASHBOARD_REFRESH_SECONDS", "10"))
# An overdue directive escalates to the issuer's superior this many hours after its deadline.
DIRECTIVE_ESCALATION_HOURS = int(os.environ.get("DIRECTIVE_ESCALATION_HOURS", "24"))
PASSAGE_RETENTION_DAYS = int(os.environ.get("PASSAGE_RETENTION_DAYS", "28"))
PASSAGE_SYNC_MAX_ROWS = 5000
SELF_REGISTRATION_RATE = os.environ.get("SELF_REGISTRATION_RATE", "20/m")  # per client address

# Enterprises (复工复产)
DAILY_REPORT_DEADLINE_HOUR = 12  # workers on duty at 24:00 are reported by 12:00 the next day
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# Health (防疫): quarantine checks are due twice a day, the morning's by 12:00 and the afternoon's
# by 20:00 (local time); one not recorded by then is missed. The personal check-in link is
# rate-limited per client address.
QUARANTINE_MORNING_CHECK_BY_HOUR = int(os.environ.get("QUARANTINE_MORNING_CHECK_BY_HOUR", "12"))
QUARANTINE_AFTERNOON_CHECK_BY_HOUR = int(os.environ.get("QUARANTINE_AFTERNOON_CHECK_BY_HOUR", "20"))
QUARANTINE_SELF_CHECK_RATE = os.environ.get("QUARANTINE_SELF_CHECK_RATE", "20/m")

# Supplies (物资)
LOW_STOCK_DAYS = float(os.environ.get("LOW_STOCK_DAYS", "3"))

# Employment services (用工服务): how a one-time code reaches a job seeker's mobile. "shown"
# shows it on the page (the demo's stand-in for SMS), "log" only logs that one was sent; a dotted
# path names an SMS gateway's sender (dualtrack.jobs.sms.Sender); "http" posts to the gateway below.
JOBS_CODE_SENDER = os.environ.get("JOBS_CODE_SENDER", "shown" if DEBUG else "log")
# The "http" sender posts {"mobile", "message"} as JSON to this gateway (Bearer token if set).
JOBS_SMS_GATEWAY_URL = os.environ.get("JOBS_SMS_GATEWAY_URL", "")
JOBS_SMS_GATEWAY_TOKEN = os.environ.get("JOBS_SMS_GATEWAY_TOKEN", "")
JOBS_SMS_GATEWAY_TIMEOUT = float(os.environ.get("JOBS_SMS_GATEWAY_TIMEOUT", "5"))
JOBS_PUBLIC_RATE = os.environ.get("JOBS_PUBLIC_RATE", "20/m")  # per client address
# The public portal's briefing PDF, made on each request (per client address).
COMMAND_PUBLIC_PDF_RATE = os.environ.get("COMMAND_PUBLIC_PDF_RATE", "10/m")
# The volunteers' public sign-up page, per client address.
VOLUNTEERS_PUBLIC_RATE = os.environ.get("VOLUNTEERS_PUBLIC_RATE", "10/m")
JOBS_CODES_PER_MOBILE = os.environ.get("JOBS_CODES_PER_MOBILE", "5/h")  # codes sent to one mobile

# Government services (全网办、邮寄办、电话办、预约办): office hours (a request filed after closing,
# on a weekend or a holiday is counted from the next working day), the largest document uploaded
# with an online request, and the rate of the public pages and routes per client address.
SERVICES_OFFICE_HOURS = (9, 17)
SERVICES_UPLOAD_MAX_BYTES = int(os.environ.get("SERVICES_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
SERVICES_PUBLIC_RATE = os.environ.get("SERVICES_PUBLIC_RATE", "30/m")  # per client address

# Selects of thousands of options are written without a template per option (same HTML).
FORM_RENDERER = "dualtrack.core.form_renderer.FormRenderer"
