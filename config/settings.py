"""One settings file, driven by environment variables.

Without DATABASE_URL and REDIS_URL Statecraft runs on the embedded default: SQLite, a Celery
worker in a thread of the web process on the in-memory broker, and the in-memory channel layer.
With them it runs the production setup: PostgreSQL, Redis as Celery broker and channel layer,
and any number of `celery -A config worker` processes.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "channels",
    "designer",
    "executor",
    "awsapi",
]

MIDDLEWARE = [
    "config.middleware.RequestBodyLimitMiddleware",
    "config.middleware.UnreadableURLMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
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
            ]
        },
    }
]
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web thread and the in-process worker thread write to one file: wait for the lock
    # instead of failing, and let readers proceed while a writer commits.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif envbool("DB_POOL", "True") and not DATABASES["default"].get("CONN_MAX_AGE"):
    # Under ASGI every request runs in a new thread, which would open a new connection: a
    # pool per process hands them out instead (about twice the REST starts per second).
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 2, "max_size": int(os.environ.get("DB_POOL_SIZE", "16"))}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Secret key. Production (PostgreSQL, or Redis) runs many processes that must share one key,
# so it must be given; the embedded default makes one per install, kept beside its SQLite file.
EMBEDDED_DATABASE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not EMBEDDED_DATABASE or os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured(
            "Set SECRET_KEY: production (DATABASE_URL or REDIS_URL set) needs a long random "
            "key, the same in every process, e.g. from "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    key_file = Path(DATABASES["default"]["NAME"]).resolve().parent / ".secret-key"
    try:
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(50))
    except FileExistsError:
        pass  # made by an earlier start, or by a process starting at the same moment
    SECRET_KEY = key_file.read_text().strip()

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production collects static files here (`manage.py collectstatic`); without it WhiteNoise
# serves them straight from static/ and the apps, so the embedded default needs no extra step.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "designer.api_errors.exception_handler",
    # Per user (and per address for anonymous requests), counted in the shared cache below.
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.UserRateThrottle",
        "config.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER", "100/second"),
        "anon": os.environ.get("API_THROTTLE_ANON", "10/second"),
    },
    # Anonymous requests are told apart by address: trust X-Forwarded-For only from as many
    # proxies as the operator says there are (none by default), or it is anyone's to forge.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Statecraft API",
    "DESCRIPTION": "State machines in the Amazon States Language and their executions.",
    "VERSION": "1",
    # Swagger UI from this server (drf-spectacular-sidecar): works offline and under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Its warnings are about the schema's completeness, not the deployment's safety: they
    # belong to the schema's tests, and would fail `manage.py check --deploy` for no risk.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# Production: REDIS_URL switches Celery and the channel layer to Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not REDIS_URL
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task a killed worker had taken comes back after this long (Redis's default is an
    # hour); it must exceed the longest countdown we schedule (SCHEDULE_AHEAD_SECONDS) and the
    # longest a registered function or HTTP call may run.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, float] = {
        "visibility_timeout": int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", "600"))
    }
    # Redis pub/sub: a group message is one PUBLISH that Redis pushes to every web process,
    # where the list-based layer polled once per message and fell behind under load. Delivery
    # is at most once, as live events may be: consumers fill gaps from the stored history.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CELERY_BROKER_URL = "memory://"
    # The in-memory transport is polled; poll often so live progress stays prompt.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.01}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# The cache holds the API's throttling counts: shared by every process in production.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "statecraft-cache",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_TASK_IGNORE_RESULT = True
# Without it, every new thread of the web server builds its own result backend, reading
# package metadata each time: a large share of the CPU a REST start costs.
CELERY_RESULT_BACKEND_THREAD_SAFE = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = int(os.environ.get("CELERY_PREFETCH", "4"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat keeps its schedule's state here rather than in the working directory (gitignored).
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "sweep": {
        "task": "executor.tasks.sweep",
        "schedule": float(os.environ.get("SWEEP_SECONDS", "1")),
    }
}

# Executions: how long a worker may hold an execution before another may take it over.
EXECUTION_LEASE_SECONDS = float(os.environ.get("EXECUTION_LEASE_SECONDS", "30"))
# The largest input/output a state may pass on, as on AWS (bytes of JSON text).
PAYLOAD_LIMIT_BYTES = int(os.environ.get("PAYLOAD_LIMIT_BYTES", str(256 * 1024)))
# Modules whose @task_function decorators register Python functions as Task resources.
TASK_FUNCTION_MODULES = envlist("TASK_FUNCTION_MODULES", "executor.builtin_functions")
# Where arn:aws:states:::http:invoke may call, as scheme://host[:port] entries (the port
# defaults from the scheme, a bare host means https; `https://*.example.com` allows
# subdomains); nothing by default. Redirects are returned as results, never followed.
# A name must resolve to a public address unless the entry is an IP literal or localhost.
HTTP_TASK_ALLOWED_HOSTS = envlist("HTTP_TASK_ALLOWED_HOSTS")
# Credentials for HTTP tasks (Authentication.ConnectionArn names one), as a JSON object:
# {"billing": {"Origin": "https://api.example.com", "Machines": ["Orders"],
#  "Headers": {"Authorization": "Bearer ..."}}}. Only runs of the listed machines may use a
# connection, and only to call its origin (which must be on HTTP_TASK_ALLOWED_HOSTS too).
HTTP_TASK_CONNECTIONS = json.loads(os.environ.get("HTTP_TASK_CONNECTIONS") or "{}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Names in ARNs and the context object, as AWS would show them.
AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")
AWS_ACCOUNT_ID = os.environ.get("AWS_ACCOUNT_ID", "123456789012")
# Wake-ups due within this many seconds are scheduled with the broker; later ones by the sweep.
SCHEDULE_AHEAD_SECONDS = float(os.environ.get("SCHEDULE_AHEAD_SECONDS", "60"))
HTTP_TASK_TIMEOUT_SECONDS = float(os.environ.get("HTTP_TASK_TIMEOUT_SECONDS", "60"))
HTTP_TASK_MAX_RESPONSE_BYTES = int(os.environ.get("HTTP_TASK_MAX_RESPONSE_BYTES", str(256 * 1024)))
# Extra modules Celery workers import (e.g. a team's tasks that celery:send_task calls).
CELERY_IMPORTS = envlist("CELERY_IMPORTS")
# The Celery tasks that celery:send_task states may send, by exact name, comma-separated
# (e.g. `team.tasks.scale,billing.charge`); none by default. Statecraft's own (executor.*)
# and Celery's built-in tasks (celery.*) are never sent, even when listed.
CELERY_SEND_TASK_ALLOWED = envlist("CELERY_SEND_TASK_ALLOWED")
# How many activity long polls (GetActivityTask) one user may hold open at once in each web
# process; more get a 429.
ACTIVITY_POLLS_PER_USER = int(os.environ.get("ACTIVITY_POLLS_PER_USER", "8"))
# How long the AWS API's GetActivityTask waits for a task before an empty answer (AWS: 60).
AWS_ACTIVITY_POLL_SECONDS = float(os.environ.get("AWS_ACTIVITY_POLL_SECONDS", "60"))
# StartSyncExecution waits at most this long (AWS: 5 minutes).
SYNC_EXECUTION_TIMEOUT_SECONDS = float(os.environ.get("SYNC_EXECUTION_TIMEOUT_SECONDS", "300"))

# Limits on what a client may send. A larger body gets a 413 before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_BODY_LIMIT_BYTES", str(2 * 1024 * 1024)))

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Content Security Policy (django-csp): scripts and styles only from this server. Style
# attributes that React and React Flow set from script are CSSOM writes, which CSP allows.
# ContentSecurityPolicyMiddleware adds this host's ws:// and wss:// to connect-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS=true when the site is served over HTTPS: secure cookies, a redirect from http, HSTS.
# Behind a proxy that ends TLS, PROXY_SSL_HEADER names the header it sets (X-Forwarded-Proto).
HTTPS = envbool("HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "True")
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "True")
if os.environ.get("PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )
