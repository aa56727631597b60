"""gunicorn settings: `gunicorn -c python:partnerhub.gunicorn partnerhub.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
timeout = 60


def post_worker_init(worker) -> None:
    """Build the matching caches before the worker takes traffic (docs/matching.md).

    A failure here must not stop the worker: gunicorn counts an exception in this
    hook as a boot failure and shuts the master and every healthy worker down, so
    one database blip while a worker respawns would take the whole site down and
    keep it down. The failure is logged and the worker serves; the caches build
    lazily on the first request that needs them.
    """
    from django.db import connections

    try:
        from matching.warmup import warm_caches

        organisations, ideas = warm_caches()
    except Exception:  # noqa: BLE001 - any failure: serve anyway, build lazily
        worker.log.exception("matching caches not warmed; they will build on first use")
    else:
        worker.log.info(
            "matching caches warm: %d organisations, %d open ideas", organisations, ideas
        )
    finally:
        # Opened outside any request: close it so requests manage their own.
        try:
            connections.close_all()
        except Exception:  # noqa: BLE001 - a broken connection is discarded either way
            worker.log.warning("could not close the warm-up's database connections")
