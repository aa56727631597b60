"""Settings shared by every environment; dev, test and prod only override."""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "partnerhub",
    "organisations",
    "projects",
    "matching",
]

MIDDLEWARE = [
    # First: answers the load balancer before the SSL redirect and the Host check.
    "partnerhub.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "partnerhub.middleware.RequestLimitsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partnerhub.middleware.StaffMFAMiddleware",
    "partnerhub.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "partnerhub.urls"
WSGI_APPLICATION = "partnerhub.wsgi.application"
ASGI_APPLICATION = "partnerhub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.current_organisation",
                "organisations.context_processors.unread_notifications",
            ],
        },
    },
]

# SQLite is the embedded default so a newcomer needs no server; DATABASE_URL
# (postgres://… or sqlite:///path) overrides it for every command.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process; `migrate` creates its table (partnerhub.apps).
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "partnerhub_cache",
}
if os.environ.get("REDIS_URL"):
    # While Redis does not answer, the database cache takes over (partnerhub.cache).
    CACHES = {
        "default": {
            "BACKEND": "partnerhub.cache.FallbackRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "FALLBACK": "fallback",
            "RETRY_AFTER": 5,
            # A Redis that hangs costs a request half a second, not a worker timeout.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "fallback": DATABASE_CACHE,
    }
else:
    # Development only: production refuses a per-process cache (partnerhub.checks).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REQUIRE_SHARED_CACHE = False

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: e-mail only, verified before anything can be created or changed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PartnerHub] "
# Sign-up asks for the name other organisations see; allauth names people by it too.
ACCOUNT_SIGNUP_FORM_CLASS = "partnerhub.signup.SignupForm"
ACCOUNT_USER_DISPLAY = "partnerhub.adapter.user_display"
# Changes to an account (password, e-mail address, second factor) are told by e-mail,
# in the site's own words (partnerhub.account_mail).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so the limits are visible and reviewable.
    "login": "30/m/ip",
    # The key is the address *and* the source (partnerhub.adapter): a stranger cannot
    # lock a person out, and each source is still held to 10 failures a minute.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}
# Sign-up answers the same, in the same time, for a known and an unknown address.
ACCOUNT_PREVENT_ENUMERATION = True
# ... and every sign-up POST answers no sooner than this after it arrived
# (partnerhub.pacing): above a password hash (~0.25 s) plus a new account's rows.
SIGNUP_ANSWER_SECONDS = 0.6
ACCOUNT_ADAPTER = "partnerhub.adapter.AccountAdapter"

# Second factor: an authenticator app (TOTP) and recovery codes. Required for
# staff before the admin opens (partnerhub.middleware.StaffMFAMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PartnerHub"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PartnerHub <noreply@partnerhub.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that does not answer must not hold a worker for minutes.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Links in e-mails are built from these, never from the request's Host header.
SITE_NAME = "PartnerHub"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (e-mail, digests) goes through Django's tasks API: the
# django-tasks backport with its database backend, so no extra server is needed.
# Run the worker with `manage.py task_worker` (docs/operations.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email"],
    }
}
# A failed e-mail is tried again after 1, 5, 30 minutes, 2 and 6 hours, then given up
# (the in-app notification stays either way).
EMAIL_RETRY_DELAYS = [60, 300, 1800, 7200, 21600]

# How often one person and one organisation may do each of these per day. The counters
# live in the default cache, which production shares between workers (Redis).
PARTNERHUB_DAILY_LIMITS = {
    "application": {"user": 20, "organisation": 30},
    "invitation": {"user": 40, "organisation": 60},
    "membership_invitation": {"user": 40, "organisation": 60},
    "conversation": {"user": 20, "organisation": 30},
    "message": {"user": 200, "organisation": 400},
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lv", _("Latvian")),
    ("lt", _("Lithuanian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Lithuanian thousands grouped by a space, not Django's "." (partnerhub/formats/lt).
FORMAT_MODULE_PATH = ["partnerhub.formats"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Logos: small raster images only; larger files are refused at the form.
LOGO_MAX_BYTES = 1024 * 1024
# Request bodies: anything larger is refused from its Content-Length before it is read
# (partnerhub.middleware.RequestLimitsMiddleware); the proxy's own limit sits just above
# (docs/operations.md). Form fields are read into memory up to 2.5 MB, files above 1 MB
# go to a temporary file, and no form has more than 1,000 fields.
MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# Content-Security-Policy (django-csp): only the site's own scripts and styles, no
# inline code, no plugins, no framing, no <base>. The one inline style (the 500 page,
# which must render without static files) carries a nonce. Images may be data: URIs
# for the QR code of the authenticator set-up.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# Matching: weights of the score's components (they must sum to 1). Empty
# keeps scoring.DEFAULT_WEIGHTS; staff see the weights in use at /matching/weights/.
# A deployment sets them without a code change in the environment, as JSON:
# MATCHING_WEIGHTS='{"goals": 0.198, "trust": 0.0}' (system check matching.E001
# stops the start when they are not valid).
MATCHING_WEIGHTS: dict[str, float] = json.loads(os.environ.get("MATCHING_WEIGHTS") or "{}")
