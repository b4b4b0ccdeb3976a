from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Holds the benchmark's reference views and templates; installed only by bench.settings."""

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
