"""docker-compose.yml, the Dockerfile and the settings agree with one another.

No Docker engine is needed: the files are read as YAML and text.
"""

import json
import re
from functools import cache
from pathlib import Path

import yaml
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
SETTINGS_DIR = REPO_ROOT / "jazari" / "settings"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
SEAWEEDFS_S3_CONFIG = REPO_ROOT / "docker" / "seaweedfs" / "s3.json"

APP_SERVICES = ("web", "worker", "beat")
SERVICES_WITH_HEALTHCHECK = ("postgres", "redis", "seaweedfs", "mailpit", "web")
REQUIRED_APP_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "EMAIL_URL",
)
# Read by Django itself (manage.py, wsgi.py, celery.py) to find the settings, not by them.
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict:
    return compose()["services"]


def environment(service: str) -> dict[str, str]:
    """A service's environment as a mapping, whether written as a mapping or a list."""
    env = services()[service].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {name: (None if value is None else str(value)) for name, value in env.items()}


def app_env_names() -> set[str]:
    return set().union(*(environment(name) for name in APP_SERVICES))


def command_text(service: str) -> str:
    command = services()[service].get("command") or ""
    return command if isinstance(command, str) else " ".join(command)


def settings_text() -> str:
    files = sorted(SETTINGS_DIR.glob("*.py"))
    assert files, f"no settings files under {SETTINGS_DIR}"
    return "\n".join(path.read_text() for path in files)


def dockerfile_instructions(keyword: str) -> list[str]:
    """Arguments of every `keyword` instruction, with continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    pattern = rf"^\s*{keyword}\s+(.+)$"
    return [match.strip() for match in re.findall(pattern, text, re.MULTILINE | re.IGNORECASE)]


def test_compose_defines_every_service():
    """The stack has PostgreSQL, Redis, SeaweedFS, Mailpit, the web process, a worker and beat."""
    expected = {"postgres", "redis", "seaweedfs", "mailpit", "web", "worker", "beat"}
    assert expected <= set(services())


def test_backing_services_and_web_have_healthchecks():
    """PostgreSQL, Redis, SeaweedFS, Mailpit and web each declare an enabled healthcheck."""
    for name in SERVICES_WITH_HEALTHCHECK:
        healthcheck = services()[name].get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
        assert healthcheck.get("test"), f"{name}'s healthcheck has no test"


def test_web_healthcheck_probes_readiness():
    """The web healthcheck asks /readyz, so web is healthy only once its dependencies answer."""
    test = services()["web"]["healthcheck"]["test"]
    assert "/readyz" in (test if isinstance(test, str) else " ".join(test))


def test_app_services_share_build_and_environment():
    """web, worker and beat are built from the same Dockerfile and get the same environment."""
    web = services()["web"]
    assert web.get("build"), "web has no build"
    for name in ("worker", "beat"):
        assert services()[name].get("build") == web["build"], f"{name} builds differently"
        assert services()[name].get("image") == web.get("image"), f"{name} uses another image"
        assert environment(name) == environment("web"), f"{name}'s environment differs from web's"


def test_every_app_env_name_is_read_by_the_settings():
    """Each variable the app containers set is read somewhere under jazari/settings/."""
    text = settings_text()
    unread = sorted(
        name
        for name in app_env_names() - READ_OUTSIDE_SETTINGS
        if not re.search(rf"\b{re.escape(name)}\b", text)
    )
    assert not unread, f"set in docker-compose.yml but never read by the settings: {unread}"


def test_app_env_sets_every_required_name():
    """The app containers set every variable the production settings need."""
    for name in APP_SERVICES:
        missing = sorted(set(REQUIRED_APP_ENV) - set(environment(name)))
        assert not missing, f"{name} does not set {missing}"


def test_app_services_use_production_settings():
    """web, worker and beat run with DJANGO_SETTINGS_MODULE=jazari.settings.production."""
    for name in APP_SERVICES:
        assert environment(name)["DJANGO_SETTINGS_MODULE"] == "jazari.settings.production"


def test_web_command_migrates_then_starts_gunicorn():
    """The web command applies migrations before it starts gunicorn on the WSGI application."""
    command = command_text("web")
    assert "migrate" in command and "gunicorn" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert "jazari.wsgi:application" in command


def test_worker_and_beat_run_celery():
    """The worker service runs a Celery worker and the beat service runs Celery beat."""
    assert re.search(r"celery -A jazari worker\b", command_text("worker"))
    assert re.search(r"celery -A jazari beat\b", command_text("beat"))


def test_dockerfile_runs_as_non_root_with_healthcheck():
    """The image's last USER is not root and the Dockerfile declares a HEALTHCHECK."""
    users = dockerfile_instructions("USER")
    assert users, "the Dockerfile never switches user"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"the image runs as {users[-1]}"
    healthchecks = dockerfile_instructions("HEALTHCHECK")
    assert healthchecks and healthchecks[-1].upper() != "NONE"


def test_app_services_do_not_override_the_image_user():
    """No app service switches back to root: they all run as the Dockerfile's user."""
    for name in APP_SERVICES:
        user = str(services()[name].get("user", "")).split(":")[0]
        assert user not in {"root", "0"}, f"{name} runs as root"


def test_web_waits_for_healthy_postgres_and_redis():
    """web starts only once PostgreSQL and Redis report healthy."""
    depends_on = services()["web"].get("depends_on")
    assert isinstance(depends_on, dict), "web's depends_on must give conditions"
    for name in ("postgres", "redis"):
        assert depends_on.get(name, {}).get("condition") == "service_healthy", name


def test_health_conditions_point_at_services_with_healthchecks():
    """Every service_healthy dependency names a service that declares a healthcheck."""
    for name, service in services().items():
        depends_on = service.get("depends_on") or {}
        if not isinstance(depends_on, dict):
            continue
        for target, spec in depends_on.items():
            assert target in services(), f"{name} depends on unknown service {target}"
            if spec.get("condition") == "service_healthy":
                assert services()[target].get("healthcheck"), f"{name} waits on {target}"


def test_s3_credentials_match_the_seaweedfs_identities():
    """The app's S3 keys are those of an identity in docker/seaweedfs/s3.json."""
    config = json.loads(SEAWEEDFS_S3_CONFIG.read_text())
    pairs = {
        (credential["accessKey"], credential["secretKey"])
        for identity in config["identities"]
        for credential in identity["credentials"]
    }
    env = environment("web")
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) in pairs


def test_env_example_lists_every_app_env_name():
    """.env.example names every variable the app containers set (commented out or not)."""
    assert ENV_EXAMPLE.exists(), ".env.example is missing at the repository root"
    listed = set(
        re.findall(
            r"^\s*#?\s*(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=", ENV_EXAMPLE.read_text(), re.MULTILINE
        )
    )
    missing = sorted(app_env_names() - listed)
    assert not missing, f"missing from .env.example: {missing}"


def test_beat_keeps_its_schedule_in_the_database():
    """Beat runs the settings' database scheduler: the command names no other, nor a file."""
    command = services()["beat"]["command"]
    assert not {"-S", "--scheduler", "-s", "--schedule"} & set(command), command
    assert issubclass(symbol_by_name(settings.CELERY_BEAT_SCHEDULER), DatabaseScheduler)
