"""Production: everything from the environment; refuses to start without what it needs.

Besides a secret key, host names and the key certificates are signed with, production needs a
real mail server (learners confirm their address by email), Redis for the cache (throttles,
login rate limits and the catalogue's cache version must be shared by every gunicorn process)
and a Celery broker (without one, each enrolment would wait on SMTP inside the request).
"""

from django.core.exceptions import ImproperlyConfigured

from jazari.credential_keys import InvalidKey, private_key, public_keys

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CELERY_BROKER_URL,
    CREDENTIAL_PREVIOUS_KEYS,
    CREDENTIAL_SIGNING_KEY,
    MAILERS,
    REDIS_URL,
    SECRET_KEY,
    env,
)

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses to start without it.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS (comma-separated host names): production refuses to start "
        "without it."
    )
if not MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    raise ImproperlyConfigured(
        "Set EMAIL_URL to your SMTP server (smtp://user:password@host:587 or "
        "smtp+tls://…): production refuses to start with email printed on the console, where "
        "no learner would ever get a confirmation link or a reminder."
    )
if not REDIS_URL:
    raise ImproperlyConfigured(
        "Set REDIS_URL (e.g. redis://redis:6379/1): production refuses to start with a "
        "local-memory cache, where each gunicorn process would count throttles and login "
        "attempts on its own and keep its own version of the catalogue."
    )
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        "Set CELERY_BROKER_URL (e.g. redis://redis:6379/0) and run a Celery worker: "
        "production refuses to start with tasks run inline, where every enrolment would wait "
        "on the mail server."
    )

if not CREDENTIAL_SIGNING_KEY:
    raise ImproperlyConfigured(
        "Set CREDENTIAL_SIGNING_KEY to the network's Ed25519 key (`python manage.py "
        "credential_key` prints a new one): production refuses to start without it, since "
        "certificates would be issued with credentials no one can verify."
    )
try:
    private_key(CREDENTIAL_SIGNING_KEY)
except InvalidKey as error:
    raise ImproperlyConfigured(
        f"CREDENTIAL_SIGNING_KEY can't be read ({error}): give the 32-byte Ed25519 private key "
        "in base64url, or a PKCS#8 PEM block."
    ) from None
try:
    public_keys(CREDENTIAL_PREVIOUS_KEYS)
except InvalidKey as error:
    raise ImproperlyConfigured(
        f"CREDENTIAL_PREVIOUS_KEYS can't be read ({error}): give Ed25519 public keys in "
        "base64url or PEM, separated by commas."
    ) from None

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTP is redirected to HTTPS, except the probes of the container's health checks.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
