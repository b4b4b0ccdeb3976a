"""The production settings: what they refuse to start without, and what they turn on.

Each case imports `jazari.settings.production` in a fresh Python process with a chosen
environment (and nothing else of this one's), as gunicorn, the Celery worker or
`manage.py` would.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.redis_server import RedisServer, require_redis_server
from tests.test_docker_compose import dockerfile_instructions, environment

REPO_ROOT = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "jazari.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "skills.jazari.ma,testserver",
    "EMAIL_URL": "smtp+tls://jazari:secret@smtp.example.ma:587",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/11",
    "CREDENTIAL_SIGNING_KEY": "4hZAEbWRidb9RiCoxbgPstABi8iAyXgeKUlrig8p2kk",
}

SHOW_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "SECURE_CSP",
    "CELERY_TASK_ALWAYS_EAGER",
]
values = {name: getattr(settings, name) for name in names}
values["CACHE"] = settings.CACHES["default"]["BACKEND"]
values["MAIL"] = settings.MAILERS["default"]["BACKEND"]
print(json.dumps(values))
"""


def run_python(code, env, *args, timeout=60):
    """`python -c code` in the repository with only `env` (and PATH, HOME) set."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, *args] if not code else [sys.executable, "-c", code, *args],
        cwd=REPO_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def settings_with(env):
    result = run_python(SHOW_SETTINGS, env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def refusal(env):
    """The ImproperlyConfigured message production stops with under `env`."""
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0, "production started"
    match = re.search(r"ImproperlyConfigured: (.+)", result.stderr)
    assert match, result.stderr[-2000:]
    return match.group(1)


def without(name, **changes):
    env = {key: value for key, value in PRODUCTION.items() if key != name}
    return {**env, **changes}


def test_production_starts_with_everything_set():
    """With the documented variables, production loads: SMTP, Redis cache, tasks queued."""
    values = settings_with(PRODUCTION)
    assert values["DEBUG"] is False
    assert values["MAIL"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False


@pytest.mark.parametrize(
    ("env", "names"),
    [
        (without("EMAIL_URL"), ["EMAIL_URL", "smtp://"]),
        (without("EMAIL_URL", EMAIL_URL="consolemail://"), ["EMAIL_URL", "console"]),
        (without("EMAIL_URL", EMAIL_URL="dummymail://"), ["EMAIL_URL", "smtp://"]),
        (without("REDIS_URL"), ["REDIS_URL", "gunicorn process", "throttles"]),
        (without("REDIS_URL", REDIS_URL=""), ["REDIS_URL"]),
        (without("CELERY_BROKER_URL"), ["CELERY_BROKER_URL", "worker", "inline"]),
        (without("DJANGO_SECRET_KEY"), ["DJANGO_SECRET_KEY"]),
        (without("DJANGO_ALLOWED_HOSTS"), ["DJANGO_ALLOWED_HOSTS"]),
        (without("CREDENTIAL_SIGNING_KEY"), ["CREDENTIAL_SIGNING_KEY", "credential_key"]),
        (
            without("CREDENTIAL_SIGNING_KEY", CREDENTIAL_SIGNING_KEY="not-a-key"),
            ["CREDENTIAL_SIGNING_KEY", "base64url", "PEM"],
        ),
        (
            without("CREDENTIAL_PREVIOUS_KEYS", CREDENTIAL_PREVIOUS_KEYS="short"),
            ["CREDENTIAL_PREVIOUS_KEYS"],
        ),
    ],
    ids=[
        "no-email",
        "console-email",
        "dummy-email",
        "no-redis",
        "empty-redis",
        "no-broker",
        "no-secret",
        "no-hosts",
        "no-credential-key",
        "bad-credential-key",
        "bad-previous-keys",
    ],
)
def test_production_refuses_to_start_without(env, names):
    """Each missing piece stops production with a message naming what to set, and why."""
    message = refusal(env)
    for name in names:
        assert name in message, message


def test_hsts_is_on_in_production_and_configurable():
    """HSTS: a year by default in production, with subdomains and preload; 0 turns it off."""
    values = settings_with(PRODUCTION)
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    values = settings_with(
        {
            **PRODUCTION,
            "DJANGO_SECURE_HSTS_SECONDS": "600",
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
            "DJANGO_SECURE_HSTS_PRELOAD": "false",
        }
    )
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    for module in ("jazari.settings.dev", "jazari.settings.test"):
        assert settings_with({"DJANGO_SETTINGS_MODULE": module})["SECURE_HSTS_SECONDS"] == 0


def test_storage_endpoint_is_an_allowed_image_source():
    """With S3 storage, the CSP allows images and media from the endpoint (presigned URLs)."""
    env = {
        **PRODUCTION,
        "AWS_STORAGE_BUCKET_NAME": "jazari",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.ma:8333",
    }
    csp = settings_with(env)["SECURE_CSP"]
    assert "https://s3.example.ma:8333" in csp["img-src"]
    assert "https://s3.example.ma:8333" in csp["media-src"]
    assert "data:" in csp["img-src"]
    assert "https://s3.example.ma:8333" not in settings_with(PRODUCTION)["SECURE_CSP"]["img-src"]


def test_check_deploy_finds_no_issue():
    """`manage.py check --deploy` with production settings says there is nothing to fix."""
    env = dict(PRODUCTION)
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    result = run_python(None, env, "manage.py", "check", "--deploy", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output, output


HTTPS_HEADERS = """
import django, json
django.setup()
from django.test import Client
client = Client()
plain = client.get("/healthz")
secure = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
login = client.get("/accounts/login/")
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Strict-Transport-Security")],
    "secure": [secure.status_code, secure.headers.get("Strict-Transport-Security")],
    "login": [login.status_code, login.headers.get("Location")],
}))
"""


def test_production_sends_hsts_over_https_and_redirects_http():
    """Behind the TLS proxy pages carry HSTS; plain HTTP is redirected, except health probes."""
    result = run_python(HTTPS_HEADERS, PRODUCTION)
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["plain"] == [200, None]
    assert answers["secure"] == [200, "max-age=31536000; includeSubDomains; preload"]
    assert answers["login"] == [301, "https://testserver/accounts/login/"]


def dockerfile_collectstatic_env():
    """The variables the Dockerfile's collectstatic step sets for that step only."""
    [step] = [run for run in dockerfile_instructions("RUN") if "collectstatic" in run]
    return dict(re.findall(r"\b([A-Z][A-Z0-9_]+)=(\S+)", step.split("python manage.py")[0]))


