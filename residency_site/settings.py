"""Settings for Residency Programs, read from the environment (see .env.example).

Safe by default: DEBUG is off unless asked for, and with no DATABASE_URL the site uses a
SQLite file under var/ so that `make run` needs no setup.
"""

import importlib.util
import secrets
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise keep a random key per installation in var/."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Read replicas of the primary, comma separated (docs/deploy.md): the public directory's
# reads by visitors without a session go to one of them.
for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica{number}"] = {**env.db_url_config(url), "TEST": {"MIRROR": "default"}}
for database in DATABASES.values():
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
READ_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["residency_site.replicas.PrimaryReplicaRouter"] if READ_REPLICAS else []

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
    # Always installed: the program's stored search document is a PostgreSQL type (an
    # unused column elsewhere), and the app does nothing on other databases.
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "django_countries",
    "simple_history",
    "axes",
    "applicants",
    "programs",
    "representatives",
    # The offline build of fixtures/ (build_fixtures): deployments may leave the folder out.
    *(["sources"] if importlib.util.find_spec("sources") else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "residency_site.unreadable.RefuseUnreadableRequests",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "residency_site.privacy.PrivateWhenPersonal",
    "residency_site.sessions.AdminIdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    *(["residency_site.replicas.ReplicaMiddleware"] if READ_REPLICAS else []),
    "applicants.logins.LoginLimits",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "residency_site.urls"
WSGI_APPLICATION = "residency_site.wsgi.application"

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
                "applicants.context_processors.applicant",
                "applicants.context_processors.saved_programs",
                "programs.fragments.csrf_stand_in",
            ],
        },
    },
]

AUTH_USER_MODEL = "applicants.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "applicants.passwords.MaximumLengthValidator"},
]
LOGIN_URL = "applicants:login"
LOGIN_REDIRECT_URL = "applicants:matches"
LOGOUT_REDIRECT_URL = "programs:home"

# Failed logins, the admin's included, are limited three ways for LOGIN_LOCKOUT_HOURS
# (applicants.logins): per address across accounts and per account across addresses, in
# the shared cache before any password is hashed (an account past its limit stays open to
# the browsers that have logged in to it before); and per account and address by
# django-axes, whose attempts are kept in the database; successful logins are not logged.
LOGIN_LOCKOUT_HOURS = env.float("LOGIN_LOCKOUT_HOURS", default=1.0)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=10)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_HOURS
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "applicants/locked_out.html"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
# Behind a proxy the caller's address is the last one the proxy appended.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "residency_site.clients.client_address"
# Hourly limits per address, in the shared cache (residency_site.clients).
REPORTS_PER_HOUR = env.int("REPORTS_PER_HOUR", default=5)
SIGNUPS_PER_HOUR = env.int("SIGNUPS_PER_HOUR", default=5)
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=5)
# Password reset mails to one recipient an hour, whoever asks (applicants.views.accounts).
PASSWORD_RESET_MAILS_PER_RECIPIENT = env.int("PASSWORD_RESET_MAILS_PER_RECIPIENT", default=3)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The admin's changelist filters and the CSV import post many fields at once.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SHARED_CACHE = CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
if SHARED_CACHE:
    # Redis unreachable, pages are served from the database (residency_site.cache).
    CACHES["default"]["BACKEND"] = "residency_site.cache.ResilientRedisCache"
# Sessions live in the database; with a shared cache they are also read from it (a cache
# each worker keeps for itself could hand one worker another's stale copy).
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if SHARED_CACHE else "db")

_email = env.email("EMAIL_URL", default="consolemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # Printed decoded, so that a long link can be opened as printed (residency_site/mail.py).
    _email["EMAIL_BACKEND"] = "residency_site.mail.EmailBackend"
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Residency Programs <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# A choice: every subdomain must then serve HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never the cookie
# Scripts and styles only from the site's own files: no inline script, style element or
# style attribute runs (bars are drawn with classes; htmx's own indicator style is off).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# Admin sessions end after this much inactivity (residency_site.sessions).
ADMIN_IDLE_MINUTES = env.int("ADMIN_IDLE_MINUTES", default=30)

# Every handler drops secrets (feed, password-reset and verification tokens) from what it
# writes, Django's request warnings, the runserver's lines and error reports included
# (residency_site.log_redaction); Django's own handlers are replaced by these.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "residency_site.log_redaction.RedactSecrets"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
DEFAULT_EXCEPTION_REPORTER = "residency_site.log_redaction.RedactingExceptionReporter"

# Programs whose facts were last verified longer ago than this are flagged as possibly outdated.
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=365)
