from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Synthetic data and benchmark commands (no models)."""

    name = "gongkai.bench"
    label = "bench"
    verbose_name = "Benchmarks"
