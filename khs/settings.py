"""khs settings: one file, driven by environment variables (see .env.example)."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from khs.lib.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a real secret of at least 50 characters when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address members follow in mails (links to register attendance, sign-in links).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "csp",
    "khs",
    "membership",
    "meetings",
    "billing",
    "publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khs.middleware.NorwegianLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "khs.urls"
WSGI_APPLICATION = "khs.wsgi.application"

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
                "khs.context_processors.khs",
            ],
            "builtins": ["khs.templatetags.khs_format"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when two requests write.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "khs.signin.MemberLinkBackend",  # django-sesame's, never for staff accounts
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Sign-in links for members: one use, valid for a day.
SESAME_MAX_AGE = env_int("SESAME_MAX_AGE", 24 * 3600)
SESAME_ONE_TIME = True

# Brute-force protection: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy (README: nginx in front of gunicorn) the client's address is in X-Forwarded-For;
# TRUSTED_PROXY_COUNT says how many proxies of ours append to it (0: none, the header is ignored).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "khs.signin.client_ip"
AXES_WHITELIST_CALLABLE = "khs.signin.axes_skips"
# Requests for a member's sign-in link: per address and per client, within a quarter of an hour.
MEMBER_LINK_LIMIT_PER_ADDRESS = env_int("MEMBER_LINK_LIMIT_PER_ADDRESS", 3)
MEMBER_LINK_LIMIT_PER_CLIENT = env_int("MEMBER_LINK_LIMIT_PER_CLIENT", 20)
MEMBER_LINK_WINDOW = 15 * 60
# Shared counters (throttles, lockouts) across workers: a Redis URL; default is per-process memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
    if env_str("REDIS_URL", "")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["khs.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media (attachments, logos, summons and print bundles): the file system, or an S3-compatible bucket shared
# by every web server and worker (django-storages). Private files: links to them are signed and expire.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "filesystem", ("filesystem", "s3"))
if STORAGE_BACKEND == "filesystem":
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,  # MinIO, Ceph, a Norwegian provider
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,  # else boto3's own chain (role, profile)
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("AWS_LOCATION", ""),  # a prefix inside the bucket
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,  # "path" for most S3 look-alikes
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
            "file_overwrite": False,
        },
    }


def _s3_origin(options: dict) -> str:
    if options["endpoint_url"]:
        parts = urlsplit(options["endpoint_url"])
        return f"{parts.scheme}://{parts.netloc}"
    return "https://*.amazonaws.com"


STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the mail server: one that accepts and never answers must not hang a request.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "khs@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connection may hang before the attempt counts as a temporary failure (khs/outbox.py).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The outbox: how often a temporary failure (4xx, no connection, timeout) is tried, and how far apart.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 4 * EMAIL_TIMEOUT)

# The decision register's search on PostgreSQL (publishing/search.py): up to SEARCH_RANK_LIMIT matching cases every
# hit is counted and ranked; above, the newest that many (and as many with the words in title or vedtak) are ranked
# and the count stops at SEARCH_COUNT_LIMIT ("more than 200 hits").
SEARCH_RANK_LIMIT = env_int("SEARCH_RANK_LIMIT", 1000)
SEARCH_COUNT_LIMIT = env_int("SEARCH_COUNT_LIMIT", 200)

# Background work (Django's Tasks API through django-tasks): "database" runs on the same database with
# `manage.py worker` (the default; `make run` starts one), "redis" on Redis through RQ (REDIS_URL), and
# "immediate" runs each task at once in the process that enqueues it (the tests).
# After each change to a meeting or case, and after issuing invoices, a worker renders the new PDFs ahead
# (meetings.documents.ready, billing.services.pdfs); off, the first to ask renders and keeps them.
DOCUMENTS_PRERENDER = env_bool("DOCUMENTS_PRERENDER", True)
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# How issued invoices are sent: a dotted path to a class with send(invoice, pdf, xml) (billing/transmission.py).
BILLING_TRANSMITTER = env_str("BILLING_TRANSMITTER", "billing.transmission.EmailTransmitter")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}

# Production hardening; all on when DEBUG is off (python manage.py check --deploy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): everything comes from our own origin; no inline script or style,
# no framing, forms post only to us. data: images for Bootstrap's icons and Trix's toolbar.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The vendored Trix editor inserts its default CSS as <style> elements: those, by their hashes.
        "style-src": [
            "'self'",
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
            "'sha256-jAP18ioNeNaQBBU5RJvT96kjJnVxHvZs+s8WUNiLnvA='",
            "'sha256-c5Z9aB2t69CSpeI1aC8dDLr7LZYZlynV8iY/8Uc9ZFk='",
        ],
        # A logo kept in S3 is shown from its signed URL: the bucket's origin.
        "img-src": ["'self'", "data:"] + ([_s3_origin(_MEDIA_STORAGE["OPTIONS"])] if STORAGE_BACKEND == "s3" else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# /healthz is probed over plain HTTP by load balancers inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Development and tests serve static files straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
