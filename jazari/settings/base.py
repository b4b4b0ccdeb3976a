"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (names listed in
`.env.example`). Without them the embedded defaults apply: SQLite, local media, Celery tasks
run inline, console email, local-memory cache.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from jazari.storage import s3_storage, storage_origins

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

# Core
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "jazari",
    "home",
    "institutes",
    "courses",
    "skills",
    "enrolments",
    "paths",
    "materials",
    "certificates",
    "feedback",
    "learners",
    "reports",
    "search",
    "demo",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users and groups, with their add, edit and delete views asking for a recent
    # log-in (jazari.admin_users).
    "jazari.wagtail_users.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Content translation: a translation editor per page and snippet that shows what is
    # missing or out of date (README, "Content in three languages").
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_celery_beat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The CSP header is written by Django's middleware; jazari.security picks the admin's
    # policy for /admin/ and adds Permissions-Policy (see "Security headers" below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "jazari.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff set up two-factor authentication before the admin, where it is required.
    "jazari.middleware.StaffTwoFactorMiddleware",
    # Wagtail's redirects, also under the language prefixes.
    "jazari.middleware.LanguageRedirectMiddleware",
    # A database too busy to take a lock in time, a learner acting too often, then a storage
    # outage, raised by a view become clear 503 and 429 pages (the innermost is asked first).
    "jazari.middleware.BusyMiddleware",
    "jazari.middleware.RateLimitedMiddleware",
    "materials.middleware.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "jazari.urls"
WSGI_APPLICATION = "jazari.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `csp_nonce` for the site's inline <script> elements (the CSP below).
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in docker-compose, CI and production), else SQLite.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if USING_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")
    # Never wait more than 5 s for a row lock (the session lock of enrolments.services): the
    # request fails with a clear error instead of piling up. No JIT: it spent 1.5 s compiling
    # each of the programme's aggregate queries (reports.figures) that run in 150 ms without
    # it, and the site's other queries are too short to gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=5s -c jit=off"
    # A database host that drops packets fails a connection in seconds, not minutes.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )

# Connections: persistent per process by default (DATABASE_CONN_MAX_AGE seconds); or, with
# DATABASE_POOL on, psycopg's pool (Django refuses both at once). Either way, no connection to
# be had (too many clients, the pool empty for DATABASE_POOL_TIMEOUT s) answers 503.
if USING_POSTGRES and env.bool("DATABASE_POOL", default=False):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# /readyz: every check (database, broker, storage) answers within this many seconds or is
# reported down.
READYZ_TIMEOUT_SECONDS = env.float("READYZ_TIMEOUT_SECONDS", default=2)

# Cache: Redis when REDIS_URL is set, else local memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jazari",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: learners sign up and log in with their email address (django-allauth); staff log
# in there too, by username or email, so one set of rate limits and one two-factor step guard
# every log-in (the admin's own log-in page sends them there, see jazari/urls.py).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learners:dashboard"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# The prefix of the learners' own account emails (deletion, purge: learners.erasure); allauth's
# emails (confirmation, password reset, "account already exists") are written by
# jazari.accounts, in the reader's language, with short links: a confirmation key that allauth
# stores instead of a long signed one, and a shorter password reset token.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Jazari Skills] "
ACCOUNT_ADAPTER = "jazari.accounts.AccountAdapter"
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "jazari.accounts.PasswordResetTokens"
ACCOUNT_SIGNUP_FORM_CLASS = "learners.forms.SignupProfileForm"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# A log-in (or "confirm it's you") this recent allows sensitive admin actions (jazari.staff).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# Two-factor authentication (allauth.mfa): an authenticator app and recovery codes, set up at
# /accounts/2fa/. Required for staff where STAFF_REQUIRE_MFA is on (see jazari.staff):
# DJANGO_STAFF_REQUIRE_MFA (or STAFF_REQUIRE_MFA), on unless set to false; dev and test turn
# it off.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Jazari Skills"
STAFF_REQUIRE_MFA = env.bool(
    "DJANGO_STAFF_REQUIRE_MFA", default=env.bool("STAFF_REQUIRE_MFA", default=True)
)

