"""Comptoir's one settings module: every knob comes from an environment variable.

Each variable is documented in docs/configuration.md with its default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("COMPTOIR_DATA_DIR", BASE_DIR.parent / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# Known to everyone who reads this file: accepted only in development (COMPTOIR_DEBUG on).
DEVELOPMENT_SECRET_KEY = "insecure-development-key"
SECRET_KEY_MIN_LENGTH = 50


def read_secret_key(data_dir: Path, *, development: bool) -> str:
    """The secret key from COMPTOIR_SECRET_KEY, else from `<data dir>/secret_key` (`make run` writes it).

    The key signs sessions, portal sign-in links and approval links: with a key
    anyone can read, anyone could sign in as any customer. So outside development
    a missing, known or short key stops the start-up instead of falling back.
    """
    key = os.environ.get("COMPTOIR_SECRET_KEY", "").strip()
    key_file = data_dir / "secret_key"
    source = "COMPTOIR_SECRET_KEY"
    if not key and key_file.is_file():
        key, source = key_file.read_text().strip(), str(key_file)
    if development:
        return key or DEVELOPMENT_SECRET_KEY
    how = (
        "Generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'` and set it "
        f"in the COMPTOIR_SECRET_KEY environment variable (or write it to {key_file}; `make run` does "
        "this). Keep it secret and keep it stable: changing it signs everyone out. For local "
        "development only, COMPTOIR_DEBUG=true allows a built-in insecure key."
    )
    if not key:
        raise ImproperlyConfigured(
            f"No secret key: COMPTOIR_SECRET_KEY is not set and {key_file} does not exist. {how}"
        )
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"The secret key in {source} is a known development key. {how}")
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"The secret key in {source} is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} "
            f"characters and 5 different ones. {how}"
        )
    return key


DEBUG = env_bool("COMPTOIR_DEBUG", False)
SECRET_KEY = read_secret_key(DATA_DIR, development=DEBUG)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("COMPTOIR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("COMPTOIR_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
BASE_URL = os.environ.get("COMPTOIR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "comptoir.core",
    "comptoir.contacts",
    "comptoir.knowledge",
    "comptoir.tickets",
    "comptoir.channels.email",
    "comptoir.automation",
    "comptoir.casework",
    "comptoir.reports",
    "comptoir.api",
    "comptoir.agent",
    "comptoir.admin_center",
    "comptoir.portal",
    "comptoir.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptoir.core.middleware.AgentPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "comptoir.urls"
WSGI_APPLICATION = "comptoir.wsgi.application"
AUTH_USER_MODEL = "core.Agent"
LOGIN_URL = "/agent/login/"
LOGIN_REDIRECT_URL = "/agent/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comptoir.core.context_processors.helpdesk",
            ],
        },
    }
]

# --- database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("COMPTOIR_DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_int("COMPTOIR_PG_PREPARE_THRESHOLD", 2) > 0:
        # Planning a list query (seven joined tables, many indexes) costs more than running it;
        # server-side binding lets psycopg prepare repeated statements so PostgreSQL plans them once
        # per connection (docs/decisions/0004-prepared-statements.md).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": env_int("COMPTOIR_PG_PREPARE_THRESHOLD", 2)}
        )
    # Test runs get their own database name, so parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_comptoir_{os.getpid()}"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("COMPTOIR_SQLITE_PATH", str(DATA_DIR / "comptoir.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while the worker writes; IMMEDIATE avoids
                # "database is locked" upgrades in write transactions.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ------------------------------------------------------------------
# Presence ("someone else is viewing"), API rate limits and cached counts must be the same
# for every web worker, so the default cache is shared between processes: Redis when
# REDIS_URL is set, else a table in the database (created by core's migration 0002).
# COMPTOIR_CACHE=memory keeps it per process: for the test suite, never for two workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "comptoir_cache"
CACHE_KIND = os.environ.get("COMPTOIR_CACHE", "database").strip().lower() or "database"
if CACHE_KIND not in {"database", "memory"}:
    raise ImproperlyConfigured(f"COMPTOIR_CACHE must be `database` or `memory`, not {CACHE_KIND!r}.")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif CACHE_KIND == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Django culls a third of the table when it holds more than MAX_ENTRIES (300 by default,
    # which would throw away live rate-limit counters and presence on a busy day).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# --- background jobs (Huey) ---------------------------------------------------
HUEY_IMMEDIATE = env_bool("COMPTOIR_HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "comptoir", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "comptoir.core.queue_storage.ComptoirSqliteHuey",
        "name": "comptoir",
        "filename": os.environ.get("COMPTOIR_HUEY_PATH", str(DATA_DIR / "huey.sqlite3")),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {"workers": env_int("COMPTOIR_WORKERS", 2), "worker_type": "thread"}

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("COMPTOIR_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("COMPTOIR_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- static and uploaded files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("COMPTOIR_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": os.environ.get("COMPTOIR_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
WHITENOISE_USE_FINDERS = True
ATTACHMENT_MAX_BYTES = env_int("COMPTOIR_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- email ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("COMPTOIR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("COMPTOIR_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("COMPTOIR_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("COMPTOIR_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COMPTOIR_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("COMPTOIR_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("COMPTOIR_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("COMPTOIR_DEFAULT_FROM_EMAIL", "support@comptoir.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- helpdesk behaviour ------------------------------------------------------
AUTO_CLOSE_SOLVED_AFTER_DAYS = env_int("COMPTOIR_AUTO_CLOSE_DAYS", 4)
API_RATE_LIMIT_PER_MINUTE = env_int("COMPTOIR_API_RATE_LIMIT", 600)
# Webhooks to private, loopback and link-local addresses are refused unless this is on.
COMPTOIR_WEBHOOK_ALLOW_PRIVATE = env_bool("COMPTOIR_WEBHOOK_ALLOW_PRIVATE", False)
EMAIL_NEW_TICKETS_PER_SENDER_PER_HOUR = env_int("COMPTOIR_EMAIL_NEW_TICKETS_PER_SENDER_PER_HOUR", 20)
EMAIL_MAX_MESSAGE_BYTES = env_int("COMPTOIR_EMAIL_MAX_MESSAGE_BYTES", 40 * 1024 * 1024)
COMPTOIR_INSTANCE_ID = os.environ.get("COMPTOIR_INSTANCE_ID", "")
COMPTOIR_SMS_BACKEND = os.environ.get("COMPTOIR_SMS_BACKEND", "comptoir.casework.sms.ConsoleSmsBackend")
# Country (ISO 3166 alpha-2) of phone numbers written without a country code, for departments without their own.
COMPTOIR_DEFAULT_PHONE_REGION = os.environ.get("COMPTOIR_DEFAULT_PHONE_REGION", "").strip().upper()

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COMPTOIR_LOG_LEVEL", "WARNING")},
}
