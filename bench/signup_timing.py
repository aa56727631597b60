"""Sign-up with a registered and with a new address: do they answer in the same time?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ph_x .venv/bin/python bench/signup_timing.py

Posts the sign-up form through the whole middleware stack (Django's test client,
in this process) on the database DATABASE_URL points at, which must be migrated,
with the production password hasher (PBKDF2) and real commits, so the queued
mail and the new rows cost what they cost in production. Known and new
addresses alternate (``--rounds`` of each, default 40), so load from other
processes falls on both alike. Prints one JSON object: medians, quartiles, the
ratio of the medians and the queries of each path. Every row it created (the
new accounts, their queued mails) is deleted at the end.

Rate limits are switched off for the run (40 sign-ups from one source would hit
them); nothing else differs from production settings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

PASSWORD = "correct horse battery staple"  # noqa: S105 - a benchmark's throwaway account


def sign_up(email: str) -> tuple[float, float, int]:
    """Wall-clock ms, this process's CPU ms (less disturbed by other load) and queries."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        cpu = time.process_time()
        started = time.perf_counter()
        response = client.post(
            "/accounts/signup/",
            {"display_name": "Bench", "email": email, "password1": PASSWORD, "password2": PASSWORD},
            REMOTE_ADDR="10.9.9.9",
        )
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
    if response.status_code != 302:
        raise SystemExit(f"sign-up of {email} answered {response.status_code}")
    return elapsed * 1000, cpu * 1000, len(queries.captured_queries)


def summary(values: list[float]) -> dict:
    q1, median, q3 = statistics.quantiles(values, n=4)
    return {"median_ms": round(median, 1), "q1_ms": round(q1, 1), "q3_ms": round(q3, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    known_email = f"bench-known-{run}@example.org"
    tasks_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    hashers = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    with override_settings(
        ACCOUNT_RATE_LIMITS=False, PASSWORD_HASHERS=hashers, ALLOWED_HOSTS=["testserver"]
    ):
        sign_up(known_email)  # registers the known address (and warms every import)
        sign_up(f"bench-warm-{run}@example.org")
        known, unknown, known_queries, unknown_queries = [], [], set(), set()
        known_cpu, unknown_cpu = [], []
        for i in range(args.rounds):
            ms, cpu, count = sign_up(known_email)
            known.append(ms)
            known_cpu.append(cpu)
            known_queries.add(count)
            ms, cpu, count = sign_up(f"bench-new-{run}-{i}@example.org")
            unknown.append(ms)
            unknown_cpu.append(cpu)
            unknown_queries.add(count)
    get_user_model().objects.filter(email__startswith="bench-", email__contains=run).delete()
    DBTaskResult.objects.exclude(pk__in=tasks_before).delete()
    load = os.getloadavg()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "rounds": args.rounds,
                "hasher": hashers[0].rsplit(".", 1)[-1],
                "known": {
                    **summary(known),
                    "cpu_median_ms": round(statistics.median(known_cpu), 1),
                    "queries": sorted(known_queries),
                },
                "new": {
                    **summary(unknown),
                    "cpu_median_ms": round(statistics.median(unknown_cpu), 1),
                    "queries": sorted(unknown_queries),
                },
                "ratio_of_medians": round(statistics.median(known) / statistics.median(unknown), 3),
                "difference_of_medians_ms": round(
                    statistics.median(unknown) - statistics.median(known), 1
                ),
                "load_average": [round(x, 1) for x in load],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