# Personal data (law 09-08, see /privacy/ and learners/erasure.py, learners/purge.py).
# The controller named on the privacy page; demo placeholders until set.
PRIVACY_CONTROLLER_NAME = env("PRIVACY_CONTROLLER_NAME", default="Jazari Root")
PRIVACY_CONTROLLER_ADDRESS = env("PRIVACY_CONTROLLER_ADDRESS", default="").replace("\\n", "\n")
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="privacy@jazari.ma")
# The CNDP's receipt number for the declaration of the processing; "" while pending.
CNDP_DECLARATION_NUMBER = env("CNDP_DECLARATION_NUMBER", default="")
# Where visitors report an accessibility problem (the accessibility statement, /accessibility/).
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@jazari.ma")
# How long the emailed link that confirms an account's deletion stays valid.
ACCOUNT_DELETION_LINK_HOURS = env.int("ACCOUNT_DELETION_LINK_HOURS", default=24)
# Accounts whose email address was never confirmed are deleted after this many days.
ACCOUNT_PURGE_UNVERIFIED_DAYS = env.int("ACCOUNT_PURGE_UNVERIFIED_DAYS", default=7)
# Accounts not used for this many days are deleted (0: never), after a warning sent
# ACCOUNT_PURGE_WARNING_DAYS before.
ACCOUNT_PURGE_INACTIVE_DAYS = env.int("ACCOUNT_PURGE_INACTIVE_DAYS", default=3 * 365)
ACCOUNT_PURGE_WARNING_DAYS = env.int("ACCOUNT_PURGE_WARNING_DAYS", default=30)

# Internationalisation: French by default, Arabic (right to left) and English.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", "Français"),
    ("ar", "العربية"),
    ("en", "English"),
]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Sessions are entered and shown in Morocco's time; the database stores UTC.
TIME_ZONE = "Africa/Casablanca"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# Object storage: S3-compatible when AWS_STORAGE_BUCKET_NAME is set, else the media folder.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="us-east-1")
    STORAGE_ORIGINS = storage_origins(
        bucket=AWS_STORAGE_BUCKET_NAME, endpoint_url=AWS_S3_ENDPOINT_URL, region=AWS_S3_REGION_NAME
    )
    DEFAULT_STORAGE = s3_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
        access_key=env("AWS_ACCESS_KEY_ID", default=None),
        secret_key=env("AWS_SECRET_ACCESS_KEY", default=None),
        # A hung endpoint ties a worker for about 2 x (connect + read) seconds at most.
        connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=2),
        read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=5),
        retries=env.int("AWS_S3_RETRIES", default=1),
    )
else:
    STORAGE_ORIGINS = []
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Uploaded material: larger files are refused with a message (the limit is in MB).
MATERIAL_MAX_UPLOAD_SIZE = env.int("MATERIAL_MAX_UPLOAD_MB", default=2048) * 1024 * 1024
# Counting a PDF's pages after upload runs in a child process limited to this much memory (MB,
# beyond the interpreter's) and CPU time (seconds); past either the page count stays empty.
MATERIAL_PDF_INSPECT_MEMORY_MB = env.int("MATERIAL_PDF_INSPECT_MEMORY_MB", default=512)
MATERIAL_PDF_INSPECT_SECONDS = env.int("MATERIAL_PDF_INSPECT_SECONDS", default=30)
# Above this, an upload is written to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: EMAIL_URL (smtp://user:password@host:port, smtp+tls://…), else printed on the console.
EMAIL_URL = env("EMAIL_URL", default="consolemail://")
_email = env.email_url_config(EMAIL_URL)
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            key: value
            for key, value in {
                "host": _email.get("EMAIL_HOST"),
                "port": _email.get("EMAIL_PORT"),
                "username": _email.get("EMAIL_HOST_USER"),
                "password": _email.get("EMAIL_HOST_PASSWORD"),
                "use_tls": _email.get("EMAIL_USE_TLS"),
                "use_ssl": _email.get("EMAIL_USE_SSL"),
            }.items()
            if value
        }
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Jazari Skills <no-reply@jazari.ma>")

