"""Measure matching on the database DATABASE_URL points at; print one JSON object.

Run by bench/run.py in a fresh process per database, so the feature cache
starts cold exactly as in a new worker.
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

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from matching import services  # noqa: E402
from matching.cache import features  # noqa: E402
from matching.features import idea_queryset  # noqa: E402
from matching.need_cache import open_ideas  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from projects.models import ProjectIdea  # noqa: E402

CALLS = int(os.environ.get("BENCH_CALLS", "60"))
LIMIT = 20


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, calls):
    durations, cpu, queries = [], [], []
    for i in range(calls):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            function(i)
            durations.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries.append(len(captured.captured_queries))
    return {
        "median_ms": round(statistics.median(durations) * 1000, 1),
        "p95_ms": round(percentile(durations, 0.95) * 1000, 1),
        # CPU time of this process (the database's own is not in it for PostgreSQL).
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "cpu_p95_ms": round(percentile(cpu, 0.95) * 1000, 1),
        "max_queries": max(queries),
    }


def main() -> None:
    organisations = Organisation.objects.count()
    idea_ids = list(ProjectIdea.objects.open().order_by("pk").values_list("pk", flat=True)[:CALLS])
    org_ids = list(
        Organisation.objects.active().order_by("pk").values_list("pk", flat=True)[:CALLS]
    )
    features.clear()
    started = time.perf_counter()
    len(features.records([]))
    cold = time.perf_counter() - started

    def partners(i):
        # In-process, as the view does it: load the idea, then ask the service.
        idea = idea_queryset().get(pk=idea_ids[i % len(idea_ids)])
        services.suggest_partners(idea=idea, limit=LIMIT)

    def ideas(i):
        organisation = Organisation.objects.get(pk=org_ids[i % len(org_ids)])
        services.suggest_ideas(organisation=organisation, limit=LIMIT)

    def complementary(i):
        organisation = Organisation.objects.get(pk=org_ids[i % len(org_ids)])
        services.complementary_organisations(organisation=organisation, limit=5)

    partners(0)  # warm the labels
    started = time.perf_counter()
    ideas(0)  # builds the open ideas' needs (the organisation cache is warm)
    ideas_cold = time.perf_counter() - started
    result = {
        "vendor": connection.vendor,
        "organisations": organisations,
        "open_ideas": ProjectIdea.objects.open().count(),
        "cold_load_s": round(cold, 2),
        "ideas_cold_load_s": round(ideas_cold, 2),
        "ideas_cold_build_s": round(open_ideas.last_load.seconds, 2),
        "partners": timed(partners, CALLS),
        "ideas": timed(ideas, max(10, CALLS // 3)),
        "complementary": timed(complementary, CALLS),
    }
    # One profile changes, as the profile form would change it; the next call refreshes.
    changed = Organisation.objects.get(pk=org_ids[0])
    changed.description += " Now also running a climate café."
    changed.save()
    started = time.perf_counter()
    partners(1)
    result["refresh_call_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["refresh_load_ms"] = round(features.last_load.seconds * 1000, 1)
    result["refresh_kind"] = features.last_load.kind
    # One idea changes (its summary); the next ideas-for-an-organisation call refreshes.
    idea = ProjectIdea.objects.open().order_by("pk").first()
    idea.summary += " Now also about climate."
    idea.save()
    started = time.perf_counter()
    ideas(2)
    result["ideas_refresh_call_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["ideas_refresh_load_ms"] = round(open_ideas.last_load.seconds * 1000, 1)
    result["ideas_refresh_kind"] = open_ideas.last_load.kind
    print(json.dumps(result))


if __name__ == "__main__":
    main()
