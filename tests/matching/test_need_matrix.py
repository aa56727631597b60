"""NeedMatrix: one candidate against many needs gives exactly scoring.score's totals and order."""

import random
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from matching.need_matrix import NeedMatrix, eligible, top_k, totals
from matching.scoring import Need, Weights, is_eligible, score
from tests.matching.test_ranking import TODAY, random_candidate, random_need


@pytest.fixture(scope="module")
def pool():
    rng = random.Random(20251124)
    return [random_candidate(rng, pk) for pk in rng.sample(range(1, 10_000), 200)]


@pytest.fixture(scope="module")
def needs(pool):
    rng = random.Random(11)
    found = [random_need(rng, pool) for _ in range(400)]
    # Edge cases: an idea that states nothing, and one in a language nobody lists.
    found.append(Need(lead_id=pool[0].id, lead_experience="experienced"))
    found.append(replace(found[3], language="xx", themes=frozenset({"not-a-theme"})))
    return found


@pytest.fixture(scope="module")
def ids(needs):
    return random.Random(5).sample(range(1, 100_000), len(needs))


@pytest.fixture(scope="module")
def matrix(ids, needs):
    return NeedMatrix(ids, needs)


def reference(candidate, ids, needs, *, limit, weights=None, today=TODAY):
    kwargs = {"weights": weights} if weights else {}
    scored = [
        (pk, score(candidate, need, today=today, **kwargs).total)
        for pk, need in zip(ids, needs, strict=True)
        if is_eligible(candidate, need)
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


def test_totals_are_bit_identical_to_scoring(pool, needs, matrix):
    for candidate in pool[:25]:
        expected = np.array([score(candidate, need, today=TODAY).total for need in needs])
        got = totals(matrix, candidate, today=TODAY)
        assert np.array_equal(got, expected), candidate.id


def test_totals_with_the_track_record_are_bit_identical(pool, needs, matrix):
    from tests.matching.test_ranking import TRACK_WEIGHTS

    for candidate in pool[:25]:
        expected = np.array(
            [score(candidate, need, today=TODAY, weights=TRACK_WEIGHTS).total for need in needs]
        )
        got = totals(matrix, candidate, today=TODAY, weights=TRACK_WEIGHTS)
        assert np.array_equal(got, expected), candidate.id


def test_hard_filters_equal_is_eligible(pool, needs, matrix):
    for candidate in pool:
        expected = [is_eligible(candidate, need) for need in needs]
        assert eligible(matrix, candidate).tolist() == expected


@pytest.mark.parametrize("limit", [1, 5, 20, 1000])
def test_top_k_equals_the_reference_order(pool, ids, needs, matrix, limit):
    for candidate in pool[::10]:
        assert top_k(matrix, candidate, today=TODAY, limit=limit) == reference(
            candidate, ids, needs, limit=limit
        )


def test_custom_weights_and_another_day(pool, ids, needs, matrix):
    weights = Weights(goals=0.1, sector=0.1, country=0.1, target_groups=0.1, language=0.25,
                      experience=0.2, trust=0.1, track_record=0.0, relevance=0.05)  # fmt: skip
    later = TODAY + timedelta(days=400)
    for candidate in pool[:30]:
        assert top_k(matrix, candidate, today=later, limit=10, weights=weights) == reference(
            candidate, ids, needs, limit=10, weights=weights, today=later
        )


def test_equal_totals_are_ordered_by_id_across_the_cut(pool):
    need = Need(lead_id=-1, lead_experience="some")
    twins = NeedMatrix([900, 12, 77, 5000, 3, 41, 8, 600], [need] * 8)
    got = top_k(twins, pool[0], today=TODAY, limit=4)
    assert [pk for pk, _ in got] == [3, 8, 12, 41]


def test_closing_dates_and_masks_leave_needs_out(pool):
    need = Need(lead_id=-1, lead_experience="some")
    dated = NeedMatrix([1, 2, 3], [need] * 3, closes_on=[TODAY - timedelta(days=1), TODAY, TODAY])
    assert [pk for pk, _ in top_k(dated, pool[0], today=TODAY, limit=5)] == [2, 3]
    mask = np.array([True, True, False])
    assert [pk for pk, _ in top_k(dated, pool[0], today=TODAY, limit=5, mask=mask)] == [2]


def test_lead_and_members_never_see_their_own_needs(pool):
    lead, member, other = pool[:3]
    need = Need(lead_id=lead.id, lead_experience="none", member_ids=frozenset({member.id}))
    matrix = NeedMatrix([7], [need])
    assert top_k(matrix, lead, today=TODAY, limit=5) == []
    assert top_k(matrix, member, today=TODAY, limit=5) == []
    assert [pk for pk, _ in top_k(matrix, other, today=TODAY, limit=5)] == [7]


def test_empty_matrix_and_zero_limit(pool):
    assert top_k(NeedMatrix([], []), pool[0], today=TODAY, limit=5) == []
    matrix = NeedMatrix([1], [Need(lead_id=-1, lead_experience="some")])
    assert top_k(matrix, pool[0], today=TODAY, limit=0) == []


def test_updated_ranks_as_a_matrix_built_from_scratch(pool, ids, needs):
    rng = random.Random(3)
    closes = [TODAY + timedelta(days=rng.randint(-5, 30)) for _ in needs]
    start = NeedMatrix(ids[:300], needs[:300], closes[:300])
    # Drop some, replace some (new needs under old ids), append the rest.
    removed = set(rng.sample(ids[:300], 40))
    replaced = rng.sample([pk for pk in ids[:300] if pk not in removed], 30)
    new_needs = [random_need(rng, pool) for _ in replaced]
    current = {pk: (need, day) for pk, need, day in zip(ids, needs, closes, strict=True)}
    for pk in removed:
        del current[pk]
    for pk, need in zip(replaced, new_needs, strict=True):
        current[pk] = (need, current[pk][1])
    appended = list(zip(ids[300:], needs[300:], closes[300:], strict=True))
    appended += [(pk, need, current[pk][1]) for pk, need in zip(replaced, new_needs, strict=True)]
    got = start.updated(removed, [a[0] for a in appended], [a[1] for a in appended],
                        [a[2] for a in appended])  # fmt: skip
    fresh = NeedMatrix(list(current), [v[0] for v in current.values()],
                       [v[1] for v in current.values()])  # fmt: skip
    assert len(got) == len(fresh) == len(current)
    for candidate in pool[::7]:
        for limit in (5, 1000):
            assert top_k(got, candidate, today=TODAY, limit=limit) == top_k(
                fresh, candidate, today=TODAY, limit=limit
            )
    # And again on the result: updates compose.
    again = got.updated([ids[-1]], [], [])
    assert ids[-1] not in again.ids.tolist() and len(again) == len(got) - 1
