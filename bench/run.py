"""Matching benchmark: 1,000, 10,000 and 100,000 synthetic organisations on SQLite and PostgreSQL.

Usage::

    .venv/bin/python bench/run.py                  # everything (make bench)
    .venv/bin/python bench/run.py --sizes 1000     # a quick look
    .venv/bin/python bench/run.py --backends sqlite

For each backend and size it creates a database (SQLite under /tmp; on
PostgreSQL ``partnerhub_bench_<size>`` via BENCH_POSTGRES, default
postgres://postgres@127.0.0.1:5432), migrates it, fills it with
``generate_synthetic`` (ideas: a tenth of the organisations, at least 100)
unless it already holds that many organisations, then runs bench/measure.py
in a fresh process and prints a Markdown table for docs/benchmarks.md; then
bench/pages.py (the list pages, home, a profile and an idea through the test
client) in another fresh process, and a second table.
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


def count_organisations(url: str) -> int:
    try:
        out = manage(
            url,
            "shell",
            "-c",
            "from organisations.models import Organisation as O; print(O.objects.count())",
            capture=True,
        )
        return int(out.strip().splitlines()[-1])
    except (subprocess.CalledProcessError, ValueError):
        return -1


def prepare(backend: str, size: int) -> float | None:
    """Create and fill the database; the generation time, or None when reused."""
    url = database_url(backend, size)
    if count_organisations(url) == size:
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
    manage(
        url,
        "generate_synthetic",
        "--organisations",
        str(size),
        "--ideas",
        str(max(100, size // 10)),
        "--seed",
        str(SEED),
    )
    return time.perf_counter() - started


def measure(backend: str, size: int) -> dict:
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
        [PYTHON, str(ROOT / "bench" / "measure.py")],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


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
            for r in results
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    cold = " | ".join(f"{r['facet_index_cold_load_s']} s" for r in results)
    print(f"| facet index cold load | {cold} |")


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
        "--only", choices=["matching", "pages"], help="run one of the two benchmarks"
    )
    args = parser.parse_args()
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    rows, pages = [], []
    for backend in args.backends:
        for size in args.sizes:
            generated = prepare(backend, size)
            if args.only != "pages":
                result = measure(backend, size)
                result["generate_s"] = None if generated is None else round(generated, 1)
                rows.append(result)
                print(json.dumps(result), flush=True)
            if args.only != "matching":
                pages.append(measure_pages(backend, size))
                print(json.dumps(pages[-1]), flush=True)
    if pages:
        print_pages(pages)
    if not rows:
        return
    print()
    print(
        "| backend | orgs | open ideas | partners median / p95 ms | queries | "
        "ideas-for-org median / p95 ms | queries | complementary median / p95 ms | "
        "cold load s | refresh after 1 change ms (load / whole call) | "
        "ideas cold build s | ideas refresh after 1 idea change ms (load / whole call) | "
        "generate s |"
    )
    print("|" + " --- |" * 13)
    for r in rows:
        p, i, c = r["partners"], r["ideas"], r["complementary"]
        print(
            f"| {r['vendor']} | {r['organisations']:,} | {r['open_ideas']:,} | "
            f"{p['median_ms']} / {p['p95_ms']} | {p['max_queries']} | "
            f"{i['median_ms']} / {i['p95_ms']} | {i['max_queries']} | "
            f"{c['median_ms']} / {c['p95_ms']} | {r['cold_load_s']} | "
            f"{r['refresh_load_ms']} / {r['refresh_call_ms']} | {r['ideas_cold_build_s']} | "
            f"{r['ideas_refresh_load_ms']} / {r['ideas_refresh_call_ms']} | "
            f"{r['generate_s'] or 'reused'} |"
        )


if __name__ == "__main__":
    main()
