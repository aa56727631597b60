"""Measure the list pages, the home page, a profile and an idea; print one JSON object.

Run by bench/run.py (``--pages``) in a fresh process per database, on the
database DATABASE_URL points at. Every page is requested in-process through
Django's test client as an anonymous visitor, ``CALLS`` times after one
warm-up request (which pays for any per-process cache), and reported as
median / 95th percentile in milliseconds with the most queries any request
made, and the same for this process's CPU time (on SQLite, where the database
runs in the process, a figure that hardly moves when other processes load the
machine).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.dev")

import django  # noqa: E402
import numpy as np  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from organisations.directory import directory_index  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from projects.idea_index import idea_index  # noqa: E402
from projects.models import ProjectIdea  # noqa: E402

CALLS = int(os.environ.get("BENCH_CALLS", "20"))

#: label → URL; the same list for every run so before/after compare like for like.
LIST_PAGES = {
    "directory": "/organisations/",
    "directory q=youth": "/organisations/?q=youth",
    "directory q=Liepāja volunteering": "/organisations/?q=Liep%C4%81ja+volunteering",
    "directory country=LV theme=inclusion": "/organisations/?country=LV&theme=inclusion-diversity",
    "directory q=jaunimo country=LT sort=name": "/organisations/?q=jaunimo&country=LT&sort=name",
    "directory page 50": "/organisations/?page=50",
    "directory q=youth work": "/organisations/?q=youth+work",
    "ideas": "/ideas/",
    "ideas q=youth": "/ideas/?q=youth",
    "ideas theme=inclusion": "/ideas/?theme=inclusion-diversity",
    "ideas country_sought=LT kind_sought=school sort=newest": (
        "/ideas/?country_sought=LT&kind_sought=school&sort=newest"
    ),
    "home": "/",
}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _megabytes(columns) -> float:
    """The NumPy arrays of an index's columns (object arrays: the strings they point to too)."""
    total = 0
    for value in vars(columns).values():
        arrays = value.values() if isinstance(value, dict) else [value]
        for array in arrays:
            if isinstance(array, np.ndarray):
                total += array.nbytes
                if array.dtype == object:
                    total += sum(sys.getsizeof(item) for item in array)
    return total / 1e6


def timed(client: Client, urls: list[str]) -> dict:
    client.get(urls[0])  # warm-up: per-process caches, template compilation
    durations, cpu, queries, statuses = [], [], [], set()
    for i in range(CALLS):
        url = urls[i % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            durations.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        statuses.add(response.status_code)
        queries.append(len(captured.captured_queries))
    return {
        "median_ms": round(statistics.median(durations) * 1000, 1),
        "p95_ms": round(percentile(durations, 0.95) * 1000, 1),
        # This process's CPU time alone: on SQLite it includes the database's work and
        # hardly moves with other processes' load; on PostgreSQL the server's is not in it.
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "cpu_p95_ms": round(percentile(cpu, 0.95) * 1000, 1),
        "queries": max(queries),
        "status": sorted(statuses),
    }


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    profiles = [
        f"/organisations/{slug}/"
        for slug in Organisation.objects.active()
        .order_by("pk")
        .values_list("slug", flat=True)[:CALLS]
    ]
    ideas = [
        f"/ideas/{slug}/"
        for slug in ProjectIdea.objects.open().order_by("pk").values_list("slug", flat=True)[:CALLS]
    ]
    # The search indexes are built once per process (a gunicorn worker warms them).
    started = time.perf_counter()
    directory_index.current()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    idea_index.current()
    ideas_cold = time.perf_counter() - started
    pages = {label: timed(client, [url]) for label, url in LIST_PAGES.items()}
    pages["profile"] = timed(client, profiles)
    pages["idea"] = timed(client, ideas)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "organisations": Organisation.objects.count(),
                "ideas": ProjectIdea.objects.count(),
                "facet_index_cold_load_s": round(cold, 2),
                "idea_index_cold_load_s": round(ideas_cold, 2),
                "facet_index_mb": round(_megabytes(directory_index.current()[0]), 1),
                "idea_index_mb": round(_megabytes(idea_index.current()[0]), 1),
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main()
