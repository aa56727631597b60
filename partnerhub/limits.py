"""Daily limits per person and per organisation, against spam through the site.

The counters live in the default cache, which production shares between all
workers (Redis, or the database cache), so a limit holds whichever worker
answers. A cache that is down does not stop the site: the action is allowed
and the failure logged (the database still holds every row for staff).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

__all__ = ["check_daily", "count_daily", "reset_time"]


def _limits(action: str) -> dict[str, int]:
    return settings.PARTNERHUB_DAILY_LIMITS.get(action, {})


def _keys(action: str, scopes: dict[str, int | None], day: datetime.date) -> dict[str, str]:
    return {
        scope: f"limit:{action}:{scope}:{pk}:{day.isoformat()}"
        for scope, pk in scopes.items()
        if pk is not None and scope in _limits(action)
    }


def reset_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """When today's counters start again: the next local midnight."""
    local = timezone.localtime(now)
    tomorrow = local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))


def check_daily(action: str, *, user=None, organisation=None) -> None:
    """Raise ValidationError, saying when it is allowed again, if today's limit is reached."""
    today = timezone.localdate()
    keys = _keys(
        action,
        {"user": getattr(user, "pk", None), "organisation": getattr(organisation, "pk", None)},
        today,
    )
    if not keys:
        return
    try:
        counts = cache.get_many(list(keys.values()))
    except Exception:
        logger.exception("limits: the cache is unreachable; %s allowed without a check", action)
        return
    for scope, key in keys.items():
        if counts.get(key, 0) >= _limits(action)[scope]:
            when = formats.date_format(timezone.localtime(reset_time()), "DATETIME_FORMAT")
            if scope == "user":
                message = _(
                    "You have reached today's limit for this. You can do it again from %(when)s."
                )
            else:
                message = _(
                    "Your organisation has reached today's limit for this. "
                    "It can do it again from %(when)s."
                )
            raise ValidationError(message % {"when": when})


def count_daily(action: str, *, user=None, organisation=None) -> None:
    """Count one more action for today (call after the action succeeded)."""
    today = timezone.localdate()
    keys = _keys(
        action,
        {"user": getattr(user, "pk", None), "organisation": getattr(organisation, "pk", None)},
        today,
    )
    for key in keys.values():
        try:
            if not cache.add(key, 1, timeout=2 * 24 * 3600):
                cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * 24 * 3600)
        except Exception:
            logger.exception("limits: could not count %s", action)
