"""gunicorn settings: `gunicorn -c python:partnerhub.gunicorn partnerhub.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
timeout = 60


def post_worker_init(worker) -> None:
    # Build the matching caches before the worker takes traffic (docs/matching.md).
    from django.db import connections

    from matching.warmup import warm_caches

    organisations, ideas = warm_caches()
    # Opened outside any request: close it so requests manage their own.
    connections.close_all()
    worker.log.info("matching caches warm: %d organisations, %d open ideas", organisations, ideas)
