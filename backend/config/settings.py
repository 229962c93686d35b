"""talentdesk settings: one module, driven by the environment.

With no environment at all this is a working development setup (SQLite in ``var/``,
Celery tasks in-process, local-memory cache, console e-mail). Production sets
DATABASE_URL, CELERY_BROKER_URL, REDIS_URL/CACHE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    cache_config,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
)

BACKEND_DIR = Path(__file__).resolve().parent.parent
ROOT_DIR = BACKEND_DIR.parent
VAR_DIR = Path(env_str("TALENTDESK_VAR_DIR", str(ROOT_DIR / "var")))
FRONTEND_DIR = ROOT_DIR / "frontend"
WORKFLOWS_DIR = Path(env_str("TALENTDESK_WORKFLOWS_DIR", str(ROOT_DIR / "workflows")))

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 50 and not DEBUG:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters")
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    # A development secret generated once and kept in var/ so sessions survive restarts.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "template_partials",
    "csp",
    # talentdesk, one app per part of the domain
    "core",
    "accounts",
    "centres",
    "staff",
    "talents",
    "flows",
    "tickets",
    "sla",
    "notifications",
    "hall",
    "guidance",
    "api",
    "prereview",
    "workspace",
    "portal",
    "reports",
    "knowledge",
    "ops",  # readiness, metrics, backup and restore
    "demo",  # the demo centre: seed_demo
]

MIDDLEWARE = [
    "core.logs.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.middleware.RequestMetricsMiddleware",
    "core.middleware.PrivateByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.StaffSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.twofactor.TwoFactorRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [FRONTEND_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.talentdesk",
            ],
        },
    }
]

DATABASES = {"default": database_config("DATABASE_URL", default_sqlite_path=str(VAR_DIR / "talentdesk.sqlite3"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_config("CACHE_URL", "REDIS_URL")}
# Sessions read from the cache (Redis in production) and are kept in the database, so a
# cache restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Staff sessions end after 30 minutes without a request and 12 hours in all
# (accounts.sessions); the cookie does not outlive the longest session.
TALENTDESK_STAFF_SESSION_IDLE = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
TALENTDESK_STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = TALENTDESK_STAFF_SESSION_MAX_AGE

# Length is the policy: 12 to 128 characters, no composition rules (NIST SP 800-63B);
# known-common passwords and ones close to the user's own name are still refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Two-factor sign-in (TOTP, accounts.twofactor): required for these roles, optional for
# the others. Role names: window_staff, officer, supervisor, admin.
TALENTDESK_TWO_FACTOR_ROLES = env_list("TWO_FACTOR_ROLES", ["supervisor", "admin"])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "talentdesk")
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"

# --- i18n: staff UI defaults to Simplified Chinese; the portal follows the talent.
LANGUAGE_CODE = "zh-hans"
# zh-Hant is the talents' (portal, their messages); staff pages may stay zh-Hans/en and
# fall back to zh-Hans where an app has no traditional catalogue.
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("zh-hant", _("Traditional Chinese")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its own backend/<app>/locale
TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "talentdesk_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- static files and uploads (uploads live outside the static root, served by a view).
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [FRONTEND_DIR / "static"]
UPLOAD_ROOT = Path(env_str("UPLOAD_ROOT", str(VAR_DIR / "uploads")))
_manifest = env_bool("STATICFILES_MANIFEST", not DEBUG)
# Talents' uploads go through Django's storage API (``default_storage``): another host or an
# S3-compatible store (django-storages) is a change of this setting. Files are only ever
# served through the access-checked download view, so the storage has no public URL.
_FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
UPLOAD_STORAGE = env_str("UPLOAD_STORAGE", _FILE_SYSTEM)  # another backend reads its own settings
STORAGES = {
    "default": {
        "BACKEND": UPLOAD_STORAGE,
        "OPTIONS": {"location": str(UPLOAD_ROOT), "file_permissions_mode": 0o640,
                    "directory_permissions_mode": 0o750} if UPLOAD_STORAGE == _FILE_SYSTEM else {},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- e-mail and SMS (console by default; real SMTP in production).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")  # the file-based backend's directory
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "talentdesk <noreply@talentdesk.local>")
# django.core.mail.backends.filebased.EmailBackend writes here (drills: the cluster test).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.ConsoleSmsBackend")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl"))  # FileSmsBackend
# With DEBUG off, start-up stops when a backend lacks a setting it needs (core.checks,
# notifications.checks), or when PUBLIC_BASE_URL is plain http or a loopback address.
# --- notification outbox: retries with exponential backoff, then a failure staff can see.
TALENTDESK_OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6, minimum=1)
TALENTDESK_OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 30, minimum=1)
TALENTDESK_OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 120, minimum=1)
TALENTDESK_OUTBOX_SWEEP_GRACE_SECONDS = env_int("OUTBOX_SWEEP_GRACE_SECONDS", 60, minimum=0)
TALENTDESK_OUTBOX_MAX_AGE_DAYS = env_int("OUTBOX_MAX_AGE_DAYS", 3, minimum=1)
TALENTDESK_NOTIFICATIONS_QUEUE = env_str("NOTIFICATIONS_QUEUE") or None

# --- Celery: in-process without a broker; bounded publishing when the broker hangs.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", schemes=("redis", "rediss", "amqp", "memory"))
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still take a producer from the pool: an in-memory broker with a host
    # name, so kombu has nothing to warn about ("No hostname was supplied") and nothing
    # to connect to.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": 3600,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "core.task_heartbeat", "schedule": 60.0},
    # reports: facts the on-commit path missed; snapshots of the standard periods
    "reports-facts-sweep": {"task": "reports.task_facts_sweep", "schedule": 600.0},
    "reports-dashboards-warm": {"task": "reports.task_dashboards_warm", "schedule": 240.0},
    # SLA escalation and the notification outbox; a tick a worker could not run in time
    # expires instead of piling up behind a backlog.
    "sla-escalation-scan": {"task": "sla.task_escalation_scan", "schedule": 60.0,
                            "options": {"expires": 55}},
    "prereview-sweep": {"task": "prereview.task_prereview_sweep", "schedule": 300.0},
    "notifications-outbox-sweep": {"task": "notifications.task_outbox_sweep", "schedule": 60.0,
                                   "options": {"expires": 55}},
    "hall-close-sweep": {"task": "hall.task_hall_close_sweep", "schedule": 600.0,
                         "options": {"expires": 550}},
    "sla-recompute-provisional": {"task": "sla.task_sla_recompute_provisional",
                                  "schedule": 3600.0, "options": {"expires": 3000}},
    # guidance: retrain on newly confirmed tickets (does nothing when none are new)
    "guidance-retrain": {"task": "guidance.task_guidance_retrain", "schedule": 6 * 3600.0,
                         "options": {"expires": 3600}},
}

# --- REST API (issue: API v1).
REST_FRAMEWORK = {
    # Token first: a request without credentials answers 401 with ``WWW-Authenticate: Token``
    # on every endpoint (the pages' session works too).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "talentdesk API",
    "DESCRIPTION": "Tickets, talents, workflows and audit history of a talent service centre.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A material's status and its pre-review's status are different sets of choices.
    "ENUM_NAME_OVERRIDES": {"PrereviewStatusEnum": "prereview.models.Verdict",
                            "MaterialStatusEnum": "tickets.models.MaterialStatus",
                            # The categories are data (workflow files): one enum wherever they appear.
                            "CategoryEnum": "flows.registry.category_choices"},
}

# --- Security headers; a strict CSP with nonces (no inline scripts, no hx-on).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted by browsers when Secure, for path / and without a
    # Domain, so no subdomain (or a man in the middle on plain HTTP) can set or shadow them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Preloading a government domain is a deliberate, hard-to-undo decision for its owner.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- talentdesk's own settings.
# API tokens expire (rotate with POST /api/v1/auth/token/rotate/ before then).
TALENTDESK_API_TOKEN_MAX_AGE = env_int("API_TOKEN_MAX_AGE_HOURS", 7 * 24, minimum=1) * 3600
TALENTDESK_SYSTEM_USERNAME = "talentdesk-system"
TALENTDESK_STATUS_LINK_MAX_AGE = env_int("STATUS_LINK_MAX_AGE_DAYS", 30, minimum=1) * 86400
TALENTDESK_PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Talent portal: how many reverse proxies in front append to X-Forwarded-For (the portal's
# per-address rate limit counts the client they saw, not the proxy), and upload limits.
TALENTDESK_TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)
TALENTDESK_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
TALENTDESK_UPLOAD_MAX_PER_TICKET = env_int("UPLOAD_MAX_PER_TICKET", 20, minimum=1)
# The portal's session: signed out after this idle time, and at the latest after max age.
TALENTDESK_PORTAL_IDLE = env_int("PORTAL_IDLE_MINUTES", 30, minimum=1) * 60
TALENTDESK_PORTAL_MAX_AGE = env_int("PORTAL_MAX_AGE_HOURS", 8, minimum=1) * 3600
# The portal's rate limits: (failures allowed, within seconds, cool-down seconds).
TALENTDESK_PORTAL_LIMITS = {
    "reference": (5, 3600, 3600),  # wrong access codes for one reference
    "address": (20, 600, 600),  # failures from one client address
    "talent-writes": (30, 3600, 3600),  # replies, uploads and ratings of one talent
    "code-phone": (5, 3600, 3600),  # one-time codes sent to one phone (every send counts)
    "code-address": (10, 3600, 3600),  # one-time codes asked for from one client address
    "code-wrong": (10, 900, 900),  # wrong one-time codes typed from one client address
}
# The portal's one-time SMS codes: valid for this many seconds, this many tries each.
TALENTDESK_PHONE_CODE_TTL = env_int("PHONE_CODE_TTL_MINUTES", 10, minimum=1) * 60
TALENTDESK_PHONE_CODE_ATTEMPTS = env_int("PHONE_CODE_ATTEMPTS", 5, minimum=1)
# Online applications of talents without a home centre go to this centre (its code);
# empty: the first centre by code.
TALENTDESK_ONLINE_CENTRE = env_str("ONLINE_CENTRE", "")
# Sign-in throttles (/login/, the code step, the token endpoint), in the same shape.
TALENTDESK_SIGNIN_LIMITS = {
    "signin-account": (10, 900, 900),  # wrong passwords or codes for one account
    "signin-address": (30, 900, 900),  # failures from one client address
}
# The guidance classifier's labelled requests (train/ and heldout/ per category).
GUIDANCE_CORPUS_DIR = BACKEND_DIR / "guidance" / "corpus"
# /metrics: with DEBUG off only for ``Authorization: Bearer <METRICS_TOKEN>`` (404 otherwise);
# with DEBUG on also for the machine itself (loopback).
TALENTDESK_METRICS_TOKEN = env_str("METRICS_TOKEN")
if TALENTDESK_METRICS_TOKEN and len(TALENTDESK_METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters")
# Yearly holiday files (``<year>.yaml``) beside chinesecalendar's table.
TALENTDESK_CALENDAR_DIR = Path(env_str("CALENDAR_DIR", str(BACKEND_DIR / "sla" / "calendar_data")))

# One JSON object per line on standard error, for the web processes and the Celery workers
# (core.logs): request id, user id, never a status-link token, e-mail address, phone or
# document number (core.redact).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    "filters": {"redact_status_links": {"()": "core.redact.RedactStatusLinks"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact_status_links"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (console when DEBUG, mail_admins) and the development
        # server's access log are dropped: their records go to the root handler above.
        "django": {"level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # In-process tasks would log every run into the development server's console.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
# The worker logs through the LOGGING above instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
