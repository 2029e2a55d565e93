"""Netral settings: everything comes from the environment, with safe defaults.

- ``NETRAL_DATA_DIR``: where the SQLite database, generated keys and files live.
- ``DATABASE_URL``: e.g. ``postgres://user@host/netral``; SQLite in the data folder if unset.
- ``SECRET_KEY`` / ``NETRAL_ENCRYPTION_KEYS``: generated into the data folder on first run.
- ``NETRAL_DEBUG``: ``1`` only for the development server.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from netral.keys import read_or_create_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NETRAL_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("NETRAL_DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_key(DATA_DIR / "secret_key", "django")
# Fernet keys for data encrypted at rest (reporter identity, sealed evidence). The first
# key encrypts; every key decrypts, so a new key can be put in front to rotate.
ENCRYPTION_KEYS = env_list("NETRAL_ENCRYPTION_KEYS") or [
    read_or_create_key(DATA_DIR / "encryption_key", "fernet")
]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A Tor onion service beside the normal address (docs/deploy.md, netral/onion.py): its host name,
# e.g. "netralbawaslubeltimonionexampleexampleexampleexampleabcd.onion", served over plain HTTP
# inside Tor. Added to the allowed hosts and trusted origins here; HTTPS-only behaviours skip it.
NETRAL_ONION_HOST = os.environ.get("NETRAL_ONION_HOST", "").strip().lower().removeprefix("http://").rstrip("/")
if NETRAL_ONION_HOST:
    ALLOWED_HOSTS.append(NETRAL_ONION_HOST)
    CSRF_TRUSTED_ORIGINS.append(f"http://{NETRAL_ONION_HOST}")
NETRAL_SSL_REDIRECT_EXCEPT_ONION = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",  # Content-Security-Policy with nonces (django-csp); the policy is below
    # Staff login: a TOTP second factor (django-two-factor-auth on django-otp, authenticator
    # apps and backup codes only) and throttled passwords (django-axes). See accounts/.
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    # The API (django-ninja, with its own Swagger UI files: no CDN). See api/.
    "ninja",
    # Background jobs (register imports): Django's task interface (django-tasks) with its
    # database backend, so web and worker processes share the database. See docs/deploy.md.
    "django_tasks",
    "django_tasks_db",
    # Domain apps, from the bottom up (see DESIGN.md).
    "audit",
    "storage",  # every stored file: preparing, writing with the transaction, staging, kinds
    "regions",
    "organizations",
    "accounts",
    "exports",  # files built in the background for the one who asked (the apps above register kinds)
    "registry",
    "rules",
    "letters",
    "reports",
    "intake",  # reports by WhatsApp, Telegram and SMS conversations (docs/channels.md)
    "cases",
    "followup",
    "prevention",
    "agreements",
    # Faces.
    "portal",
    "onboarding",  # bringing a regional government in: invitations' pages and the checklist (issue 20)
    "api",
    "ops",
    "demo",
]

MIDDLEWARE = [
    "netral.onion.OnionServiceMiddleware",  # first: the onion address is plain HTTP inside Tor
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for public pages only, never where it could leak a secret (BREACH; netral/compression.py).
    # Above every middleware that writes a body, below WhiteNoise (static files come pre-compressed).
    "netral.compression.PublicCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netral.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "netral.csrf.CsrfViewMiddleware",  # Django's, plus "Origin: null" from our own pages (no-referrer)
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "netral.middleware.PrivacyHeadersMiddleware",
    "netral.middleware.ControlCharactersMiddleware",  # a 400 for NUL and other control characters
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "netral.urls"
WSGI_APPLICATION = "netral.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
            "libraries": {"pages": "netral.pages", "clock": "netral.clock"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'netral.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it: after a database restart the
        # first request of each web thread gets a new connection instead of a 500 (bench/faults.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN
    # so that concurrent submissions queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}


def _no_jit(database: dict) -> None:
    """PostgreSQL's JIT compilation pays off for long analytical queries, not for a page's: it
    compiled the dashboards' grouped queries for 13-190 ms each time (docs/performance.md)."""
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        if "jit" not in options.get("options", ""):
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()


