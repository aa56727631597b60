"""The pruned ranking (``ranking._pruned``) returns exactly the full ranking's top."""

import random
from dataclasses import replace

import numpy as np
import pytest

from matching import ranking, scoring
from matching.ranking import FeatureMatrix, Rows, top_k
from tests.matching.test_ranking import (
    COUNTRIES,
    TODAY,
    TRACK_WEIGHTS,
    random_candidate,
    random_need,
    reference,
)


@pytest.fixture(scope="module")
def pool():
    rng = random.Random(11)
    return [random_candidate(rng, pk) for pk in rng.sample(range(1, 100_000), 4_000)]


@pytest.fixture(scope="module")
def needs(pool):
    rng = random.Random(12)
    found = []
    for i in range(40):
        need = random_need(rng, pool)
        if i % 3 == 0:  # a call that still needs countries: fillers rank first
            need = replace(
                need,
                fill_countries=frozenset(rng.sample(COUNTRIES, 2)),
                fill_others=rng.random() < 0.3,
                fill_excluded=frozenset(rng.sample(COUNTRIES, 1)),
            )
        if i % 4 == 1:  # nobody from the lead's history: only the bounds decide
            need = replace(need, lead_partners=frozenset(), member_partners=frozenset())
        found.append(need)
    return found


@pytest.fixture
def prune_all(monkeypatch):
    """Prune from the first row on, with a small first batch so the bar matters."""
    monkeypatch.setattr(ranking, "PRUNE_FROM", 0)
    monkeypatch.setattr(ranking, "_FIRST_ROWS", 50)


def full(matrix, need, limit, weights=scoring.DEFAULT_WEIGHTS):
    """Every row scored (no pruning)."""
    ids, totals, _first = ranking._best(Rows(matrix, need, TODAY), weights, limit)
    return list(zip(ids.tolist(), totals.tolist(), strict=True))


@pytest.mark.parametrize("weights", [scoring.DEFAULT_WEIGHTS, TRACK_WEIGHTS])
def test_the_pruned_top_20_is_the_full_ranking(pool, needs, prune_all, weights):
    matrix = FeatureMatrix.from_candidates(pool)
    for need in needs:
        got = top_k(matrix, need, today=TODAY, limit=20, weights=weights)
        assert got == full(matrix, need, 20, weights)
        assert len(got) == 20 or len(got) == len(full(matrix, need, len(pool), weights))


def test_the_pruned_top_is_the_reference_ranking(pool, needs, prune_all):
    matrix = FeatureMatrix.from_candidates(pool)
    for need in needs[:3]:
        assert top_k(matrix, need, today=TODAY, limit=20) == reference(pool, need, limit=20)


def test_rows_written_after_the_bounds_are_scored(pool, needs, prune_all):
    matrix = FeatureMatrix.from_candidates(pool)
    top_k(matrix, needs[0], today=TODAY, limit=20)  # computes the bounds
    rng = random.Random(13)
    # The best rows of one need become perfect for another, some rows go.
    changed = [
        replace(c, themes=needs[1].themes, fields=needs[1].fields_sought, verified=True)
        for c in rng.sample(pool, 30)
    ]
    matrix.upsert(changed)
    matrix.remove([c.id for c in rng.sample(pool, 30)])
    fresh = FeatureMatrix.from_candidates(
        [c for c in {c.id: c for c in [*pool, *changed]}.values() if c.id in matrix]
    )
    for need in needs:
        assert top_k(matrix, need, today=TODAY, limit=20) == full(fresh, need, 20)


@pytest.mark.parametrize("weights", [scoring.DEFAULT_WEIGHTS, TRACK_WEIGHTS])
def test_the_bound_holds_for_every_row_and_need(pool, needs, weights):
    matrix = FeatureMatrix.from_candidates(pool)
    order = ranking._Order(matrix)
    for need in needs:
        bound = order.keys(need, TODAY, weights)
        view = Rows(matrix, need, TODAY)
        key = ranking.totals(matrix, need, today=TODAY, weights=weights)
        key = key + 2.0 * scoring.filling(view)
        ok = scoring.eligible(view) & ~np.isin(
            matrix.ids, list(need.lead_partners | need.member_partners)
        )
        assert (key[ok] <= bound[ok] + ranking._MARGIN).all()
        # A row the bound excludes is one the hard filters exclude.
        assert not (scoring.eligible(view) & (bound == -np.inf)).any()
        # And it is a bound worth having: below the best key for most rows.
        assert (bound < key[ok].max()).mean() > 0.5
