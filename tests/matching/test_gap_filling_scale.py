"""Gap-filling order at 100,000 synthetic organisations: correct, and fast enough.

Pure NumPy over a FeatureMatrix (no database): the ranker that serves the
suggestions page puts every gap-filler first and agrees with the reference
scorer on the candidates it returns; one query stays well under the 50 ms
p95 budget of docs/benchmarks.md (measured there through the services;
here the test allows twice that, for a loaded test machine).
"""

import datetime
import random
import time

import pytest

from matching.features import Member, need_for
from matching.ranking import FeatureMatrix, top_k
from matching.scoring import Candidate, fills_gap, rank, score
from projects.eligibility import Rules

TODAY = datetime.date(2026, 12, 1)
COUNTRIES = ["LV", "LT", "EE", "PL", "NO", "FI", "SE", "DE", "CZ", "HR", "UA", "BY"]
KINDS = ["association", "foundation", "municipality", "school", "company"]
SECTOR = {
    "association": "ngo",
    "foundation": "ngo",
    "municipality": "public",
    "school": "education",
    "company": "private",
}
THEMES = [f"theme-{i}" for i in range(17)]
SIZE = 100_000


@pytest.fixture(scope="module")
def population():
    rng = random.Random(2027)
    candidates = []
    for i in range(1, SIZE + 1):
        # Half the profiles are Latvian, as on a Latvian-run site.
        country = "LV" if rng.random() < 0.5 else rng.choice(COUNTRIES)
        kind = rng.choice(KINDS)
        candidates.append(
            Candidate(
                id=i,
                slug=f"org-{i}",
                name=f"Organisation {i}",
                kind=kind,
                sector=SECTOR[kind],
                country=country,
                updated_on=TODAY - datetime.timedelta(days=rng.randrange(800)),
                themes=frozenset(rng.sample(THEMES, rng.randrange(1, 5))),
                languages=frozenset({"en"}) if rng.random() < 0.7 else frozenset({"lv"}),
                experience=rng.choice(["none", "some", "experienced"]),
                verified=rng.random() < 0.3,
                completeness=rng.random(),
            )
        )
    return candidates, FeatureMatrix.from_candidates(candidates)


KA220 = Rules(
    min_organisations=3,
    min_countries=3,
    eligible_countries=frozenset(COUNTRIES) - {"UA", "BY"},
    allowed_kinds=frozenset(KINDS) - {"company"},
)


def test_at_100000_organisations_gap_fillers_come_first_and_fast(population):
    candidates, matrix = population
    need = need_for(
        lead=Member(0, "Latvian lead", "LV", "association"),
        lead_experience="none",
        rules=KA220,
        themes=THEMES[:3],
        countries_sought={"LV", "LT"},
    )
    timings = []
    for _ in range(25):
        start = time.perf_counter()
        best = top_k(matrix, need, today=TODAY, limit=20)
        timings.append(time.perf_counter() - start)
    by_id = {c.id: c for c in candidates}
    assert len(best) == 20
    assert all(fills_gap(by_id[i], need) and by_id[i].country != "LV" for i, _ in best)
    assert all(by_id[i].kind != "company" and by_id[i].country not in ("UA", "BY") for i, _ in best)
    # The strongest Latvian scores higher than some of these, yet ranks below all of them.
    latvian = max(
        (
            score(c, need, today=TODAY).total
            for c in candidates[:5000]
            if c.country == "LV" and c.kind != "company"
        ),
    )
    assert latvian > min(total for _, total in best)
    # The reference scorer agrees on a sample of the population.
    sample = candidates[:3000]
    reference = [(s.candidate_id, s.total) for s in rank(sample, need, today=TODAY, limit=20)]
    assert top_k(FeatureMatrix.from_candidates(sample), need, today=TODAY, limit=20) == reference
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(f"\ntop_k at {SIZE:,} organisations with a gap to fill: p95 {p95 * 1000:.1f} ms")
    # The 50 ms budget is checked by the benchmark on a quiet machine; here,
    # with other tests sharing two cores, twice that catches a real regression.
    assert p95 < 0.100
