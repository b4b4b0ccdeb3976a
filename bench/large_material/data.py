"""The material benchmark's database: migrated, with the admin's static files collected (hashed,
as in production), seeded with a few demo courses and this run's administrator password."""

import secrets
import shutil

from bench.common import RESULTS_DIR, manage, seed_demo

ADMIN_PASSWORD = "bench-material-" + secrets.token_hex(4)


def prepare_database(options, env, seed_env, static_root):
    """Migrate and collect static files, unless --reuse-db; seed in any case (seed_demo is
    idempotent; it also sets the admin's password of this run)."""
    if not options.reuse_db:
        shutil.rmtree(static_root, ignore_errors=True)
        manage(["migrate", "--noinput"], seed_env, RESULTS_DIR / "material-migrate.log")
        manage(["collectstatic", "--noinput"], env, RESULTS_DIR / "material-collectstatic.log")
    seed_demo(
        seed_env,
        RESULTS_DIR / "material-seed.log",
        courses=5,
        sessions_per_course=1,
        learners=2,
        password=ADMIN_PASSWORD,
    )
