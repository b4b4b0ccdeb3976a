"""Local development: `make run`. Embedded defaults, debug on."""

from jazari.credential_keys import development_key

from .base import *  # noqa: F403
from .base import CREDENTIAL_SIGNING_KEY, env

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
# Certificates signed with a key derived from the secret key unless one is given: never in
# production, which refuses to start without CREDENTIAL_SIGNING_KEY.
CREDENTIAL_SIGNING_KEY = CREDENTIAL_SIGNING_KEY or development_key(SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# The demo staff of seed_demo try every role at once: two-factor authentication is not required
# unless DJANGO_STAFF_REQUIRE_MFA (or STAFF_REQUIRE_MFA) says so.
STAFF_REQUIRE_MFA = env.bool(
    "DJANGO_STAFF_REQUIRE_MFA", default=env.bool("STAFF_REQUIRE_MFA", default=False)
)
