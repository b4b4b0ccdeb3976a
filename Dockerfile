# syntax=docker/dockerfile:1
# Jazari Skills: one image for the web process (gunicorn), the Celery worker and Celery beat.
#   docker build -t jazari-skills .
# Runtime configuration comes only from the environment (see .env.example).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=jazari.settings.production

# psycopg[binary] and Pillow wheels bundle their own C libraries. libpq5 lets psycopg fall back
# to the system libpq; media-types provides /etc/mime.types, so uploads such as .docx or .pptx
# are stored on S3 with the right Content-Type. WeasyPrint renders certificates with Pango;
# DejaVu has the Arabic glyphs an Arabic certificate needs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 media-types \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 1000 jazari \
    && useradd --uid 1000 --gid jazari --create-home --shell /usr/sbin/nologin jazari

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .

# collectstatic imports the production settings, which refuse to load without a secret key,
# allowed hosts, a mail server, Redis, a broker and a credential signing key (32 zero bytes
# here, in base64url): give it throwaway values for this one step
# only (not ARG/ENV, so they are neither kept in the image nor seen by later steps; nothing is
# contacted).
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    EMAIL_URL=smtp://localhost:25 \
    REDIS_URL=redis://localhost:6379/1 \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    CREDENTIAL_SIGNING_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    python manage.py collectstatic --noinput

# Code and collected static files stay owned by root and read-only for the app user.
USER jazari

EXPOSE 8000

# Liveness only (/healthz touches nothing); docker-compose checks /readyz for the web service.
# The probe's Host header is 127.0.0.1:8000, so DJANGO_ALLOWED_HOSTS must include 127.0.0.1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# A 1 GB material upload takes about a minute on a fast link: give requests ten minutes
# (and let the proxy in front accept bodies up to MATERIAL_MAX_UPLOAD_MB).
CMD ["gunicorn", "jazari.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "600"]
