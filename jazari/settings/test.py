"""The test suite: fast hashing, local-memory cache, tasks inline unless a test says otherwise.

`DATABASE_URL` picks PostgreSQL (as in CI); without it the tests run on SQLite.
"""

from jazari.credential_keys import development_key

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
# A fixed key for credentials (tests of rotation override it).
CREDENTIAL_SIGNING_KEY = development_key(SECRET_KEY)
CREDENTIAL_PREVIOUS_KEYS = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default="/tmp/jazari-test-media")
WAGTAILADMIN_BASE_URL = "http://testserver"
# Live-server and worker threads must not keep connections open past a test.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests that need two-factor authentication for staff turn it on with override_settings.
STAFF_REQUIRE_MFA = False
