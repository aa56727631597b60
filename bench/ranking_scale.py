"""The ranking core at 1× and N× the database's rows, in one process; print one JSON object.

What a warm suggestion costs beyond its few queries is one NumPy scan: over
every active organisation (``ranking.top_k``, partner suggestions) or every
open idea (``need_matrix.top_k``, ideas for an organisation). This measures
both scans on the database's own rows and on the same rows copied
``BENCH_COPIES`` times (default 10) under new ids, interleaved call by call
so that both see the same machine load: the growth ratio of the scan without
generating (and cold-loading) ten times the data. It also reports the arrays'
size, which is what a worker shares with the master.

    DATABASE_URL=sqlite:////tmp/partnerhub-bench-100000.sqlite3 .venv/bin/python bench/ranking_scale.py
"""

import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.dev")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from matching import need_matrix, ranking  # noqa: E402
from matching.features import load_records  # noqa: E402
from matching.need_cache import load_entries  # noqa: E402

COPIES = int(os.environ.get("BENCH_COPIES", "10"))
CALLS = int(os.environ.get("BENCH_CALLS", "40"))
LIMIT = 20
#: New ids of copy k: id + k × OFFSET (past any real id).
OFFSET = 100_000_000


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(durations):
    return {
        "median_ms": round(statistics.median(durations) * 1000, 1),
        "p95_ms": round(percentile(durations, 0.95) * 1000, 1),
    }


def array_mb(matrix) -> float:
    """The NumPy arrays a matrix holds, in MB."""
    arrays = [value for value in vars(matrix).values() if isinstance(value, np.ndarray)]
    arrays += [
        column
        for value in vars(matrix).values()
        if isinstance(value, dict)
        for column in value.values()
        if isinstance(column, np.ndarray)
    ]
    return round(sum(a.nbytes for a in arrays) / 2**20, 1)


def main() -> None:
    today = timezone.localdate()
    started = time.perf_counter()
    records, _inactive = load_records()
    candidates = [record.candidate() for record in records]
    entries = list(load_entries(today).values())
    load_s = time.perf_counter() - started

    def copies(items, times):
        return [
            item if k == 0 else dataclasses.replace(item, id=item.id + k * OFFSET)
            for k in range(times)
            for item in items
        ]

    partners, ideas = {}, {}
    for times in (1, COPIES):
        started = time.perf_counter()
        matrix = ranking.FeatureMatrix()
        matrix.upsert(copies(candidates, times))
        rows = copies(entries, times)
        needs = need_matrix.NeedMatrix(
            [e.id for e in rows], [e.need for e in rows], [e.closes_on for e in rows]
        )
        partners[times] = {"matrix": matrix, "durations": [], "rows": len(matrix)}
        ideas[times] = {"matrix": needs, "durations": [], "rows": len(rows)}
        partners[times]["build_s"] = round(time.perf_counter() - started, 1)
    for i in range(CALLS):  # interleaved: both sizes see the same load
        need = entries[i % len(entries)].need
        candidate = candidates[(i * 7919) % len(candidates)]
        for times in (1, COPIES):
            started = time.perf_counter()
            ranking.top_k(partners[times]["matrix"], need, today=today, limit=LIMIT)
            partners[times]["durations"].append(time.perf_counter() - started)
            started = time.perf_counter()
            need_matrix.top_k(ideas[times]["matrix"], candidate, today=today, limit=LIMIT)
            ideas[times]["durations"].append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "load_s": round(load_s, 1),
                "calls": CALLS,
                "sizes": [
                    {
                        "copies": times,
                        "organisations": partners[times]["rows"],
                        "open_ideas": ideas[times]["rows"],
                        "build_s": partners[times]["build_s"],
                        "feature_matrix_mb": array_mb(partners[times]["matrix"]),
                        "partners_top_k": summary(partners[times]["durations"]),
                        "ideas_top_k": summary(ideas[times]["durations"]),
                    }
                    for times in (1, COPIES)
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