def test_dockerfile_collectstatic_step_satisfies_production():
    """The image build's collectstatic step gives production all it refuses to start without."""
    env = {**dockerfile_collectstatic_env(), "DJANGO_SETTINGS_MODULE": "jazari.settings.production"}
    result = run_python("import django; django.setup()", env)
    assert result.returncode == 0, result.stderr[-2000:]


def test_docker_compose_environment_satisfies_production():
    """web, worker and beat in docker-compose.yml start with production settings."""
    env = {name: value for name, value in environment("web").items() if value is not None}
    env = {name: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value) for name, value in env.items()}
    values = settings_with(env)
    assert values["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert values["MAIL"] == "django.core.mail.backends.smtp.EmailBackend"
    # Plain HTTP on localhost: no redirect to HTTPS there.
    assert values["SECURE_SSL_REDIRECT"] is False


COUNT_ATTEMPTS = """
import django, json, sys
django.setup()
from allauth.core import ratelimit
from django.test import RequestFactory
from api.views import TokenRateThrottle, TokenView
tries = int(sys.argv[1])
request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="203.0.113.7")
view = TokenView()
view.throttle_scope = "token"
tokens = sum(TokenRateThrottle().allow_request(request, view) for _ in range(tries))
logins = sum(
    ratelimit.consume(request, action="login_failed", key="nadia@example.com")
    for _ in range(tries)
)
print(json.dumps({"token": tokens, "login_failed": logins}))
"""


def test_throttles_are_shared_by_every_process_through_redis():
    """Two processes on one Redis share the API's token throttle and allauth's rate limits.

    The token endpoint allows 20 attempts a minute per address and allauth 5 failed logins per
    5 minutes per email: the second process gets only what the first left.
    """
    with RedisServer(require_redis_server()) as server:
        env = {**PRODUCTION, "REDIS_URL": server.url}
        first = run_python(COUNT_ATTEMPTS, env, "15")
        assert first.returncode == 0, first.stderr[-2000:]
        second = run_python(COUNT_ATTEMPTS, env, "15")
        assert second.returncode == 0, second.stderr[-2000:]
    assert json.loads(first.stdout) == {"token": 15, "login_failed": 5}
    assert json.loads(second.stdout) == {"token": 5, "login_failed": 0}
