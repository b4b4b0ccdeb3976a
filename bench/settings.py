"""Settings for `make bench`: production behaviour (DEBUG off, cached templates, persistent
database connections, hashed static files served by WhiteNoise) on PostgreSQL, plus the
benchmark's reference views.

bench/run.py sets `DATABASE_URL` and runs `collectstatic` into `BENCH_STATIC_ROOT` first.
Media (seeded images, renditions) go to `BENCH_MEDIA_ROOT`, away from the developer's.
`REDIS_URL` selects the Redis cache, as in production; without it the cache is local memory.
"""

import tempfile
from pathlib import Path

from jazari.settings.base import *  # noqa: F403
from jazari.settings.base import CACHES, INSTALLED_APPS, env

_TMP = Path(tempfile.gettempdir())

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-insecure-key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = ["bench", *INSTALLED_APPS]
ROOT_URLCONF = "bench.urls"

# Keys of their own, per scenario (bench/run.py sets the prefix): a scenario never reads the
# cached pages of the previous one's database, nor a shared Redis those of another program.
CACHES["default"]["KEY_PREFIX"] = env("BENCH_CACHE_PREFIX", default="jazari-bench")

STATIC_ROOT = Path(env("BENCH_STATIC_ROOT", default=str(_TMP / "jazari-bench-static")))
MEDIA_ROOT = Path(env("BENCH_MEDIA_ROOT", default=str(_TMP / "jazari-bench-media")))
