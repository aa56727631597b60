"""What `/healthz` reports: the database, the cache and the task queue.

Only the database decides the status code (503 when it does not answer): the
cache degrades to the database (partnerhub.cache) and the queue lives in the
database, so taking an instance out of the load balancer for either would only
make things worse. Their state is in the body for monitoring.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "unavailable"
        logger.warning("health check: database unavailable", exc_info=True)
        return "unavailable"
    return "ok"


def check_cache() -> str:
    """ "ok", "degraded" (Redis down, the database cache answers) or "unavailable"."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 5)
        answered = cache.get(key) == "1"
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.warning("health check: cache unavailable", exc_info=True)
        return "unavailable"
    if not answered:
        return "unavailable"
    return "degraded" if getattr(cache, "degraded", False) else "ok"


def check_queue() -> dict[str, object]:
    """The task backend's state, and for the database backend the tasks waiting."""
    tasks = getattr(settings, "TASKS", None)
    if not tasks:
        return {"status": "not configured"}
    backend = tasks.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1]}
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY").count()
    except Exception:  # noqa: BLE001
        logger.warning("health check: task queue unavailable", exc_info=True)
        return {"status": "unavailable"}
    return {"status": "ok", "backend": "database", "waiting": waiting}


def healthz_response() -> JsonResponse:
    database = check_database()
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "cache": check_cache(),
        "queue": check_queue() if database == "ok" else {"status": "unavailable"},
    }
    response = JsonResponse(body, status=200 if database == "ok" else 503)
    add_never_cache_headers(response)
    return response
