import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from matching.ranking import CodeTable, FeatureMatrix, Vocabulary, components, top_k, totals
from matching.scoring import Candidate, Need, Weights, rank, score
from matching.text import vector

TODAY = date(2025, 3, 1)

KINDS = {
    "association": "ngo",
    "foundation": "ngo",
    "community-group": "ngo",
    "municipality": "public",
    "public-institution": "public",
    "school": "education",
    "university": "education",
    "social-enterprise": "private",
    "company": "private",
    "other": "other",
}
FIELDS = [
    "youth-work",
    "school-education",
    "adult-education",
    "sport",
    "culture-arts",
    "social-services",
]
THEMES = [
    "inclusion-diversity",
    "participation-democracy",
    "volunteering-solidarity",
    "capacity-building",
    "migrant-integration",
    "environment-climate",
    "non-formal-learning",
    "community-development",
]
GROUPS = [
    "young-people",
    "young-people-fewer-opportunities",
    "migrants-third-country-nationals",
    "seniors",
]
COUNTRIES = ["LV", "LT", "EE", "PL", "NO", "IS", "FI", "DE"]
LANGUAGES = ["en", "lv", "lt", "pl", "nb", "ru", "de"]
LEVELS = ["none", "some", "experienced"]
PROGRAMMES = ["erasmus-plus", "interreg", "european-solidarity-corps", "eea-norway-grants"]


def some(rng: random.Random, values, most: int) -> frozenset:
    return frozenset(rng.sample(values, rng.randint(0, most)))


WORDS = [f"w{i}" for i in range(60)]


def random_terms(rng: random.Random, most: int):
    """A text vector (text.vector) of random words, repeated words counting more."""
    return vector(rng.choices(WORDS, k=rng.randint(0, most)))


def random_candidate(rng: random.Random, candidate_id: int) -> Candidate:
    kind = rng.choice(list(KINDS))
    return Candidate(
        id=candidate_id,
        slug=f"org-{candidate_id}",
        name=f"Org {candidate_id}",
        kind=kind,
        sector=KINDS[kind],
        country=rng.choice(COUNTRIES),
        fields=some(rng, FIELDS, 3),
        themes=some(rng, THEMES, 5),
        target_groups=some(rng, GROUPS, 3),
        languages=some(rng, LANGUAGES, 3),
        experience=rng.choice(LEVELS),
        verified=rng.random() < 0.5,
        updated_on=TODAY - timedelta(days=rng.randint(-10, 900)),
        completeness=rng.choice([0.0, 1.0, 1.3, rng.random()]),
        terms=random_terms(rng, 30),
        past_themes=frozenset(
            code
            for theme in some(rng, THEMES, 4)
            for code in (f"|{theme}", f"{rng.choice(PROGRAMMES)}|{theme}")
        ),
        # Track record: (programme, past projects, first year); counts past the curve's cap too.
        past_programmes=frozenset(
            (code, rng.choice([1, 1, 2, 3, 20]), rng.randint(2014, 2024))
            for code in some(rng, PROGRAMMES, 3)
        ),
    )


