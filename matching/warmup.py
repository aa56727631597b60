"""Fill a process's matching caches before it serves its first request.

Each worker process keeps its own caches (docs/matching.md); built lazily, the
first suggestion a worker serves would pay the whole load (seconds at 100,000
organisations). Production servers call this once per worker.
"""

from django.utils import timezone

from .cache import features
from .need_cache import open_ideas


def warm_caches() -> tuple[int, int]:
    """(organisations, open ideas) now held in this process."""
    return features.warm(), open_ideas.warm(timezone.localdate())
