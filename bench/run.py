"""Matching benchmark: 1,000, 10,000 and 100,000 synthetic organisations on SQLite and PostgreSQL.

Usage::

    .venv/bin/python bench/run.py                  # everything (make bench)
    .venv/bin/python bench/run.py --sizes 1000     # a quick look
    .venv/bin/python bench/run.py --backends sqlite
    .venv/bin/python bench/run.py --sizes 10000 100000 1000000   # with the million (opt-in)
    .venv/bin/python bench/run.py --only memory    # cold start once + memory per worker

For each backend and size it creates a database (SQLite under /tmp; on
PostgreSQL ``partnerhub_bench_<size>`` via BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432), migrates it, fills it with
``generate_synthetic`` (ideas: a tenth of the organisations, at least 100)
unless it already holds that many organisations, then runs bench/measure.py
in a fresh process and prints a Markdown table for docs/benchmarks.md; then
bench/pages.py (the list pages, home, a profile and an idea through the test
client) in another fresh process, and a second table; then bench/memory.py
(both caches built once, workers forked, RSS/PSS/USS over BENCH_MIXED_CALLS
mixed calls, default 10,000), and a growth table: each size against the one
before it.

Each database gets a tenth as many *open* ideas as organisations (the generator
leaves ``OPEN_SHARE`` of its ideas open): 100,000 open ideas at 1,000,000.
Above 100,000 organisations a tenth is generated and then copied ten times in
the database (``--multiply 10``: numbered names, same profiles), which takes
minutes instead of an hour.
"""

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SEED = 2027
#: Database names: <prefix>-<size>.sqlite3 under /tmp, <prefix>_<size> on PostgreSQL
#: (BENCH_PREFIX, e.g. to keep one's own databases apart from another run's).
PREFIX = os.environ.get("BENCH_PREFIX", "partnerhub_bench")
#: The share of generated ideas that are open (bench/synthetic.py, ``OPEN_SHARE``).
OPEN_SHARE = 0.85


#: Above this many organisations a tenth is generated and copied ten times
#: (``generate_synthetic --multiply 10``): minutes instead of an hour of Python.
GENERATED_AT_MOST = 100_000


def plan(size: int) -> tuple[int, int, int]:
    """(organisations to generate, ideas to generate, copies): about a tenth of ideas open."""
    copies = 10 if size > GENERATED_AT_MOST else 1
    return size // copies, max(100, round(size / copies / 10 / OPEN_SHARE)), copies


def ideas_for(size: int) -> int:
    """How many ideas a database of ``size`` organisations holds."""
    _organisations, ideas, copies = plan(size)
    return ideas * copies


def database_url(backend: str, size: int) -> str:
    if backend == "sqlite":
        return f"sqlite:////tmp/{PREFIX.replace('_', '-')}-{size}.sqlite3"
    return f"{POSTGRES}/{PREFIX}_{size}"


def manage(url: str, *args: str, capture: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "partnerhub.settings.dev"}
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def count_rows(url: str) -> tuple[int, int]:
    """(organisations, ideas) in the database, or (-1, -1) when there is none yet."""
    try:
        out = manage(
            url,
            "shell",
            "-c",
            "from organisations.models import Organisation as O; "
            "from projects.models import ProjectIdea as I; "
            "print(O.objects.count(), I.objects.count())",
            capture=True,
        )
        organisations, ideas = out.strip().splitlines()[-1].split()
        return int(organisations), int(ideas)
    except (subprocess.CalledProcessError, ValueError):
        return -1, -1


def prepare(backend: str, size: int) -> float | None:
    """Create and fill the database; the generation time, or None when reused."""
    url = database_url(backend, size)
    if count_rows(url) == (size, ideas_for(size)):
        manage(url, "migrate", "-v0")  # a database made before the latest migrations
        return None
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = f"{PREFIX}_{size}"
        admin = ["psql", f"{POSTGRES}/postgres", "-q", "-c"]
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
    manage(url, "migrate", "-v0")
    started = time.perf_counter()
    organisations, ideas, copies = plan(size)
    manage(
        url,
        "generate_synthetic",
        "--organisations",
        str(organisations),
        "--ideas",
        str(ideas),
        "--seed",
        str(SEED),
        "--multiply",
        str(copies),
    )
    return time.perf_counter() - started


def measure(backend: str, size: int, script: str = "measure.py") -> dict:
    """Run ``bench/<script>`` in a fresh process (cold caches, like a new worker); its JSON."""
    if backend == "postgresql":
        # A freshly bulk-loaded table has no visibility map yet, so COUNT(*)
        # cannot use an index-only scan (the cache stamp then costs ~35 ms
        # instead of ~5 ms at 100,000 rows). Autovacuum does this on a live
        # site within minutes of a bulk load; the benchmark does not wait.
        subprocess.run(
            ["psql", f"{POSTGRES}/{PREFIX}_{size}", "-q", "-c", "VACUUM ANALYZE"], check=True
        )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(backend, size),
        "DJANGO_SETTINGS_MODULE": "partnerhub.settings.dev",
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / script)],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def print_memory(results: list[dict]) -> None:
    print()
    print(
        "| backend | orgs | open ideas | cold start once s | master warm RSS / USS MB | "
        "worker USS MB at fork / after 1 call / at the end | worker RSS MB at fork / at the end "
        "| mixed calls per worker | worker p95 ms partners / ideas / complementary |"
    )
    print("|" + " --- |" * 9)
    for r in results:
        master = r["master_warm_mb"]
        for w in r["workers"]:
            if "error" in w:
                print(f"| {r['vendor']} | {r['organisations']:,} | worker failed: {w['error']} |")
                continue
            first, after, last = w["samples"][0], w["samples"][1], w["samples"][-1]
            p95 = " / ".join(str(w["calls"].get(k, {}).get("p95_ms", "–"))
                             for k in ("partners", "ideas", "complementary"))  # fmt: skip
            print(
                f"| {r['vendor']} | {r['organisations']:,} | {r['open_ideas']:,} | "
                f"{r['cold_start_once_s']} | {master['rss_mb']} / {master['uss_mb']} | "
                f"{first['uss_mb']} / {after['uss_mb']} / {last['uss_mb']} | "
                f"{first['rss_mb']} / {last['rss_mb']} | {last['calls']:,} | {p95} |"
            )


