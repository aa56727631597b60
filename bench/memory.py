"""Cold start paid once, and memory per worker over many mixed calls; print one JSON object.

What ``partnerhub/gunicorn.py`` does with ``preload_app`` on: this process (the
"master") builds both matching caches once, freezes them out of the garbage
collector's reach (``gc.freeze``, so no collection writes to their pages), closes
its database connections and forks ``BENCH_WORKERS`` workers (default 2). Each
worker makes ``BENCH_MIXED_CALLS`` (default 10,000) mixed calls through the
services — half partner suggestions for a random open idea, 30 % ideas for a
random organisation, 20 % complementary organisations — and worker 0 saves one
profile every ``BENCH_EDIT_EVERY`` calls (default 500), which every worker then
reads from the change log. Memory is read from ``/proc/<pid>/smaps_rollup``:
RSS, PSS and USS (private pages, what the worker alone costs) before the first
call, after it, and at every tenth of the run.

Run by ``bench/run.py --only memory``; alone::

    DATABASE_URL=sqlite:////tmp/partnerhub-bench-100000.sqlite3 .venv/bin/python bench/memory.py
"""

import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from matching import services  # noqa: E402
from matching.features import idea_queryset  # noqa: E402
from matching.warmup import warm_caches  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from projects.models import ProjectIdea  # noqa: E402

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CALLS = int(os.environ.get("BENCH_MIXED_CALLS", "10000"))
EDIT_EVERY = int(os.environ.get("BENCH_EDIT_EVERY", "500"))
#: Weights of partner suggestions, ideas for an organisation and complementary organisations.
MIX = [int(share) for share in os.environ.get("BENCH_MIX", "5,3,2").split(",")]
SAMPLES = 10


def memory(pid: int | str = "self") -> dict[str, float]:
    """RSS, PSS and USS of a process in MB (Linux ``smaps_rollup``)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return {
        "rss_mb": round(fields["Rss"] / 1024, 1),
        "pss_mb": round(fields["Pss"] / 1024, 1),
        "uss_mb": round(uss / 1024, 1),
    }


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def worker(number: int, idea_ids: list[int], org_ids: list[int]) -> dict:
    """One forked worker's run: its memory samples and call times."""
    rng = random.Random(number)
    samples = [{"calls": 0, **memory()}]
    started = time.perf_counter()
    services.suggest_partners(idea=idea_queryset().get(pk=idea_ids[0]), limit=20)
    first_call_ms = round((time.perf_counter() - started) * 1000, 1)
    samples.append({"calls": 1, **memory()})
    durations: dict[str, list[float]] = {"partners": [], "ideas": [], "complementary": []}
    for call in range(1, CALLS + 1):
        kind = rng.choices(["partners", "ideas", "complementary"], MIX)[0]
        started = time.perf_counter()
        if kind == "partners":
            idea = idea_queryset().get(pk=rng.choice(idea_ids))
            services.suggest_partners(idea=idea, limit=20)
        elif kind == "ideas":
            organisation = Organisation.objects.get(pk=rng.choice(org_ids))
            services.suggest_ideas(organisation=organisation, limit=20)
        else:
            organisation = Organisation.objects.get(pk=rng.choice(org_ids))
            services.complementary_organisations(organisation=organisation, limit=5)
        durations[kind].append(time.perf_counter() - started)
        if number == 0 and EDIT_EVERY and call % EDIT_EVERY == 0:
            edited = Organisation.objects.get(pk=rng.choice(org_ids))
            edited.description = f"{edited.description[:900]} Edit {call}."
            edited.save()
        if call % max(1, CALLS // SAMPLES) == 0:
            samples.append({"calls": call, **memory()})
            # Progress on stderr, so a run cut short still says something.
            print(json.dumps({"worker": number, **samples[-1]}), file=sys.stderr, flush=True)
    return {
        "worker": number,
        "first_call_ms": first_call_ms,
        "samples": samples,
        "calls": {
            kind: {
                "count": len(values),
                "median_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            }
            for kind, values in durations.items()
            if values
        },
    }


def main() -> None:
    idea_ids = list(ProjectIdea.objects.open().values_list("pk", flat=True))
    org_ids = list(Organisation.objects.active().values_list("pk", flat=True))
    before = memory()
    started = time.perf_counter()
    organisations, open_ideas = warm_caches()
    cold = time.perf_counter() - started
    print(json.dumps({"cold_start_once_s": round(cold, 1)}), file=sys.stderr, flush=True)
    gc.collect()
    gc.freeze()  # as partnerhub/gunicorn.py does before forking
    master = memory()
    connections.close_all()
    children = {}
    for number in range(WORKERS):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(read)
            try:
                result = worker(number, idea_ids, org_ids)
            except BaseException as error:  # noqa: BLE001 - reported to the parent
                result = {"worker": number, "error": repr(error)}
            with os.fdopen(write, "w") as out:
                out.write(json.dumps(result))
            connections.close_all()
            os._exit(0)
        os.close(write)
        children[pid] = read
    results = []
    for pid, read in children.items():
        with os.fdopen(read) as pipe:
            results.append(json.loads(pipe.read()))
        os.waitpid(pid, 0)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "organisations": organisations,
                "open_ideas": open_ideas,
                "today": str(timezone.localdate()),
                "cold_start_once_s": round(cold, 1),
                "master_before_mb": before,
                "master_warm_mb": master,
                "workers": results,
            }
        )
    )


if __name__ == "__main__":
    main()
