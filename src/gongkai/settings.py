"""The one settings module, configured by ``GONGKAI_*`` environment variables.

With no variables set, Gongkai runs on a SQLite file under ``var/`` with a secret key generated
into ``var/secret_key`` on first start. Bad values stop the process with ``ImproperlyConfigured``.
See README.md ("Configuration") for the list.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gongkai.core.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("GONGKAI_HOME") or Path.cwd())
VAR_DIR = Path(env_str("GONGKAI_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("GONGKAI_DEBUG", False)


def _secret_key() -> str:
    configured = env_str("GONGKAI_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("GONGKAI_SECRET_KEY must be at least 32 characters long")
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _field_keys() -> list[str]:
    """Fernet keys for personal data at rest (gongkai.core.crypto): the first encrypts, all
    decrypt. ``GONGKAI_FIELD_KEYS`` (comma separated) or ``var/field_keys``, made on first start."""
    from cryptography.fernet import Fernet

    keys = env_list("GONGKAI_FIELD_KEYS", [])
    if not keys:
        key_file = VAR_DIR / "field_keys"
        if not key_file.exists():
            # Written aside then hard-linked: processes starting together all read one key.
            draft = VAR_DIR / f".field_keys.{secrets.token_hex(8)}"
            draft.write_text(Fernet.generate_key().decode())
            draft.chmod(0o600)
            try:
                key_file.hardlink_to(draft)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        keys = [k.strip() for k in key_file.read_text().split(",") if k.strip()]
        if not keys:
            raise ImproperlyConfigured(f"{key_file} is empty: restore the field keys")
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"GONGKAI_FIELD_KEYS: key {number} is not a Fernet key (32 url-safe base64 bytes)"
            ) from exc
    return keys


GONGKAI_FIELD_KEYS = _field_keys()
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",  # its static files: the API docs page works offline
    "gongkai.site",
    "gongkai.agencies",
    "gongkai.workdays",
    "gongkai.applications",
    "gongkai.letters",
    "gongkai.publications",
    "gongkai.reports",
    "gongkai.supervision",
    "gongkai.search",
    "gongkai.apitokens",
    "gongkai.accounts",  # two-factor login (TOTP)
    "gongkai.bench",  # gongkai synth (no models)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.site.security.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.site.nulbytes.RejectNulBytesMiddleware",  # ?q=a%00b → 400, not a database error
    "gongkai.core.dbrouter.PortalReadMiddleware",  # anonymous portal reads → replica, if any
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongkai.site.dbfaults.DatabaseUnavailableMiddleware",  # busy database → 503, not 500
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.site.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("GONGKAI_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 0))
except Exception as exc:  # dj_database_url raises several types for a malformed URL
    raise ImproperlyConfigured(f"GONGKAI_DATABASE_URL is not a valid database URL: {exc}") from exc

if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE transactions take the write lock at
    # BEGIN, so two writers queue on the busy timeout instead of failing with "database is locked"
    # when one of them upgrades a read transaction.
    _db["OPTIONS"] = {
        "timeout": env_int("GONGKAI_SQLITE_BUSY_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    _db.setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test_gongkai.sqlite3")
elif _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("GONGKAI_DATABASE_URL must point to SQLite or PostgreSQL")

DATABASES = {"default": _db}

# Optional read replica (docs/deployment.md "Read replica"): anonymous portal reads of the public
# models go to it (gongkai.core.dbrouter); writes, staff and the request intake use the primary.
DATABASE_REPLICA_URL = env_str("GONGKAI_DATABASE_REPLICA_URL")
DATABASE_ROUTERS = ["gongkai.core.dbrouter.PortalReplicaRouter"]  # inert without a replica
if DATABASE_REPLICA_URL:
    try:
        _replica = dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 0)
        )
    except Exception as exc:
        raise ImproperlyConfigured(
            f"GONGKAI_DATABASE_REPLICA_URL is not a valid database URL: {exc}"
        ) from exc
    if _replica["ENGINE"] != _db["ENGINE"]:
        raise ImproperlyConfigured(
            "GONGKAI_DATABASE_REPLICA_URL must use the same database engine as GONGKAI_DATABASE_URL"
        )
    if _replica["ENGINE"] == "django.db.backends.sqlite3":
        _replica["OPTIONS"] = {"timeout": _db["OPTIONS"]["timeout"]}
    _replica["TEST"] = {"MIRROR": "default"}  # the test suite reads its own test database
    DATABASES["replica"] = _replica
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gongkai.site.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "site:login"
LOGIN_REDIRECT_URL = "site:console"
LOGOUT_REDIRECT_URL = "site:home"

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("GONGKAI_STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("GONGKAI_MEDIA_ROOT") or VAR_DIR / "media")
# Uploads and letters on S3-compatible object storage when GONGKAI_S3_BUCKET is set (docs/
# deployment.md "Uploaded files"): private objects, never linked to; the download views stream
# them after their permission checks, as they do files on disk.
S3_BUCKET = env_str("GONGKAI_S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("GONGKAI_S3_ENDPOINT_URL") or None,
            "access_key": env_str("GONGKAI_S3_ACCESS_KEY") or None,
            "secret_key": env_str("GONGKAI_S3_SECRET_KEY") or None,
            "region_name": env_str("GONGKAI_S3_REGION") or None,
            "addressing_style": env_str("GONGKAI_S3_ADDRESSING_STYLE") or "path",
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,  # a URL, if ever made, is signed and expires
            "querystring_expire": 300,
            "file_overwrite": False,  # like the file system: a taken name gets a suffix
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("GONGKAI_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("GONGKAI_DEFAULT_FROM_EMAIL") or "gongkai@localhost"
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25)

# --- Caches and sessions ------------------------------------------------------------------------
# A database cache by default, so rate limits and captcha replay records are shared by all
# gunicorn workers without another server (`gongkai createcachetable` creates the table).
CACHES = {
    "default": {
        "BACKEND": env_str("GONGKAI_CACHE_BACKEND")
        or "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": env_str("GONGKAI_CACHE_LOCATION") or "gongkai_cache",
    }
}
# Anonymous portal pages (gongkai.site.pagecache) in a table of their own, so that thousands of
# document pages never evict the rate limits and captcha records above. It must be shared by all
# workers (the invalidation is a value in it). GONGKAI_PORTAL_CACHE=0 (or no alias) turns it off.
if env_bool("GONGKAI_PORTAL_CACHE", True):
    CACHES["portal"] = {
        "BACKEND": env_str("GONGKAI_PORTAL_CACHE_BACKEND") or CACHES["default"]["BACKEND"],
        "LOCATION": env_str("GONGKAI_PORTAL_CACHE_LOCATION") or "gongkai_portal_cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": env_int("GONGKAI_PORTAL_CACHE_ENTRIES", 50_000)},
    }
# Cache-Control max-age of cached portal pages: 0 = browsers and nginx revalidate (ETag) every
# time, so a withdrawn document disappears at once; 60 lets them reuse a page for a minute.
GONGKAI_PORTAL_MAX_AGE = env_int("GONGKAI_PORTAL_MAX_AGE", 0)
SESSION_COOKIE_HTTPONLY = True

# --- HTTPS and security headers (docs/deployment.md "HTTPS") --------------------------------------
# GONGKAI_HTTPS=1 in production: nginx terminates TLS and sets X-Forwarded-Proto, Django redirects
# plain HTTP to HTTPS, sends HSTS and marks the cookies secure. The CSP and Permissions-Policy
# headers come from gongkai.site.security.SecurityHeadersMiddleware.
HTTPS = env_bool("GONGKAI_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]  # local health checks over plain HTTP
SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is the domain owner's decision (hstspreload.org, on the registrable domain), so it is
# opt-in; with it off the deploy check's reminder about it (W021) is silenced.
SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("GONGKAI_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Gongkai rules ------------------------------------------------------------------------------
# Traffic lights for request deadlines: yellow when this many working days or fewer remain.
GONGKAI_YELLOW_WORKDAYS = env_int("GONGKAI_YELLOW_WORKDAYS", 5)
# Supervision tasks (督办): yellow when due within this many working days.
GONGKAI_SUPERVISION_YELLOW_WORKDAYS = env_int("GONGKAI_SUPERVISION_YELLOW_WORKDAYS", 5)
# Public base URL for links in e-mails sent by commands (e.g. https://gongkai.example.gov.cn).
GONGKAI_SITE_URL = env_str("GONGKAI_SITE_URL") or ""
# Personal data of closed requests is erased this many years after closing (gongkai privacy erase).
GONGKAI_RETENTION_YEARS = env_int("GONGKAI_RETENTION_YEARS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "gongkai.core.masking.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL") or "WARNING"},
}