# Celery: a Redis broker when CELERY_BROKER_URL is set, else tasks run inline.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# The Redis transport ignores the timeout above when connecting: bound it here too.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# Celery beat: pending email re-queued every minute (broker outages), reminders every 15 minutes.
# Beat keeps its schedules in the database (django-celery-beat), where operators edit, disable
# or add them in the admin (Settings → Scheduled tasks); the entries below are written there
# when beat starts, each once: an operator's later edit stays (jazari/beat.py).
CELERY_BEAT_SCHEDULER = "jazari.beat:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "dispatch-pending-notifications": {
        "task": "enrolments.dispatch_pending",
        "schedule": 60.0,
    },
    "send-reminders": {"task": "enrolments.send_reminders", "schedule": 900.0},
    # Sessions ended whose course completes automatically (enrolments/services/completion.py).
    "complete-ended-sessions": {
        "task": "enrolments.complete_ended_sessions",
        "schedule": 900.0,
    },
    # Certificates whose task a broker outage lost (see certificates/tasks.py).
    "issue-missing-certificates": {
        "task": "certificates.tasks.issue_missing_certificates",
        "schedule": 300.0,
    },
    # Attendance certificates of the sessions that ended (see certificates/tasks.py).
    "issue-attendance-certificates": {
        "task": "certificates.issue_attendance_certificates",
        "schedule": 900.0,
    },
    # Unverified and long-inactive accounts deleted (learners/purge.py), once a day.
    "purge-accounts": {"task": "learners.purge_accounts", "schedule": 86400.0},
    # Documents whose after-upload check missed the broker, every ten minutes.
    "inspect-unchecked-documents": {
        "task": "materials.tasks.inspect_unchecked_documents",
        "schedule": 600.0,
    },
    # Programme exports: jobs a broker outage left queued are queued again; expired files go.
    "requeue-export-jobs": {"task": "reports.requeue_export_jobs", "schedule": 300.0},
    "purge-export-jobs": {"task": "reports.purge_export_jobs", "schedule": 3600.0},
    # Feedback asked of learners the day after their last attended meeting (feedback/tasks.py).
    "request-feedback": {"task": "feedback.request_feedback", "schedule": 3600.0},
}
CELERY_TASK_PUBLISH_RETRY = False

# Certificates are signed with the network's Ed25519 key (`certificates.signing`): the 32-byte
# private key in base64url or a PKCS#8 PEM block (`python manage.py credential_key` makes one);
# after a rotation, the public keys of the earlier ones stay published (base64url or PEM,
# separated by commas), so the credentials they signed keep verifying (jazari/credential_keys.py).
# Production refuses to start without a key; `dev` and `test` derive one from their secret key.
CREDENTIAL_SIGNING_KEY = env("CREDENTIAL_SIGNING_KEY", default="")
CREDENTIAL_PREVIOUS_KEYS = env("CREDENTIAL_PREVIOUS_KEYS", default="")

