"""The material benchmark's servers, all on loopback: moto's S3 server in a child process
(`tests/s3.py`; the objects live in moto's process, not the web process's) and gunicorn with
ONE sync worker whose default storage is the moto bucket, through the `AWS_*` variables, so
that jazari/storage.py's transfer settings apply."""

from bench import common
from bench.common import RESULTS_DIR, Gunicorn

SETTINGS = "bench.settings"
BUCKET = "jazari-bench-material"


def start_s3():
    """moto's S3 server with an empty bucket; stop it with `.stop()`."""
    from tests.s3 import MotoServer

    moto = MotoServer().start()
    moto.client().create_bucket(Bucket=BUCKET)
    print(f"moto S3 server at {moto.endpoint_url}, bucket {BUCKET}")
    return moto


def child_env(database_url, broker_url, moto, static_root, media_root):
    from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY

    env = common.child_env(
        SETTINGS,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=moto.endpoint_url,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_S3_REGION_NAME=REGION,
        BENCH_STATIC_ROOT=str(static_root),
        BENCH_MEDIA_ROOT=str(media_root),
        BENCH_CACHE_PREFIX="jazari-bench-material",
    )
    env.pop("REDIS_URL", None)  # local-memory cache: nothing to clean in a shared Redis
    return env


def start_gunicorn(env):
    """gunicorn with one sync worker and a timeout long enough for 1 GB; stop it with `.stop()`."""
    server = Gunicorn(
        env,
        RESULTS_DIR / "material-gunicorn.log",
        workers=1,
        extra_args=["--timeout", "600", "--graceful-timeout", "5"],
    )
    return server.__enter__()
