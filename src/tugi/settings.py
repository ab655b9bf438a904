"""Tugi's one settings module. Everything that differs between the demo, tests and production
comes from environment variables (twelve-factor); see README "Configuration"."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("TUGI_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    TUGI_TASK_BACKEND=(str, "database"),
    TUGI_SECURE=(bool, False),
)

DEBUG = env("DEBUG")
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if env("TUGI_SECURE"):
        raise environ.ImproperlyConfigured("Set SECRET_KEY: Tugi will not run in production without one.")
    # Development and tests only; the production profile (TUGI_SECURE=true) requires a real key.
    SECRET_KEY = "tugi-insecure-development-key-do-not-use-in-production-0123456789"
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "ninja",
    "tugi.core",
    "tugi.directory",
    "tugi.catalog",
    "tugi.cmdb",
    "tugi.notifications",
    "tugi.kb",
    "tugi.tickets",
    "tugi.sla",
    "tugi.visits",
    "tugi.plans",
    "tugi.dialogue",
    "tugi.costs",
    "tugi.remote",
    "tugi.worklog",
    "tugi.webhooks",
    "tugi.reports",
    "tugi.api",
    "tugi.channels",
    "tugi.channels.monitoring",
    "tugi.channels.phone",
    "tugi.portal",
    "tugi.console",
    "tugi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tugi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tugi.directory.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tugi.core.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "tugi.urls"
WSGI_APPLICATION = "tugi.wsgi.application"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["tugi.core.auth.UserWithRolesBackend"]
LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "signin"

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
                "django.template.context_processors.i18n",
                "tugi.core.context_processors.desk",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tugi.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: Django's Tasks API (django-tasks backport) ---------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
_task_backends = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "dummy": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}
TASK_BACKEND_NAME = env("TUGI_TASK_BACKEND")
if TASK_BACKEND_NAME not in _task_backends:
    raise environ.ImproperlyConfigured(
        f"TUGI_TASK_BACKEND must be one of {', '.join(_task_backends)}, not {TASK_BACKEND_NAME!r}."
    )
TASKS = {"default": _task_backends[TASK_BACKEND_NAME]}

# --- Mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tugi <tugi@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation: Estonian first -----------------------------------------------------
LANGUAGE_CODE = "et"
LANGUAGES = [("et", "Eesti"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tugi.formats"]  # Estonian dates as 25.11.2026 14:05
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Tallinn")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# htmx comes from the npm registry (package.json); without it the pages work as plain forms.
_HTMX_DIST = PROJECT_DIR / "node_modules" / "htmx.org" / "dist"
TUGI_HTMX_AVAILABLE = (_HTMX_DIST / "htmx.min.js").exists()
STATICFILES_DIRS = [BASE_DIR / "static"] + ([("vendor", _HTMX_DIST)] if TUGI_HTMX_AVAILABLE else [])
MEDIA_ROOT = VAR_DIR / "media"

# --- Security -------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env("TUGI_SECURE"):
    # The production profile: behind TLS. `tugi check --deploy` passes with no warnings.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Tugi itself ----------------------------------------------------------------------------
TUGI_SUPPORT_PHONE = env.str("TUGI_SUPPORT_PHONE", default="+372 501 6105")  # K13
TUGI_SUPPORT_EMAIL = env.str("TUGI_SUPPORT_EMAIL", default="tugi@localhost")  # K14
TUGI_BASE_URL = env.str("TUGI_BASE_URL", default="http://127.0.0.1:8000")
TUGI_API_PAGE_SIZE_MAX = 200
# K19: Fernet key(s) for remote-access accounts, newest first, comma-separated; without one a key is
# derived from SECRET_KEY (fine for development, not for production: set it, and keep it safe).
TUGI_SECRETS_KEY = env.str("TUGI_SECRETS_KEY", default="") or None
TUGI_QUESTION_REMINDER_HOURS = env.int("TUGI_QUESTION_REMINDER_HOURS", default=24)  # K11
TUGI_AUTO_CLOSE_DAYS = env.int("TUGI_AUTO_CLOSE_DAYS", default=5)  # K11
TUGI_ATTACHMENT_MAX_BYTES = env.int("TUGI_ATTACHMENT_MAX_MB", default=20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail out and the network ways in (K2, K14, K21) -----------------------------------------
# Outgoing mail: the domain of the Message-IDs Tugi makes (by default the sender's), and how often a
# failed send is tried (the pause grows fourfold from TUGI_MAIL_RETRY_SECONDS) before it is given up.
TUGI_MAIL_MESSAGE_ID_DOMAIN = env.str("TUGI_MAIL_MESSAGE_ID_DOMAIN", default="")
TUGI_MAIL_SEND_ATTEMPTS = env.int("TUGI_MAIL_SEND_ATTEMPTS", default=6)
TUGI_MAIL_RETRY_SECONDS = env.int("TUGI_MAIL_RETRY_SECONDS", default=60)
# IMAP mailboxes to poll, comma-separated URLs (docs/mail.md): imap:// (plain), imap+starttls://,
# imaps:// (TLS), with the user and the URL-encoded password, the folder as the path and what to do
# with a stored message as ?after=seen|delete|move&move_to=<folder>.
TUGI_IMAP_MAILBOXES = env.list("TUGI_IMAP_MAILBOXES", default=[])
# The LMTP receiver: the recipient domains it accepts (by default the support address's) and the
# largest message it takes.
TUGI_LMTP_DOMAINS = env.list("TUGI_LMTP_DOMAINS", default=[])
TUGI_LMTP_MAX_BYTES = env.int("TUGI_LMTP_MAX_MB", default=25) * 1024 * 1024

# --- SLA: escalation and support outside working hours (issue 5; K8, K17) ---------------------
# When a share of a response or resolution target has run, who is told, once each: "<per cent>:<role>",
# roles assignee and service_manager (joined with +), e.g. 75:assignee,100:service_manager+assignee.
TUGI_SLA_ESCALATION = env.list("TUGI_SLA_ESCALATION", default=["75:assignee", "100:service_manager"])
# K17: tickets on mission-critical systems and of VIP organisations up to this priority (1 critical ..
# 5 planning) take the on-call path; more addresses (a pager gateway) to tell besides on-call staff.
TUGI_ON_CALL_MAX_PRIORITY = env.int("TUGI_ON_CALL_MAX_PRIORITY", default=5)
TUGI_ON_CALL_EMAILS = env.list("TUGI_ON_CALL_EMAILS", default=[])

# --- Outgoing webhooks and rate limits (issue 6; docs/webhooks.md) ----------------------------
# The webhook sender: how long it waits for a receiver, how often it tries a delivery before giving
# up, and the first pause between tries (it doubles each time, with jitter, up to the cap).
TUGI_WEBHOOK_TIMEOUT_SECONDS = env.float("TUGI_WEBHOOK_TIMEOUT_SECONDS", default=5.0)
TUGI_WEBHOOK_MAX_ATTEMPTS = env.int("TUGI_WEBHOOK_MAX_ATTEMPTS", default=10)
TUGI_WEBHOOK_RETRY_SECONDS = env.float("TUGI_WEBHOOK_RETRY_SECONDS", default=30.0)
TUGI_WEBHOOK_RETRY_MAX_SECONDS = env.float("TUGI_WEBHOOK_RETRY_MAX_SECONDS", default=6 * 3600.0)
# How many receivers one sender posts to side by side (each receiver's deliveries stay in order).
TUGI_WEBHOOK_CONCURRENCY = env.int("TUGI_WEBHOOK_CONCURRENCY", default=8)
# How long a hole in the audit log's ids may still be a transaction that has not committed yet.
TUGI_WEBHOOK_OUTBOX_GRACE_SECONDS = env.int("TUGI_WEBHOOK_OUTBOX_GRACE_SECONDS", default=300)
# Rate limits (django-ratelimit): sign-in attempts per IP address and per username, API calls per
# token (or signed-in user, or IP address without either). Counted in a cache every web process
# shares: set TUGI_RATELIMIT_CACHE_URL to Redis (redis://127.0.0.1:6379/2) when more than one process
# serves; the default counts per process. TUGI_RATELIMIT=false switches them off.
RATELIMIT_ENABLE = env.bool("TUGI_RATELIMIT", default=True)
RATELIMIT_USE_CACHE = "ratelimit"
# Behind a reverse proxy: the header it sets with the client's address (HTTP_X_FORWARDED_FOR).
TUGI_RATELIMIT_IP_HEADER = env.str("TUGI_RATELIMIT_IP_HEADER", default="")
RATELIMIT_IP_META_KEY = "tugi.api.ratelimit.client_ip"
CACHES = {
    **vars().get("CACHES", {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}),
    "ratelimit": env.cache("TUGI_RATELIMIT_CACHE_URL", default="locmemcache://tugi-ratelimit"),
}
TUGI_RATELIMIT_SIGNIN_IP = env.str("TUGI_RATELIMIT_SIGNIN_IP", default="30/m")
TUGI_RATELIMIT_SIGNIN_USERNAME = env.str("TUGI_RATELIMIT_SIGNIN_USERNAME", default="10/m")
TUGI_RATELIMIT_API = env.str("TUGI_RATELIMIT_API", default="600/m")
MIDDLEWARE = [*MIDDLEWARE, "tugi.api.ratelimit.ApiRateLimitMiddleware"]

# --- Mail intake (issue 6; K14, S2): tugi mail receive / import and the quarantine ---------------
# The service that mail tickets start on, by its code: its manager hears of mail from unknown senders
# (S2). Empty: every active service manager is told.
TUGI_MAIL_SERVICE = env.str("TUGI_MAIL_SERVICE", default="")
# Acknowledge mail from senders who are not contacts as well (the reference, the support phone and
# the guide; never their subject). Off by default: a From: is easily forged, and every answer to one
# is backscatter to a stranger. The desk hears of such mail either way (S2).
TUGI_MAIL_ACKNOWLEDGE_UNKNOWN = env.bool("TUGI_MAIL_ACKNOWLEDGE_UNKNOWN", default=False)

# Outgoing webhooks: receivers on loopback, private, link-local or other non-public addresses are
# refused (on save and when sending) unless this is on, for a desk whose receivers are on its own network.
TUGI_WEBHOOK_ALLOW_PRIVATE = env.bool("TUGI_WEBHOOK_ALLOW_PRIVATE", default=False)