# JSON API /api/v1/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # `format` is a catalogue filter, not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    # Proxies in front of the site, so throttling sees the client's address.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=None),
}
# Enrol-or-cancel actions a learner may make per minute, pages and API together (0: no limit),
# see enrolments/ratelimit.py.
ENROLMENT_RATE_LIMIT = env.int("ENROLMENT_RATE_LIMIT", default=10)
# Programme exports of at most this many rows are downloaded at once; larger ones are written
# by a Celery task while the admin shows their progress (see reports/exports.py).
REPORT_EXPORT_SYNC_ROWS = env.int("REPORT_EXPORT_SYNC_ROWS", default=2000)
# API tokens are valid this many hours after they are issued (default 30 days), see api/tokens.py.
API_TOKEN_LIFETIME_HOURS = env.int("API_TOKEN_LIFETIME_HOURS", default=24 * 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Jazari Skills API",
    "DESCRIPTION": "The catalogue of the Jazari Institutes network and enrolment for learners.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # `manage.py spectacular` describes /api/v1/ only, as /api/v1/openapi.json does.
    "DEFAULT_GENERATOR_CLASS": "api.generators.ApiSchemaGenerator",
    # Two choice sets share the field name `level`: name each enum after its choices.
    "ENUM_NAME_OVERRIDES": {
        "CourseLevelEnum": "courses.models.CourseLevel",
        "SkillLevelEnum": "skills.models.SkillLevel",
    },
}

# Search: PostgreSQL full text (or SQLite FTS5) through Wagtail's database backend;
# OpenSearch when OPENSEARCH_URL is set.
OPENSEARCH_URL = env("OPENSEARCH_URL", default="")
if OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch3",
            "URLS": [OPENSEARCH_URL],
            "INDEX": "jazari",
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    if USING_POSTGRES:
        # Each page indexed in its locale's language, Arabic letters normalised, accents
        # ignored; the configurations are created by search/migrations (jazari.search_backends).
        WAGTAILSEARCH_BACKENDS["default"] = {
            "BACKEND": "jazari.search_backends",
            "SEARCH_CONFIG": "jazari_french",
            "LANGUAGE_CONFIGS": {
                "fr": "jazari_french",
                "ar": "jazari_arabic",
                "en": "jazari_english",
            },
            "AUTOCOMPLETE_CONFIG": "jazari_simple",
        }

# Wagtail
WAGTAIL_SITE_NAME = "Jazari Skills"
# Staff log in through allauth (rate limits, two-factor step), as learners do.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_DOCUMENT_MODEL = "materials.JazariDocument"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "ipynb", "odp", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
# Uploads are checked (type, size, content, storage reachable) by this form, see materials.forms.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "materials.forms.JazariDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = MATERIAL_MAX_UPLOAD_SIZE
# A document's URL is always Wagtail's serve view, where `materials.wagtail_hooks` applies the
# material rules and hands the file over (a presigned redirect on S3); never "direct", which
# would print the storage's own URL in pages.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# An approved workflow publishes as its reviewer, who holds no page permission on the
# institute's folder: the approval is the permission (see courses.folders).
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflows.publish_approved"
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Catalogue
CATALOGUE_PAGE_SIZE = 12

# Security headers. HSTS is off here: production turns it on (DJANGO_SECURE_HSTS_SECONDS).
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No site may frame a page; Wagtail's preview views answer SAMEORIGIN for the editor's panel.
X_FRAME_OPTIONS = "DENY"
# Browser features (Permissions-Policy, jazari.security): the camera for this site only (to
# scan check-in codes), everything else for nobody.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "midi": [],
    "display-capture": [],
}
# Content Security Policy of the public site: scripts and styles only from here or with the
# request's nonce (`{{ csp_nonce }}`), no style attribute; images and media also from the
# object storage (presigned URLs); videos embedded from YouTube and Vimeo.
EMBED_FRAME_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *STORAGE_ORIGINS],
    "media-src": [CSP.SELF, *STORAGE_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, *EMBED_FRAME_ORIGINS],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The Wagtail admin writes inline scripts and styles without a nonce: inline allowed there
# only, framed by itself only (preview panel). Applied to /admin/ by jazari.security.
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "frame-ancestors": [CSP.SELF],
}
# The admin asks no third party, so the policy above holds: no Gravatar (it would send
# editors' email hashes) and no check for a newer Wagtail from the browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"jazari": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Name shown in translated templates.
SITE_TAGLINE = _("Upskilling in artificial intelligence across Morocco")
