"""Real-consortia quality benchmark: does the engine rank the partners a coordinator really chose?

Data: the Horizon 2020 participations in ``../shared/data/`` (CORDIS, CC BY 4.0),
one row per organisation per project. Time-ordered, so nothing from the future
leaks in:

- test projects: projects that started in the last two years of the data
  (2020 and 2021) with a coordinator and at least one other participant,
  whose coordinator already had a project before; a fixed random sample;
- history of a test project: only projects that started in an earlier year;
- candidates: every organisation with such history, except the lead;
- profiles, built only from history: kind (from the CORDIS org type),
  country, the programme parts it worked in (as themes), how many projects,
  and with whom;
- what the lead states: the project's programme part (its theme) and the
  countries of the partners it sought (the countries of the real partners, as
  a coordinator states "partners from Spain and Italy").

Each ranker orders all candidates; the real partners are the relevant ones.
Reported per ranker: recall@10 and recall@50 (share of the real partners in
the top K, averaged over projects), MRR (of the best-ranked real partner)
and its median rank, each with a 95 % bootstrap interval over projects, and
for the engine the paired difference to each baseline.

Rankers: the engine (``matching.ranking.top_k`` with the default weights, the
same code as the site), and four baselines — random within the sought
countries; sought country then shared themes; the lead's past co-partners
first; organisations already active in the programme part first.

Usage: ``make bench-quality`` (``python bench/quality.py --projects 300``);
``--markdown`` prints the table for docs/quality.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.test")

import django  # noqa: E402

django.setup()

from matching import ranking  # noqa: E402
from matching.scoring import Candidate, Need  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "h2020_participations_named.csv"
TODAY = date(2022, 1, 1)
KIND_OF_TYPE = {
    "HES": ("university", "education"),
    "REC": ("other", "other"),
    "PRC": ("company", "private"),
    "PUB": ("public-institution", "public"),
    "OTH": ("association", "ngo"),
}
COUNTRY = {"EL": "GR", "UK": "GB"}


@dataclass
class Project:
    rcn: str
    year: int
    part: str
    coordinator: str = ""
    members: list[str] = field(default_factory=list)


@dataclass
class Organisation:
    pic: str
    name: str
    country: str
    org_type: str


def load(path: Path) -> tuple[dict[str, Project], dict[str, Organisation]]:
    projects: dict[str, Project] = {}
    organisations: dict[str, Organisation] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["start_year"].isdigit() or not row["pic"]:
                continue
            project = projects.setdefault(
                row["rcn"], Project(row["rcn"], int(row["start_year"]), row["programme_part"])
            )
            if row["pic"] in project.members:
                continue
            project.members.append(row["pic"])
            if row["role"] == "coordinator":
                project.coordinator = row["pic"]
            organisations.setdefault(
                row["pic"],
                Organisation(
                    row["pic"],
                    row["org_name"] or row["pic"],
                    COUNTRY.get(row["country"], row["country"]),
                    row["org_type"],
                ),
            )
    return projects, organisations


class History:
    """What was known at the start of ``year``: projects that started before it."""

    def __init__(self, projects: dict[str, Project], year: int) -> None:
        self.year = year
        self.parts: dict[str, Counter] = defaultdict(Counter)  # pic → programme part → count
        self.partners: dict[str, Counter] = defaultdict(Counter)  # pic → pic → shared projects
        for project in projects.values():
            if project.year >= year:
                continue
            for pic in project.members:
                self.parts[pic][project.part] += 1
                for other in project.members:
                    if other != pic:
                        self.partners[pic][other] += 1

    def known(self) -> list[str]:
        return sorted(self.parts)

    def projects_of(self, pic: str) -> int:
        return sum(self.parts[pic].values())


def experience(count: int) -> str:
    return "none" if count == 0 else ("some" if count < 5 else "experienced")


def candidate(index: int, organisation: Organisation, history: History) -> Candidate:
    kind, sector = KIND_OF_TYPE.get(organisation.org_type, ("other", "other"))
    return Candidate(
        id=index,
        slug=organisation.pic,
        name=organisation.name,
        kind=kind,
        sector=sector,
        country=organisation.country,
        updated_on=TODAY,
        themes=frozenset(part for part in history.parts[organisation.pic] if part),
        experience=experience(history.projects_of(organisation.pic)),
        completeness=0.5,
    )


class Year:
    """The candidates of one test year, as records and as the engine's matrix."""

    def __init__(self, projects, organisations, year: int) -> None:
        self.history = History(projects, year)
        self.pics = self.history.known()
        self.index = {pic: i for i, pic in enumerate(self.pics)}
        self.candidates = [
            candidate(i, organisations[pic], self.history) for i, pic in enumerate(self.pics)
        ]
        self.matrix = ranking.FeatureMatrix()
        self.matrix.upsert(self.candidates)


def need_of(project: Project, year: Year, organisations) -> Need:
    lead = organisations[project.coordinator]
    partners = [pic for pic in project.members if pic != project.coordinator]
    _kind, sector = KIND_OF_TYPE.get(lead.org_type, ("other", "other"))
    return Need(
        lead_id=year.index[project.coordinator],
        lead_experience=experience(year.history.projects_of(project.coordinator)),
        member_ids=frozenset({year.index[project.coordinator]}),
        member_countries=frozenset({lead.country}),
        member_sectors=frozenset({sector}),
        themes=frozenset({project.part}) if project.part else frozenset(),
        countries_sought=frozenset(organisations[pic].country for pic in partners),
    )


# --- Rankers: each returns candidate indexes, best first (the lead left out) --------------


def engine(project, year, organisations, rng) -> list[int]:
    need = need_of(project, year, organisations)
    found = ranking.top_k(year.matrix, need, today=TODAY, limit=len(year.pics))
    return [pk for pk, _total in found]


