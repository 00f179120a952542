"""One settings file, driven by environment variables.

Without DATABASE_URL and REDIS_URL Statecraft runs on the embedded default: SQLite, a Celery
worker in a thread of the web process on the in-memory broker, and the in-memory channel layer.
With them it runs the production setup: PostgreSQL, Redis as Celery broker and channel layer,
and any number of `celery -A config worker` processes.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "---")
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
    "channels",
    "designer",
    "executor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Statecraft API",
    "DESCRIPTION": "State machines in the Amazon States Language and their executions.",
    "VERSION": "1",
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
CELERY_TASK_IGNORE_RESULT = True
# Without it, every new thread of the web server builds its own result backend, reading
# package metadata each time: a large share of the CPU a REST start costs.
CELERY_RESULT_BACKEND_THREAD_SAFE = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = int(os.environ.get("CELERY_PREFETCH", "4"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
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
# Hosts that arn:aws:states:::http:invoke may call; nothing by default.
HTTP_TASK_ALLOWED_HOSTS = envlist("HTTP_TASK_ALLOWED_HOSTS")

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
# StartSyncExecution waits at most this long (AWS: 5 minutes).
SYNC_EXECUTION_TIMEOUT_SECONDS = float(os.environ.get("SYNC_EXECUTION_TIMEOUT_SECONDS", "300"))