_no_jit(DATABASES["default"])

# A read replica for dashboards (optional, netral/db.py): reads go there only inside
# `with replica():`. In tests it mirrors the default database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    _no_jit(DATABASES["replica"])
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        # A stopped or unreachable standby costs a read this long before falling back to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("NETRAL_REPLICA_CONNECT_TIMEOUT", "2"))
DATABASE_ROUTERS = ["netral.db.ReplicaRouter"]
# The replica is used while its replay lag is under this, checked at most once per
# NETRAL_REPLICA_CHECK_SECONDS per process; otherwise reads go to the primary (netral/db.py).
NETRAL_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("NETRAL_REPLICA_MAX_LAG_SECONDS", "30"))
NETRAL_REPLICA_CHECK_SECONDS = float(os.environ.get("NETRAL_REPLICA_CHECK_SECONDS", "5"))

# Background tasks: queued in the database, run by `manage.py db_worker` (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"
# django-axes' backend first: it refuses a locked-out username+address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Second factor (accounts.middleware requires it of every account). No "remember this
# browser" cookie (TWO_FACTOR_REMEMBER_COOKIE_AGE unset): every login asks for a code.
# The admin never shows a TOTP key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Failed passwords (django-axes): 5 for one username from one address lock that pair for
# 30 minutes (accounts/throttling.py says so in the lockout message). The pair, not the
# address alone, so that one person's typos do not lock an office behind one NAT address.
# Axes keeps only what the lockout needs, for as long as it lasts (docs/threat-model.md).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no row for each successful login
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_PASSWORD_FORM_FIELD = "auth-password"  # the login wizard's field: masked in stored POST data
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.login_address"
AXES_CLIENT_STR_CALLABLE = "accounts.throttling.log_label"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_VERBOSE = False  # no start-up banner on every command

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Shared by every web process (rate limits must not multiply with the worker count).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "netral_cache",
    }
}
RATELIMIT_USE_CACHE = "default"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
LANGUAGE_COOKIE_NAME = "netral_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("NETRAL_MEDIA_ROOT", DATA_DIR / "media"))
# Evidence originals, encrypted, never served over HTTP.
SEALED_ROOT = Path(os.environ.get("NETRAL_SEALED_ROOT", DATA_DIR / "sealed"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "sealed": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": SEALED_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("NETRAL_STATIC_MANIFEST")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Object storage (S3-compatible: MinIO, Ceph, Garage, AWS...) for uploads and sealed evidence
# when NETRAL_S3_BUCKET is set, so that every web and worker node shares the files. Files
# are private and only ever served through Netral's access-checked views.
if os.environ.get("NETRAL_S3_BUCKET"):
    _s3 = {
        "bucket_name": os.environ["NETRAL_S3_BUCKET"],
        "endpoint_url": os.environ.get("NETRAL_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("NETRAL_S3_REGION") or None,
        "access_key": os.environ.get("NETRAL_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("NETRAL_S3_SECRET_ACCESS_KEY") or None,
        "default_acl": "private",
        "file_overwrite": False,  # a new name for a taken one, as on the file system
        # A file opened from the bucket (a download, a backup, an integrity check) is fetched
        # into a temporary file: in memory up to this size, then on disk (django-storages' 0
        # would keep a whole register file or video in memory).
        "max_memory_size": 2_621_440,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "media"}}
    STORAGES["sealed"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "sealed"}}
WHITENOISE_USE_FINDERS = not env_bool("NETRAL_STATIC_MANIFEST")

# Uploads: files above 2.5 MB spool to disk; the evidence rules (storage/prepare.py)
# enforce the per-file limits with a message in the reporter's language.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Django's hard limit, past which a request is not read at all. The public forms read at most
# NETRAL_EVIDENCE_MAX_FILES files and drop the rest with a message (reports/uploads.py), so a
# reporter who picks 25 photos gets the form back with what was typed, not an error page.
DATA_UPLOAD_MAX_NUMBER_FILES = 100
NETRAL_EVIDENCE_MAX_BYTES = int(os.environ.get("NETRAL_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
NETRAL_EVIDENCE_MAX_FILES = 10
# Files of a report form sent back for corrections wait on the server (reports.StagedFile)
# this long, and never more than these many bytes per client address (counted under a keyed
# pseudonym in storage.StagingCounter, storage/staging.py) and in total. Past a quota the files are
# simply not kept, and the reporter is told to attach them again.
NETRAL_STAGING_LIFE = timedelta(hours=int(os.environ.get("NETRAL_STAGING_LIFE_HOURS", "2")))
NETRAL_STAGING_QUOTA_PER_CLIENT = int(os.environ.get("NETRAL_STAGING_QUOTA_PER_CLIENT", 100 * 1024 * 1024))
NETRAL_STAGING_QUOTA_TOTAL = int(os.environ.get("NETRAL_STAGING_QUOTA_TOTAL", 2 * 1024 * 1024 * 1024))
# Exports built in the background (exports.ExportJob) are kept this long, then purged (purge_exports).
NETRAL_EXPORT_LIFE = timedelta(hours=int(os.environ.get("NETRAL_EXPORT_LIFE_HOURS", "24")))
# Register files (registry imports): a national export is a few hundred megabytes.
NETRAL_REGISTER_MAX_BYTES = int(os.environ.get("NETRAL_REGISTER_MAX_BYTES", 2**30))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# No Referer at all, not even to ourselves: a reporter's tracking page must not leak its URL.
# With it browsers send "Origin: null" (and no Referer) on form posts; netral.csrf accepts
# that only when the browser's Sec-Fetch-Site says the post came from our own pages, and
# still requires the CSRF token (docs/threat-model.md).
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing reads the CSRF cookie from JavaScript: pages and htmx send the token from the
# page (the form field, hx-headers on <body>), so the cookie can be HttpOnly.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# security.W003 looks for Django's CSRF middleware by its dotted name; netral.csrf's is that
# class with the one exception above, and netral/tests/test_deploy_check.py asserts it is on.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
# Content-Security-Policy (django-csp): only our own files, no inline script or style (a
# <script> that must be inline carries the request's nonce), no plugins, no <base>, no
# framing, forms post only to us. Uploaded and generated files get a stricter sandboxing
# policy of their own (netral/files.py); the API docs page relaxes one directive (api/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_bool("NETRAL_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("NETRAL_SSL_REDIRECT", True)
    if NETRAL_ONION_HOST and SECURE_SSL_REDIRECT:
        # Django's redirect would send the onion (plain HTTP inside Tor) to an https:// onion
        # that does not exist; netral.onion redirects every other host instead. security.W008
        # advises exactly this for a site served over both, hence silenced here only.
        SECURE_SSL_REDIRECT, NETRAL_SSL_REDIRECT_EXCEPT_ONION = False, True
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W008"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" in the header only allows a submission to the browsers' list (hstspreload.org),
    # which stays a manual decision of the installation; 0 for a domain that must keep plain HTTP.
    SECURE_HSTS_PRELOAD = env_bool("NETRAL_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "netral@localhost")

# Rate limit of tracking-code guesses: failures per browser session, and a much larger
# budget per network address so that an office behind one address is not locked out.
NETRAL_TRACKING_FAILURES_PER_SESSION = "5/10m"
NETRAL_TRACKING_FAILURES_PER_ADDRESS = "200/10m"
# Password-reset e-mails: per client address and per e-mail address (accounts/views.py); past
# them the page answers as always and sends nothing.
NETRAL_PASSWORD_RESETS_PER_ADDRESS = "10/h"
NETRAL_PASSWORD_RESETS_PER_EMAIL = "3/h"
# Number of trusted reverse proxies in front of the app (for the client address).
NETRAL_TRUSTED_PROXIES = int(os.environ.get("NETRAL_TRUSTED_PROXIES", "0"))

# Follow-up of recommendations (manage.py followup_remind, daily): days between two
# reminders of an overdue recommendation, and reminders before it escalates one level
# (levels: rules/data/escalation.yaml). Installation policy, not law.
NETRAL_REMINDER_INTERVAL_DAYS = int(os.environ.get("NETRAL_REMINDER_INTERVAL_DAYS", "3"))
NETRAL_REMINDERS_BEFORE_ESCALATION = int(os.environ.get("NETRAL_REMINDERS_BEFORE_ESCALATION", "2"))
# Reporter identities are erased this many days after the report's handling ended (case
# decided, or report not registered or withdrawn): manage.py purge_reporter_identities, daily.
# Installation policy, not law: the domain notes set no period (docs/operations.md).
NETRAL_REPORTER_RETENTION_DAYS = int(os.environ.get("NETRAL_REPORTER_RETENTION_DAYS", "365"))
# The public follow-up register masks reported persons' names ("R*** H******") unless
# the installation decides to publish them in full (followup/public.py).
NETRAL_PUBLISH_NAMES = env_bool("NETRAL_PUBLISH_NAMES")
# The public pages show a reported person's unit and class of position only where at least this
# many people of the register share them, else the class alone, else neither (registry/disclosure.py).
NETRAL_PUBLIC_K_ANONYMITY = int(os.environ.get("NETRAL_PUBLIC_K_ANONYMITY", "5"))
# The public statistics read figures computed ahead (followup/public_figures.py): older than this many
# seconds, the page serves them and queues one refresh.
NETRAL_PUBLIC_FIGURES_MAX_AGE = int(os.environ.get("NETRAL_PUBLIC_FIGURES_MAX_AGE", "60"))
# The pledges' coverage of a province or the whole country is read from figures computed ahead
# (prevention/coverage.py): older than this many seconds, the staff page serves them and queues one refresh.
# Five minutes: a refresh groups the whole register (about 30 s of a worker at 6,000,000 ASN).
NETRAL_COVERAGE_MAX_AGE = int(os.environ.get("NETRAL_COVERAGE_MAX_AGE", "300"))
# Partner API: calls per token (django-ninja's throttle syntax: "600/m", "20/s"). See api/partner.py.
NETRAL_API_RATE = os.environ.get("NETRAL_API_RATE", "600/m")
# Refused tokens are audited up to this many per client address, so guessing cannot flood the log.
NETRAL_API_REFUSED_AUDITS = "30/10m"
# The licence of the open data (/data/), an SPDX id (portal/followup_views.py knows CC-BY-4.0,
# CC0-1.0, ODC-By-1.0, ODbL-1.0).
NETRAL_OPEN_DATA_LICENSE = os.environ.get("NETRAL_OPEN_DATA_LICENSE", "CC-BY-4.0")

# Reports by WhatsApp, Telegram and SMS (intake/, docs/channels.md). A channel is on when its
# secrets are set; none is needed for `make run`, where a fake provider stands in (NETRAL_INTAKE_FAKE,
# on with NETRAL_DEBUG) and its page (/kanal/uji/) plays the reporter's phone.
NETRAL_PUBLIC_URL = os.environ.get("NETRAL_PUBLIC_URL", "http://localhost:8000").rstrip("/")  # links in messages
NETRAL_WHATSAPP_APP_SECRET = os.environ.get("NETRAL_WHATSAPP_APP_SECRET", "")  # signs webhooks (X-Hub-Signature-256)
NETRAL_WHATSAPP_VERIFY_TOKEN = os.environ.get("NETRAL_WHATSAPP_VERIFY_TOKEN", "")  # the webhook set-up handshake
NETRAL_WHATSAPP_ACCESS_TOKEN = os.environ.get("NETRAL_WHATSAPP_ACCESS_TOKEN", "")  # Graph API calls
NETRAL_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("NETRAL_WHATSAPP_PHONE_NUMBER_ID", "")
NETRAL_WHATSAPP_GRAPH_URL = os.environ.get("NETRAL_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0").rstrip("/")
NETRAL_TELEGRAM_BOT_TOKEN = os.environ.get("NETRAL_TELEGRAM_BOT_TOKEN", "")
NETRAL_TELEGRAM_SECRET_TOKEN = os.environ.get("NETRAL_TELEGRAM_SECRET_TOKEN", "")  # setWebhook's secret_token
NETRAL_TELEGRAM_API_URL = os.environ.get("NETRAL_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
NETRAL_SMS_SECRET = os.environ.get("NETRAL_SMS_SECRET", "")  # HMAC key shared with the SMS gateway, both ways
NETRAL_SMS_SEND_URL = os.environ.get("NETRAL_SMS_SEND_URL", "")  # where outgoing SMS are posted
NETRAL_SMS_SEND_TOKEN = os.environ.get("NETRAL_SMS_SEND_TOKEN", "")  # optional "Authorization: Bearer" for it
NETRAL_INTAKE_FAKE = env_bool("NETRAL_INTAKE_FAKE", DEBUG)
NETRAL_INTAKE_FAKE_DIR = Path(os.environ.get("NETRAL_INTAKE_FAKE_DIR", DATA_DIR / "intake-fake"))
# Messages per sender and window; past it, one polite notice and the rest are set aside.
NETRAL_INTAKE_MESSAGES_PER_WINDOW = int(os.environ.get("NETRAL_INTAKE_MESSAGES_PER_WINDOW", "30"))
NETRAL_INTAKE_RATE_WINDOW = timedelta(minutes=int(os.environ.get("NETRAL_INTAKE_RATE_WINDOW_MINUTES", "10")))
# A conversation silent this long is discarded with its files (manage.py purge_conversations, daily).
NETRAL_INTAKE_ABANDON_AFTER = timedelta(hours=int(os.environ.get("NETRAL_INTAKE_ABANDON_HOURS", "24")))
# The one-time link an SMS reporter gets to add files on the web.
NETRAL_INTAKE_LINK_LIFE = timedelta(hours=int(os.environ.get("NETRAL_INTAKE_LINK_HOURS", "48")))
NETRAL_INTAKE_HTTP_TIMEOUT = int(os.environ.get("NETRAL_INTAKE_HTTP_TIMEOUT", "30"))  # seconds per provider call
# E-mail to the office's reporting address (intake/channels/email.py, docs/channels.md "E-mail"): an
# IMAP mailbox read by `manage.py fetch_report_mail` (every minute); off while the host is empty.
NETRAL_MAIL_ADDRESS = os.environ.get("NETRAL_MAIL_ADDRESS", "")  # the reporting address: From of the replies
NETRAL_MAIL_IMAP_HOST = os.environ.get("NETRAL_MAIL_IMAP_HOST", "")
NETRAL_MAIL_IMAP_PORT = int(os.environ.get("NETRAL_MAIL_IMAP_PORT", "993"))  # implicit TLS (IMAPS)
NETRAL_MAIL_IMAP_USER = os.environ.get("NETRAL_MAIL_IMAP_USER", "")
NETRAL_MAIL_IMAP_PASSWORD = os.environ.get("NETRAL_MAIL_IMAP_PASSWORD", "")
NETRAL_MAIL_IMAP_FOLDER = os.environ.get("NETRAL_MAIL_IMAP_FOLDER", "INBOX")
NETRAL_MAIL_IMAP_DONE_FOLDER = os.environ.get("NETRAL_MAIL_IMAP_DONE_FOLDER", "")  # empty: only flag it seen
NETRAL_MAIL_IMAP_CAFILE = os.environ.get("NETRAL_MAIL_IMAP_CAFILE", "")  # a private CA; empty: the system's
NETRAL_MAIL_MAX_BYTES = int(os.environ.get("NETRAL_MAIL_MAX_BYTES", 50 * 1024 * 1024))  # a whole message

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's request log lines carry no IP; keep it that way (docs/threat-model.md).
}