def random_need(rng: random.Random, pool: list[Candidate]) -> Need:
    lead, *partners = rng.sample(pool, rng.randint(1, 4))
    members = [lead, *partners]
    need = Need(
        lead_id=lead.id,
        lead_experience=lead.experience,
        member_ids=frozenset(m.id for m in members),
        member_countries=frozenset(m.country for m in members),
        member_sectors=frozenset(m.sector for m in members),
        themes=some(rng, THEMES, 4),
        target_groups=some(rng, GROUPS, 3),
        fields_sought=some(rng, FIELDS, 2),
        kinds_sought=some(rng, list(KINDS), 2),
        countries_sought=some(rng, COUNTRIES, 3),
        language=rng.choice([None, *LANGUAGES]),
        terms=random_terms(rng, 20),
        eligible_countries=rng.choice([frozenset(), some(rng, COUNTRIES, 6)]),
        allowed_kinds=rng.choice([frozenset(), frozenset(), some(rng, list(KINDS), 6)]),
        countries_needed=rng.choice([0, 0, 1, 2]),
        required_countries=rng.choice([frozenset(), frozenset({"NO", "IS", "LI"})]),
        required_group_label="a donor state",
        programme=rng.choice(["", "xx-unknown", *PROGRAMMES]),
        lead_partners=frozenset(c.id for c in rng.sample(pool, rng.randint(0, 40))),
        member_partners=frozenset(c.id for c in rng.sample(pool, rng.randint(0, 40))),
    )
    # Some of the lead's partners shared several projects with it (and one pair
    # names an organisation that is not a partner: lead_partners decides).
    shared = [
        (pk, rng.randint(2, 12))
        for pk in rng.sample(sorted(need.lead_partners), len(need.lead_partners) // 2)
    ]
    return replace(need, lead_shared=frozenset([*shared, (pool[0].id, 5)]))


@pytest.fixture(scope="module")
def pool() -> list[Candidate]:
    rng = random.Random(20250301)
    return [
        random_candidate(rng, candidate_id) for candidate_id in rng.sample(range(1, 10_000), 300)
    ]


@pytest.fixture(scope="module")
def needs(pool) -> list[Need]:
    rng = random.Random(7)
    return [random_need(rng, pool) for _ in range(60)]


def reference(pool, need, *, limit, weights=None):
    kwargs = {"weights": weights} if weights else {}
    return [(s.candidate_id, s.total) for s in rank(pool, need, today=TODAY, limit=limit, **kwargs)]


@pytest.fixture(scope="module")
def full_rankings(pool, needs) -> list[list[tuple[int, float]]]:
    return [reference(pool, need, limit=len(pool)) for need in needs]


def test_totals_equal_scoring_for_every_candidate(pool, needs):
    matrix = FeatureMatrix.from_candidates(pool)
    for need in needs:
        vectorised = totals(matrix, need, today=TODAY)
        expected = [score(c, need, today=TODAY).total for c in pool]
        rows = [matrix.row(c.id) for c in pool]
        np.testing.assert_allclose(vectorised[rows], expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("limit", [1, 5, 20, 1000])
def test_top_k_equals_the_reference_ranking(pool, needs, full_rankings, limit):
    # Equal (id, total) pairs in equal order: the totals are bit-identical,
    # so ties are broken the same way in both rankers.
    matrix = FeatureMatrix.from_candidates(pool)
    for need, expected in zip(needs, full_rankings, strict=True):
        assert top_k(matrix, need, today=TODAY, limit=limit) == expected[:limit]


def test_top_k_honours_custom_weights(pool, needs):
    weights = Weights(
        goals=0.1,
        sector=0.1,
        country=0.1,
        target_groups=0.1,
        language=0.25,
        experience=0.2,
        trust=0.1,
        track_record=0.0,
        relevance=0.05,
    )
    matrix = FeatureMatrix.from_candidates(pool)
    for need in needs[:10]:
        got = top_k(matrix, need, today=TODAY, limit=10, weights=weights)
        assert got == reference(pool, need, limit=10, weights=weights)


#: Weights in which every component counts (the site's default may give any a small share).
TRACK_WEIGHTS = Weights(
    goals=0.2,
    sector=0.1,
    country=0.15,
    target_groups=0.05,
    language=0.05,
    experience=0.05,
    trust=0.05,
    track_record=0.2,
    relevance=0.15,
)


def test_every_component_is_bit_identical_to_the_pure_scorer(pool, needs):
    matrix = FeatureMatrix.from_candidates(pool)
    rows = [matrix.row(c.id) for c in pool]
    for need in needs:
        vectorised = components(matrix, need, today=TODAY)
        for c, row in zip(pool, rows, strict=True):
            for component in score(c, need, today=TODAY).components:
                value = np.broadcast_to(vectorised[component.name], (len(matrix),))[row]
                assert value == component.value, (component.name, c.id)


def test_totals_with_the_track_record_equal_scoring(pool, needs):
    matrix = FeatureMatrix.from_candidates(pool)
    rows = [matrix.row(c.id) for c in pool]
    for need in needs:
        vectorised = totals(matrix, need, today=TODAY, weights=TRACK_WEIGHTS)
        expected = [score(c, need, today=TODAY, weights=TRACK_WEIGHTS).total for c in pool]
        assert vectorised[rows].tolist() == expected
        assert top_k(matrix, need, today=TODAY, limit=20, weights=TRACK_WEIGHTS) == reference(
            pool, need, limit=20, weights=TRACK_WEIGHTS
        )


def test_top_k_applies_the_hard_filters(pool):
    lead, partner = pool[0], pool[1]
    need = Need(
        lead_id=lead.id,
        lead_experience="none",
        member_ids=frozenset({lead.id, partner.id}),
        eligible_countries=frozenset({"LV", "LT"}),
        allowed_kinds=frozenset({"association", "school"}),
    )
    found = top_k(FeatureMatrix.from_candidates(pool), need, today=TODAY, limit=len(pool))
    expected = {
        c.id
        for c in pool
        if c.id not in (lead.id, partner.id)
        and c.country in {"LV", "LT"}
        and c.kind in {"association", "school"}
    }
    assert expected, "the seeded pool must hold eligible organisations"
    assert {candidate_id for candidate_id, _ in found} == expected


def test_equal_totals_are_ordered_by_id_even_across_the_cut(pool):
    # Ten identical profiles tie; the cut at 4 must keep the four lowest ids.
    twin = pool[5]
    twins = [
        replace(twin, id=i, slug=f"twin-{i}") for i in (900, 12, 77, 5000, 3, 41, 8, 600, 250, 19)
    ]
    need = Need(lead_id=-1, lead_experience="some")
    got = top_k(FeatureMatrix.from_candidates(twins), need, today=TODAY, limit=4)
    assert [candidate_id for candidate_id, _ in got] == [3, 8, 12, 19]
    assert got == reference(twins, need, limit=4)


def test_limit_zero_empty_matrix_and_nobody_eligible(pool):
    need = Need(lead_id=-1, lead_experience="some", eligible_countries=frozenset({"XX"}))
    matrix = FeatureMatrix.from_candidates(pool)
    assert top_k(matrix, need, today=TODAY, limit=0) == []
    assert top_k(FeatureMatrix(), need, today=TODAY, limit=5) == []
    assert top_k(matrix, need, today=TODAY, limit=5) == []


def test_upsert_overwrites_known_ids_and_appends_new_ones(pool, needs):
    rng = random.Random(99)
    matrix = FeatureMatrix.from_candidates(pool[:200])
    changed = [replace(c, themes=frozenset(THEMES), verified=not c.verified) for c in pool[:50]]
    matrix.upsert(changed + pool[200:])
    current = changed + pool[50:]
    assert len(matrix) == len(current) == 300
    for need in rng.sample(needs, 15):
        assert top_k(matrix, need, today=TODAY, limit=15) == reference(current, need, limit=15)


def test_remove_drops_rows_and_keeps_the_rest_intact(pool, needs):
    matrix = FeatureMatrix.from_candidates(pool)
    gone = {c.id for c in pool[::3]}
    matrix.remove([*gone, -12345])  # an unknown id is ignored
    remaining = [c for c in pool if c.id not in gone]
    assert len(matrix) == len(remaining)
    assert all(candidate_id not in matrix for candidate_id in gone)
    for need in needs[:15]:
        assert top_k(matrix, need, today=TODAY, limit=len(pool)) == reference(
            remaining, need, limit=len(pool)
        )
    # Removed ids can come back.
    matrix.upsert(pool[:3])
    assert len(matrix) == len(remaining) + len({c.id for c in pool[:3]} & gone)


def test_a_vocabulary_beyond_64_codes_uses_more_mask_words():
    languages = [f"l{i:02d}" for i in range(70)]
    vocab = Vocabulary(languages=CodeTable(languages))
    base = Candidate(
        id=1, slug="a", name="A", kind="school", sector="education", country="LV", updated_on=TODAY
    )
    speaks_last = replace(base, id=2, languages=frozenset({"l69"}))
    speaks_first = replace(base, id=3, languages=frozenset({"l00"}))
    matrix = FeatureMatrix.from_candidates([base, speaks_last, speaks_first], vocab)
    assert matrix.column("languages").shape[0] == 2
    need = Need(lead_id=99, lead_experience="some", language="l69")
    assert top_k(matrix, need, today=TODAY, limit=1)[0][0] == 2
    assert top_k(matrix, need, today=TODAY, limit=3) == reference(
        [base, speaks_last, speaks_first], need, limit=3
    )


def test_new_codes_after_building_widen_the_masks():
    base = Candidate(
        id=1, slug="a", name="A", kind="school", sector="education", country="LV", updated_on=TODAY
    )
    matrix = FeatureMatrix.from_candidates([replace(base, themes=frozenset({"t0"}))])
    many = [replace(base, id=i + 2, themes=frozenset({f"t{i}", "t0"})) for i in range(100)]
    matrix.upsert(many)
    assert matrix.column("themes").shape[0] == 2
    need = Need(lead_id=99, lead_experience="some", themes=frozenset({"t0", "t99"}))
    everyone = [replace(base, themes=frozenset({"t0"})), *many]
    assert top_k(matrix, need, today=TODAY, limit=5) == reference(everyone, need, limit=5)
    assert top_k(matrix, need, today=TODAY, limit=1)[0][0] == 101


def test_codes_unknown_to_the_matrix_match_nobody(pool):
    need = Need(
        lead_id=-1, lead_experience="none", themes=frozenset({"not-a-theme"}), language="xx"
    )
    assert top_k(FeatureMatrix.from_candidates(pool), need, today=TODAY, limit=10) == reference(
        pool, need, limit=10
    )