def print_growth(rows: list[dict], memory: list[dict]) -> None:
    """Each size against the one before it on the same backend (×: how many times as much)."""
    warm = {(m["vendor"], m["organisations"]): m["master_warm_mb"]["rss_mb"] for m in memory}
    print()
    print(
        "| backend | orgs | ×orgs | partners p95 ms | × | ideas-for-org p95 ms | × | "
        "cold load s | × | ideas cold build s | × | warm caches RSS MB | × |"
    )
    print("|" + " --- |" * 13)
    previous: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["vendor"], r["organisations"])):
        before = previous.get(r["vendor"])
        values = [
            r["partners"]["p95_ms"],
            r["ideas"]["p95_ms"],
            r["cold_load_s"],
            r["ideas_cold_build_s"],
            warm.get((r["vendor"], r["organisations"])),
        ]
        old = (
            [
                before["partners"]["p95_ms"],
                before["ideas"]["p95_ms"],
                before["cold_load_s"],
                before["ideas_cold_build_s"],
                warm.get((before["vendor"], before["organisations"])),
            ]
            if before
            else [None] * len(values)
        )
        cells = [
            f"{value if value is not None else '–'} | "
            + (f"{value / was:.1f}" if value and was else "–")
            for value, was in zip(values, old, strict=True)
        ]
        ratio = f"{r['organisations'] / before['organisations']:.0f}" if before else "–"
        print(f"| {r['vendor']} | {r['organisations']:,} | {ratio} | " + " | ".join(cells) + " |")
        previous[r["vendor"]] = r


def measure_pages(backend: str, size: int) -> dict:
    if backend == "postgresql":  # as measure() does: what autovacuum does soon after a load
        subprocess.run(
            ["psql", f"{POSTGRES}/{PREFIX}_{size}", "-q", "-c", "VACUUM ANALYZE"], check=True
        )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(backend, size),
        "DJANGO_SETTINGS_MODULE": "partnerhub.settings.dev",
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "pages.py")],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def print_pages(results: list[dict]) -> None:
    labels = list(results[0]["pages"])
    print()
    print("| page | " + " | ".join(f"{r['vendor']} {r['organisations']:,}" for r in results) + " |")
    print("|" + " --- |" * (len(results) + 1))
    for label in labels:
        cells = [
            f"{r['pages'][label]['median_ms']} / {r['pages'][label]['p95_ms']} ms, "
            f"{r['pages'][label]['queries']} q"
            if label in r["pages"]
            else "–"
            for r in results
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    cold = " | ".join(f"{r['facet_index_cold_load_s']} s" for r in results)
    print(f"| facet index cold load | {cold} |")
    cold = " | ".join(f"{r.get('idea_index_cold_load_s', '–')} s" for r in results)
    print(f"| idea index cold load | {cold} |")


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    try:
        postgres = subprocess.run(
            ["psql", f"{POSTGRES}/postgres", "-tAc", "SHOW server_version"],
            check=True,
            text=True,
            capture_output=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        postgres = "n/a"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--only", choices=["matching", "pages", "memory"], help="run one of the benchmarks"
    )
    args = parser.parse_args()
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    rows, pages, memory = [], [], []
    for backend in args.backends:
        for size in args.sizes:
            generated = prepare(backend, size)
            if args.only in (None, "matching"):
                result = measure(backend, size)
                result["generate_s"] = None if generated is None else round(generated, 1)
                rows.append(result)
                print(json.dumps(result), flush=True)
            if args.only in (None, "pages"):
                pages.append(measure_pages(backend, size))
                print(json.dumps(pages[-1]), flush=True)
            if args.only in (None, "memory"):
                memory.append(measure(backend, size, "memory.py"))
                print(json.dumps(memory[-1]), flush=True)
    if pages:
        print_pages(pages)
    if memory:
        print_memory(memory)
    if not rows:
        return
    print()
    print(
        "| backend | orgs | open ideas | partners median / p95 ms (CPU p95) | queries | "
        "ideas-for-org median / p95 ms (CPU p95) | queries | complementary median / p95 ms | "
        "cold load s | refresh after 1 change ms (load / whole call) | "
        "ideas cold build s | ideas refresh after 1 idea change ms (load / whole call) | "
        "generate s |"
    )
    print("|" + " --- |" * 13)
    for r in rows:
        p, i, c = r["partners"], r["ideas"], r["complementary"]
        print(
            f"| {r['vendor']} | {r['organisations']:,} | {r['open_ideas']:,} | "
            f"{p['median_ms']} / {p['p95_ms']} ({p.get('cpu_p95_ms', '-')}) | {p['max_queries']} | "
            f"{i['median_ms']} / {i['p95_ms']} ({i.get('cpu_p95_ms', '-')}) | {i['max_queries']} | "
            f"{c['median_ms']} / {c['p95_ms']} | {r['cold_load_s']} | "
            f"{r['refresh_load_ms']} / {r['refresh_call_ms']} | {r['ideas_cold_build_s']} | "
            f"{r['ideas_refresh_load_ms']} / {r['ideas_refresh_call_ms']} | "
            f"{r['generate_s'] or 'reused'} |"
        )
    print_growth(rows, memory)


if __name__ == "__main__":
    main()