def _sorted(year, project, key, rng) -> list[int]:
    lead = year.index[project.coordinator]
    order = [i for i in range(len(year.pics)) if i != lead]
    rng.shuffle(order)  # ties in random order, never by id
    order.sort(key=key, reverse=True)
    return order


def random_in_countries(project, year, organisations, rng) -> list[int]:
    sought = need_of(project, year, organisations).countries_sought
    return _sorted(year, project, lambda i: year.candidates[i].country in sought, rng)


def shared_themes(project, year, organisations, rng) -> list[int]:
    sought = need_of(project, year, organisations).countries_sought
    return _sorted(
        year,
        project,
        lambda i: (year.candidates[i].country in sought, project.part in year.candidates[i].themes),
        rng,
    )


def past_partners(project, year, organisations, rng) -> list[int]:
    sought = need_of(project, year, organisations).countries_sought
    worked = year.history.partners[project.coordinator]
    return _sorted(
        year,
        project,
        lambda i: (worked[year.pics[i]], year.candidates[i].country in sought),
        rng,
    )


def programme_veterans(project, year, organisations, rng) -> list[int]:
    sought = need_of(project, year, organisations).countries_sought
    return _sorted(
        year,
        project,
        lambda i: (
            year.history.parts[year.pics[i]][project.part],
            year.candidates[i].country in sought,
        ),
        rng,
    )


RANKERS = {
    "engine": engine,
    "random within sought countries": random_in_countries,
    "sought country, then shared themes": shared_themes,
    "the lead's past co-partners first": past_partners,
    "same-programme veterans first": programme_veterans,
}


# --- Measures ---------------------------------------------------------------------------


@dataclass
class Result:
    recall10: float
    recall50: float
    reciprocal: float
    best_rank: int


def measure(order: list[int], relevant: set[int]) -> Result:
    position = {candidate: rank for rank, candidate in enumerate(order, start=1)}
    ranks = sorted(position.get(i, len(order) + 1) for i in relevant)
    best = ranks[0]
    return Result(
        recall10=sum(r <= 10 for r in ranks) / len(ranks),
        recall50=sum(r <= 50 for r in ranks) / len(ranks),
        reciprocal=1 / best,
        best_rank=best,
    )


def bootstrap(values: list[float], rng: random.Random, rounds: int = 1000) -> tuple[float, float]:
    means = sorted(statistics.fmean(rng.choices(values, k=len(values))) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def choose_projects(projects, count: int, seed: int) -> list[Project]:
    """A fixed random sample of the 2020–2021 projects whose coordinator had an earlier one."""
    by_coordinator: dict[str, list[int]] = defaultdict(list)
    for project in projects.values():
        for pic in project.members:
            by_coordinator[pic].append(project.year)
    chosen = [
        p
        for p in projects.values()
        if p.year in (2020, 2021)
        and p.coordinator
        and len(p.members) >= 2
        and any(year < p.year for year in by_coordinator[p.coordinator])
    ]
    chosen.sort(key=lambda p: p.rcn)
    random.Random(seed).shuffle(chosen)
    return chosen[:count]


def run(count: int, seed: int) -> tuple[dict[str, list[Result]], int, float]:
    started = time.perf_counter()
    projects, organisations = load(DATA)
    chosen = choose_projects(projects, count, seed)
    years = {year: Year(projects, organisations, year) for year in sorted({p.year for p in chosen})}
    results: dict[str, list[Result]] = {name: [] for name in RANKERS}
    used = 0
    for project in chosen:
        year = years[project.year]
        relevant = {
            year.index[pic]
            for pic in project.members
            if pic != project.coordinator and pic in year.index
        }
        if not relevant:
            continue  # every partner is new to the programme: no ranker can know them
        used += 1
        for name, ranker in RANKERS.items():
            order = ranker(project, year, organisations, random.Random(f"{seed}-{project.rcn}"))
            results[name].append(measure(order, relevant))
    return results, used, time.perf_counter() - started


def table(results: dict[str, list[Result]], used: int, seconds: float, seed: int) -> str:
    rng = random.Random(seed)
    lines = [
        f"{used} test projects (2020–2021), candidates all organisations with earlier "
        f"projects; {seconds:.0f} s on this machine. 95 % bootstrap intervals over projects.",
        "",
        "| ranker | recall@10 | recall@50 | MRR | median best rank |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, rows in results.items():
        cells = []
        for attribute in ("recall10", "recall50", "reciprocal"):
            values = [getattr(r, attribute) for r in rows]
            low, high = bootstrap(values, rng)
            cells.append(f"{statistics.fmean(values):.3f} [{low:.3f}, {high:.3f}]")
        median = statistics.median(r.best_rank for r in rows)
        lines.append(f"| {name} | {' | '.join(cells)} | {median:g} |")
    lines += ["", "Engine minus baseline (paired, 95 % bootstrap interval):", ""]
    lines += ["| baseline | Δ recall@10 | Δ MRR |", "| --- | --- | --- |"]
    engine_rows = results["engine"]
    for name, rows in results.items():
        if name == "engine":
            continue
        cells = []
        for attribute in ("recall10", "reciprocal"):
            diffs = [
                getattr(a, attribute) - getattr(b, attribute)
                for a, b in zip(engine_rows, rows, strict=True)
            ]
            low, high = bootstrap(diffs, rng)
            cells.append(f"{statistics.fmean(diffs):+.3f} [{low:+.3f}, {high:+.3f}]")
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--markdown", action="store_true", help="only the table")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the benchmark reads ../shared/data/ beside the checkout")
    results, used, seconds = run(args.projects, args.seed)
    print(table(results, used, seconds, args.seed))


if __name__ == "__main__":
    main()
