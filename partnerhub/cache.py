"""A Redis cache that falls back to the database cache while Redis does not answer.

Rate limits (allauth's and the site's own) live in the default cache. They must
be shared by every worker, and a Redis outage must not turn sign-in into a 500:
while Redis fails, every operation goes to the ``FALLBACK`` cache (Django's
database cache), and Redis is tried again after ``RETRY_AFTER`` seconds.

Counters started during an outage stay in the database cache: when Redis is
back a limit restarts from what Redis still holds, which errs by at most one
window's worth of attempts, never by letting every attempt through.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    # OSError: a socket error that redis-py did not wrap.
    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FallbackRedisCache(RedisCache):
    """Django's RedisCache whose every operation degrades to the ``FALLBACK`` cache alias."""

    def __init__(self, server, params):
        params = dict(params)
        self._fallback_alias = params.pop("FALLBACK", "fallback")
        self._retry_after = float(params.pop("RETRY_AFTER", 5))
        super().__init__(server, params)
        self._down_until = 0.0
        self._errors = _redis_errors()

    @property
    def fallback(self):
        return caches[self._fallback_alias]

    @property
    def degraded(self) -> bool:
        """True while operations go to the fallback cache."""
        return time.monotonic() < self._down_until

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self.degraded:
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except self._errors as error:
                logger.warning(
                    "Redis cache unavailable (%s); using the %r cache for %.0f s",
                    type(error).__name__,
                    self._fallback_alias,
                    self._retry_after,
                )
                self._down_until = time.monotonic() + self._retry_after
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
