"""gunicorn settings: `gunicorn -c python:partnerhub.gunicorn partnerhub.wsgi`."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
timeout = 60
#: Load the app in the master and build the matching caches there once
#: (``on_starting``); every worker is forked with them and shares their pages
#: copy-on-write, so a worker (re)starts in a fraction of a second instead of
#: rebuilding (about 80 s at 1,000,000 organisations), and N workers do not hold
#: N private copies. ``GUNICORN_PRELOAD=0`` builds per worker instead. With
#: preload on, new code needs a restart (``HUP`` reloads the config, not the app).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def on_starting(server) -> None:
    """With ``preload_app``: build the matching caches once, in the master, before it listens.

    The search indexes (the directory's facets, the idea list's) are built there
    too, under the same rule; a worker then only reads the change log since.

    The port opens only when they are built, so a load balancer sees the instance
    as not ready rather than slow. A failure is logged and the master carries on:
    each worker then builds its own (``post_worker_init``, or lazily on first use).
    The frozen objects are left out of every later garbage collection, which
    would otherwise write to (and so copy) every page of them in every worker.
    """
    if not preload_app:
        return
    # Any failure: logged, and the master carries on; the workers build their own.
    _build(
        server,
        _matching_caches,
        "matching caches built once for all workers: %d organisations, %d open ideas",
        "matching caches not built in the master; each worker builds its own",
    )
    _build(
        server,
        _search_indexes,
        "search indexes built once for all workers: %d organisations, %d ideas",
        "search indexes not built in the master; each worker builds its own",
    )
    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:
    """Bring the matching caches up to date before the worker takes traffic (docs/matching.md).

    With ``preload_app`` the worker inherits them from the master and only reads
    the change log since (one query, plus the rows changed meanwhile); without,
    or when the master could not build them, it builds its own here.

    A failure here must not stop the worker: gunicorn counts an exception in this
    hook as a boot failure and shuts the master and every healthy worker down, so
    one database blip while a worker respawns would take the whole site down and
    keep it down. The failure is logged and the worker serves; the caches build
    lazily on the first request that needs them. The search indexes (the
    directory's facets and the idea list's, docs/search.md) are warmed after
    them under the same rule, each failure on its own.
    """
    _build(
        worker,
        _matching_caches,
        "matching caches warm: %d organisations, %d open ideas",
        "matching caches not warmed; they will build on first use",
    )
    _build(
        worker,
        _search_indexes,
        "search indexes warm: %d organisations, %d ideas",
        "search indexes not warmed; they will build on first use",
    )


def _matching_caches() -> tuple[int, int]:
    from matching.warmup import warm_caches

    return warm_caches()


def _search_indexes() -> tuple[int, int]:
    from projects.idea_index import warm_search

    return warm_search()


def _build(process, build, built: str, failed: str) -> None:
    """Run ``build`` (its two counts go into ``built``); never raise, whatever fails.

    An exception is logged as ``failed``: in a gunicorn hook it would stop the
    master or count as a worker's boot failure. The connections opened are
    closed either way: a connection must never be shared by forked workers, and
    requests manage their own.
    """
    try:
        counts = build()
    except Exception:  # noqa: BLE001 - any failure: carry on, the caches build lazily
        process.log.exception(failed)
    else:
        process.log.info(built, *counts)
    finally:
        _close_connections(process)


def _close_connections(worker) -> None:
    from django.db import connections

    # Opened outside any request: close them so requests manage their own.
    try:
        connections.close_all()
    except Exception:  # noqa: BLE001 - a broken connection is discarded either way
        worker.log.warning("could not close the warm-up's database connections")
