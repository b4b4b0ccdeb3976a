"""Production: everything from the environment; refuses to start without what it needs.

Besides a secret key and host names, production needs a real mail server (learners confirm
their address by email), Redis for the cache (throttles, login rate limits and the catalogue's
cache version must be shared by every gunicorn process) and a Celery broker (without one, each
enrolment would wait on SMTP inside the request).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, CELERY_BROKER_URL, MAILERS, REDIS_URL, SECRET_KEY, env

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

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTP is redirected to HTTPS, except the probes of the container's health checks.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
