"""Settings for the Sammachip district portal.

Everything that differs between a laptop and production comes from the environment, read
through the small typed helpers below, which fail loudly on a value they cannot read.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import DEFAULT_LOGGING

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-not-secret-sammachip"  # noqa: S105 - development default only
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_filters",
    "simple_history",
    "django_tasks",
    "sammachip.apps.TasksDatabaseConfig",  # django_tasks_db, named in Thai
    "sammachip.apps.AxesConfig",  # axes, named in Thai
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the app (no CDN)
    "districts",
    "people",
    "assignments",
    "fieldwork",
    "evaluations",
    "imports",
    "sammachip",
]

MIDDLEWARE = [
    # First: the request's id and, with LOG_FORMAT=json, its one log line with the duration
    "sammachip.middleware.RequestLogMiddleware",
    # Next, so that its headers are on every response, redirects and static files included;
    # it reads request.user on the way out, once AuthenticationMiddleware has set it.
    "sammachip.middleware.PrivateResponsesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sammachip.middleware.RefuseNulMiddleware",  # PostgreSQL takes no NUL in a string
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sammachip.middleware.LanguageMiddleware",  # Thai unless chosen; not Accept-Language
    "sammachip.middleware.SlidingSessionMiddleware",
    "sammachip.middleware.YearPickMiddleware",  # the year a picker sent, kept for the session
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sammachip.middleware.LoginRequiredMiddleware",  # Django's; a lost POST is told so
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before the password check
    # Django's ModelBackend, with the person's unread notifications counted in the query that
    # loads them on every request (the navigation bar's badge costs no query of its own)
    "districts.notify.auth.ModelBackend",
    # Django's own, after it: a session begun before the backend above existed names this
    # one, and stays logged in (its badge then counts in a query of its own)
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username from one address after 5 failures, for 30 minutes; another officer in the
# same office (same address) is not locked out by a colleague's typos, nor the other way round.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of the app (1 behind one nginx); the lockout uses the address they forward
PROXY_COUNT = envint("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "sammachip.middleware.client_address"

ROOT_URLCONF = "sammachip.urls"

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
            ],
            "builtins": ["districts.templatetags.thai", "sammachip.templatetags.icons"],
        },
    },
]

WSGI_APPLICATION = "sammachip.wsgi.application"


def database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=envint("CONN_MAX_AGE", 60))
    # Form choices iterate their queryset with .iterator(), which on PostgreSQL opens a
    # server-side cursor WITH HOLD: three round trips and a materialised result for a dozen
    # options, about 1 ms per select on every form page (docs/performance.md). Every result
    # the portal iterates fits in memory, so the plain client-side cursor is used.
    config["DISABLE_SERVER_SIDE_CURSORS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A deferred transaction that reads and then writes cannot wait for another writer:
        # SQLite answers "database is locked" at once, whatever the timeout, and the request
        # is a 500. Taking the write lock at BEGIN makes the second writer wait its turn, for
        # up to 20 s.
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    elif config["ENGINE"].startswith("django.db.backends.postgresql"):
        # A database host that went away answers /healthz (and pages) in seconds, not minutes
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (districts/fragments.py keeps parts of pages in it, keyed by the change count of
# what they show, so nothing kept is older than the last write). CACHE_URL names a Redis
# shared by every server (redis://127.0.0.1:6379/1); without it each worker keeps its own,
# in memory, and nothing needs a server. A kept part is 10-100 KB.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "TIMEOUT": envint("CACHE_SECONDS", 24 * 60 * 60),
            # a Redis that went away fails a request (and /healthz) in seconds, not never
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": envint("CACHE_SECONDS", 24 * 60 * 60),
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_ENTRIES", 1000)},
        }
    }
elif CACHE_URL == "dummy://":  # nothing kept: every page rendered (bench/, measurements)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://, locmem:// or dummy://: {CACHE_URL!r}")
FRAGMENT_CACHE = "default"

# Third-party models whose writes change nothing a page shows (districts/changes.py): the
# project's own quiet models say so on themselves.
CHANGES_QUIET_MODELS = [
    "sessions.Session",
    "admin.LogEntry",  # written with the change it records
    "axes",  # login attempts and lockouts
    "django_tasks_database",  # a task's own bookkeeping: what the task writes records its changes
]

AUTH_USER_MODEL = "districts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Logged out after two hours without a request (a shared office computer): the sliding
# session middleware renews the expiry as people work. Django gives a new session key at
# every login.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 2 * 60 * 60)
# Sessions stay in the database (Django's default backend), not in the cache (cached_db),
# even with a shared Redis: one place decides who is logged in, so a logout or a password
# change on one server holds on every server at once, whatever the cache; flushing Redis
# (after a restore: docs/deploy.md) logs nobody out; with the default per-process cache,
# cached_db would let another process keep a logged-out session. The cost is one read by
# primary key per request (docs/deploy.md, "Several servers").
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Thai first: Thai is the default language, English is available from the menu.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
# Ours first (made by makemessages); then, kept by hand, Thai for the strings of Django and
# of the admin's libraries that their own Thai catalogues lack (locale_django/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Assets come from npm (package-lock.json) and are served by the app: no CDN at run time.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/sarabun", NODE_MODULES / "@fontsource" / "sarabun"),
    # built from npm by frontend/build.mjs (`make assets`): the used CSS, the font subsets,
    # the officer's offline app
    ("build", BASE_DIR / "frontend" / "dist" / "static"),
]


def file_storage(url: str) -> dict:
    """Where uploaded and generated files go (photos, imported and exported files).

    Nothing set: the local disk under MEDIA_ROOT (one server). ``STORAGE_URL=s3://<bucket>``:
    an S3-compatible object store through django-storages, shared by every app server and
    the worker; its endpoint, keys, region and addressing style come from the ``AWS_*``
    variables django-storages and boto3 read (keys may also come from the host's role).
    Every object is private: no public ACL, and no page links to the store (photos are
    streamed by the app after its scope check: docs/deploy.md).
    """
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    scheme, _sep, bucket = url.partition("://")
    if scheme != "s3" or not bucket or "/" in bucket.strip("/"):
        raise ImproperlyConfigured(f"STORAGE_URL must be s3://<bucket>, got {url!r}")
    from botocore.config import Config

    options = {
        "bucket_name": bucket.strip("/"),
        # (django-storages ignores its own addressing_style and signature_version options
        # when given a client_config: they are set here.) A store that went away fails a
        # request (and /healthz) in seconds.
        "client_config": Config(
            s3={"addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None},
            signature_version="s3v4",
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 3},
        ),
        "default_acl": "private",
        "querystring_auth": True,  # a URL of the store is signed and short-lived if ever made
        "querystring_expire": envint("AWS_QUERYSTRING_EXPIRE", 300),
        "file_overwrite": False,  # names are random; never replace another's file
        "location": os.environ.get("AWS_LOCATION", ""),
    }
    for option, name in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),  # MinIO, Ceph, a cloud's S3-compatible store
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ):
        if os.environ.get(name):
            options[option] = os.environ[name]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGE_URL = os.environ.get("STORAGE_URL", "")
STORAGES = {
    "default": file_storage(STORAGE_URL),
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Widgets render with the project's template engine, so templates/forms/ can lay out options.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_USE_TRANSACTIONS = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Production: `PRODUCTION=true` behind HTTPS. `manage.py check --deploy --fail-level WARNING`
# passes with it (CI runs that check).
PRODUCTION = envbool("PRODUCTION", "false")
SESSION_COOKIE_SECURE = PRODUCTION or envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("PRODUCTION=true needs DEBUG=false")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    # The load balancer asks each server over plain HTTP on the private network
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The REST API (sammachip/api, docs/api.md): a personal access token or the portal's session
# (with CSRF), the user's scope, a page by cursor, errors in JSON in Thai and English.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sammachip.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["sammachip.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_RATE", "600/min")},
    "DEFAULT_PAGINATION_CLASS": "sammachip.api.pagination.Cursor",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sammachip.api.errors.handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sammachip portal API",
    "DESCRIPTION": "Read the programme's records in your scope and log field visits "
    "(docs/api.md). Authorization: Bearer <personal access token>.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Content-Security-Policy: scripts only from the app itself, never inline. Styles may be
# inline (style attributes for bar widths; htmx's indicator style); images may be data: URIs
# (Bootstrap's icons in its CSS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Django's own "django" logger wrote to the console and also passed each record on to the
# root's: every "Not Found" and autoreloader line came out twice. It has one handler here; its
# runserver request log ("django.server", reset by naming "django") is kept as Django sets it.
# LOG_FORMAT=json (several servers, a log collector): every record as one line of JSON, and
# one line per request (sammachip.middleware.RequestLogMiddleware) with its id, user id,
# path, status and duration.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": DEFAULT_LOGGING["formatters"]["django.server"],
        "json": {"()": "sammachip.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        },
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
        "sammachip.requests": {
            "handlers": ["console"],
            "level": "INFO" if LOG_FORMAT == "json" else "WARNING",
            "propagate": False,
        },
    },
}
# /healthz's answer is kept this long in each process (sammachip/health.py)
HEALTHZ_SECONDS = envint("HEALTHZ_SECONDS", 2)

# Field visits
PHOTO_MAX_BYTES = envint("PHOTO_MAX_BYTES", 10 * 1024 * 1024)  # a phone photo is 2-6 MB
# A phone's largest photo is 48-50 MP (8000 x 6000); most are 12. A decoded megapixel takes
# 3 MB and tens of milliseconds in the worker, and a file's size says nothing of it (ten 49 MP
# PNGs of 200 KB each took 31 s and 980 MB of one worker), so a visit's photos together are
# held to 200 MP, weighed from their headers before any is decoded.
PHOTO_MAX_PIXELS = envint("PHOTO_MAX_PIXELS", 50_000_000)  # also refuses decompression bombs
PHOTO_MAX_VISIT_PIXELS = envint("PHOTO_MAX_VISIT_PIXELS", 200_000_000)
PHOTO_MAX_COUNT = envint("PHOTO_MAX_COUNT", 10)  # per visit
VISIT_FAR_KM = envint("VISIT_FAR_KM", 15)  # farther from the tambon centre is flagged
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Spreadsheet imports
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED = envint("IMPORT_MAX_UNCOMPRESSED", 200 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", 100)
# Files that unpack larger are checked by the worker: reading costs by the cells, not the bytes
IMPORT_SYNC_UNPACKED = envint("IMPORT_SYNC_UNPACKED", 4 * 1024 * 1024)
# A worker silent this long on a batch is taken for dead (PostgreSQL knows sooner: row locks)
IMPORT_STUCK_AFTER = dt.timedelta(minutes=envint("IMPORT_STUCK_MINUTES", 30))
IMPORT_SYNC_ROWS = envint("IMPORT_SYNC_ROWS", 5_000)  # more rows: applied in the worker

# Background work (large imports): a database queue, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Notifications (districts/notify, docs/deploy.md "LINE"): links in LINE messages and emails
# are absolute, from SITE_URL. LINE is off without its access token.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL", "https://api.line.me")
LINE_OFFICIAL_ACCOUNT = os.environ.get("LINE_OFFICIAL_ACCOUNT", "")  # its @id, shown to people
# Email: the console unless EMAIL_HOST names an SMTP server
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sammachip@localhost")
