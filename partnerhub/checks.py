"""Refuse a production configuration whose rate limits would be counted per process."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

# Caches that each worker process keeps for itself: with 3 workers a limit of 5
# attempts lets 15 through.
PROCESS_LOCAL_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    }
)


def cache_problem() -> str | None:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return (
            f"The default cache ({backend}) is not shared between worker processes, so "
            "rate limits would be counted per process. Set REDIS_URL, or use the database "
            "cache (partnerhub.cache.cache_settings)."
        )
    return None


def require_shared_cache() -> None:
    """Called at start-up: production (REQUIRE_SHARED_CACHE) does not start on a local cache."""
    if getattr(settings, "REQUIRE_SHARED_CACHE", False):
        problem = cache_problem()
        if problem:
            raise ImproperlyConfigured(problem)


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    problem = cache_problem()
    return [Error(problem, id="partnerhub.E001")] if problem else []
