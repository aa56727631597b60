import math
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import translation

from matching import text
from matching.scoring import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    Candidate,
    Need,
    Weights,
    is_eligible,
    rank,
    score,
)

TODAY = date(2025, 3, 1)

LABELS = {
    "inclusion-diversity": "inclusion and diversity",
    "volunteering-solidarity": "volunteering",
    "participation-democracy": "participation",
    "environment-climate": "environment",
    "young-people": "young people",
    "youth-work": "youth work",
    "PL": "Poland",
    "LV": "Latvia",
    "NO": "Norway",
    "lv": "Latvian",
    "en": "English",
    "association": "association",
}


@pytest.fixture(autouse=True)
def english_reasons():
    # Under pytest-django the site's settings are live and reasons are
    # translated: pin English so the assertions read the source strings.
    if settings.configured:
        with translation.override("en"):
            yield
    else:
        yield


def candidate(**changes) -> Candidate:
    base = Candidate(
        id=10,
        slug="org",
        name="Org",
        kind="association",
        sector="ngo",
        country="PL",
        updated_on=TODAY,
    )
    return replace(base, **changes)


def need(**changes) -> Need:
    base = Need(lead_id=1, lead_experience="some", member_ids=frozenset({1}))
    return replace(base, **changes)


def component(cand: Candidate, nd: Need, name: str):
    return score(cand, nd, today=TODAY, labels=LABELS).component(name)


def words(*buckets: int) -> frozenset[int]:
    return frozenset(buckets)


# --- goals --------------------------------------------------------------------

FOUR_THEMES = frozenset(
    {
        "inclusion-diversity",
        "volunteering-solidarity",
        "participation-democracy",
        "environment-climate",
    }
)


@pytest.mark.parametrize(
    ("candidate_themes", "expected"),
    [
        (FOUR_THEMES, 1.0),
        (FOUR_THEMES - {"environment-climate"}, 0.75),
        ({"volunteering-solidarity"}, 0.25),
        ({"sport-physical-activity"}, 0.0),
        (frozenset(), 0.0),
    ],
)
def test_goals_is_the_share_of_the_idea_themes(candidate_themes, expected):
    value = component(
        candidate(themes=frozenset(candidate_themes)), need(themes=FOUR_THEMES), "goals"
    )
    assert value.value == pytest.approx(expected)


def test_goals_reason_names_the_shared_themes_by_label():
    reason = component(
        candidate(themes=FOUR_THEMES - {"environment-climate"}), need(themes=FOUR_THEMES), "goals"
    ).reason
    assert reason == "shares 3 of 4 themes: inclusion and diversity, participation, volunteering"


def test_goals_reason_uses_singular_for_one_theme_and_code_without_label():
    reason = component(
        candidate(themes=frozenset({"youth-policy"})),
        need(themes=frozenset({"youth-policy"})),
        "goals",
    ).reason
    assert reason == "shares 1 of 1 theme: youth-policy"


def test_goals_reason_when_no_theme_is_shared():
    reason = component(candidate(), need(themes=FOUR_THEMES), "goals").reason
    assert reason == "shares none of the idea's 4 themes"


def test_goals_without_themes_is_half_met_and_says_how_to_improve():
    result = component(candidate(), need(), "goals")
    assert result.value == 0.5
    assert result.reason == "add themes to the idea to rank by goals"


@pytest.mark.parametrize(
    ("theme_count", "expected"),
    [(4, 1.0), (6, 1.0), (8, 6 / 8), (12, 0.5), (17, 6 / 17)],
)
def test_a_profile_listing_many_themes_gets_less_credit_for_each(theme_count, expected):
    extra = [f"theme-{i}" for i in range(theme_count - len(FOUR_THEMES))]
    cand = candidate(themes=FOUR_THEMES | frozenset(extra))
    result = component(cand, need(themes=FOUR_THEMES), "goals")
    assert result.value == pytest.approx(expected)
    assert ("so each counts for less" in result.reason) is (theme_count > 6)


def test_the_focused_partner_beats_the_one_that_lists_everything():
    focused = candidate(id=2, themes=FOUR_THEMES - {"environment-climate"})
    generalist = candidate(id=3, themes=FOUR_THEMES | {f"theme-{i}" for i in range(8)})
    ranked = rank([generalist, focused], need(themes=FOUR_THEMES), today=TODAY, limit=2)
    assert [s.candidate_id for s in ranked] == [2, 3]


# --- relevance: what the two texts describe -----------------------------------

IDEA_TEXT = (
    "Youth exchange on volunteering",
    "Young volunteers from Liepāja and Klaipėda restore coastal dunes and learn about climate.",
)


def idea_need(corpus=None) -> Need:
    words = text.surface_words(*IDEA_TEXT)
    terms = text.vector(text.text_stems(*IDEA_TEXT), corpus)
    return need(terms=terms, term_words=tuple((t, words[t]) for t, _ in terms))


def profile(description: str, corpus=None) -> Candidate:
    return candidate(terms=text.vector(text.text_stems(description), corpus))


def test_relevance_grades_how_much_of_the_idea_a_profile_describes():
    close = profile("Volunteers restore dunes on the Liepaja coast; climate workshops for youth.")
    partly = profile("We run volunteering weekends for seniors in Riga.")
    unrelated = profile("Accounting software for municipalities.")
    values = [component(c, idea_need(), "relevance").value for c in (close, partly, unrelated)]
    assert values[0] > values[1] > values[2] == 0.0
    same = component(profile(" ".join(IDEA_TEXT)), idea_need(), "relevance").value
    assert same == pytest.approx(1.0, abs=1e-4)  # weights are rounded to 1/32768


def test_relevance_reason_names_the_top_shared_words_as_the_idea_writes_them():
    close = profile("Volunteers restore dunes on the Liepaja coast; climate workshops for youth.")
    reason = component(close, idea_need(), "relevance").reason
    # "volunteering" weighs most (twice in the idea); the words as the idea writes them.
    assert reason == "describes similar work: volunteering, climate, dunes"


def test_rare_words_count_more_than_common_ones():
    corpus = text.Corpus(
        [text.text_stems("youth work") for _ in range(50)] + [text.text_stems("coastal dunes")]
    )
    rare = profile("coastal dunes", corpus)
    common = profile("youth work", corpus)
    assert (
        component(rare, idea_need(corpus), "relevance").value
        > component(common, idea_need(corpus), "relevance").value
    )


@pytest.mark.parametrize(
    ("cand", "nd", "reason"),
    [
        (candidate(), need(), "add a summary to the idea to compare what partners describe"),
        (candidate(), None, "describes no work to compare: no description or past projects"),
        (profile("Accounting software."), None, "describes different work"),
    ],
)
def test_relevance_reason_when_there_is_nothing_to_compare(cand, nd, reason):
    result = component(cand, nd or idea_need(), "relevance")
    assert result.value == 0.0
    assert result.reason == reason


# --- sector -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "need_changes", "expected"),
    [
        # 0.4 × fields share + 0.4 × kind sought + 0.2 × complementary sector;
        # a part the idea does not state counts 0.5.
        (
            {"fields": frozenset({"youth-work"})},
            {
                "fields_sought": frozenset({"youth-work", "sport"}),
                "member_sectors": frozenset({"public"}),
            },
            0.4 * 0.5 + 0.4 * 0.5 + 0.2 * 0.5,  # no kinds sought: complement unstated
        ),
        (
            {"fields": frozenset({"youth-work"})},
            {
                "fields_sought": frozenset({"youth-work"}),
                "kinds_sought": frozenset({"association"}),
                "member_sectors": frozenset({"public"}),
            },
            1.0,
        ),
        (
            {},
            {"kinds_sought": frozenset({"association"}), "member_sectors": frozenset({"public"})},
            0.4 * 0.5 + 0.4 + 0.2,
        ),
        (
            {"kind": "school", "sector": "education"},
            {"kinds_sought": frozenset({"association"}), "member_sectors": frozenset({"public"})},
            0.4 * 0.5 + 0.2,
        ),
        # fields and kind met, but the consortium already has an NGO
        (
            {"fields": frozenset({"youth-work"})},
            {
                "fields_sought": frozenset({"youth-work"}),
                "kinds_sought": frozenset({"association"}),
                "member_sectors": frozenset({"ngo"}),
            },
            0.8,
        ),
        # nothing sought: complementarity is the lead's choice (issue 12), so every
        # sector gets the same half-met value and the lead's own is not penalised
        ({}, {"member_sectors": frozenset({"public"})}, 0.5),
        ({}, {"member_sectors": frozenset({"ngo"})}, 0.5),
        ({"kind": "company", "sector": "private"}, {"member_sectors": frozenset({"ngo"})}, 0.5),
    ],
)
def test_sector_rules(changes, need_changes, expected):
    assert component(candidate(**changes), need(**need_changes), "sector").value == pytest.approx(
        expected
    )


def test_sector_reason_explains_fields_kind_and_complement():
    reason = component(
        candidate(kind="municipality", sector="public", fields=frozenset({"youth-work"})),
        need(
            fields_sought=frozenset({"youth-work", "sport"}),
            kinds_sought=frozenset({"association"}),
            member_sectors=frozenset({"ngo"}),
        ),
        "sector",
    ).reason
    assert reason == (
        "works in 1 of 2 fields sought: youth work; not a kind sought: municipality; "
        "adds a public body to a consortium of NGOs"
    )


def test_sector_reason_when_nothing_is_sought():
    reason = component(candidate(), need(member_sectors=frozenset({"ngo"})), "sector").reason
    assert "same sector as someone already in the consortium" in reason
    assert "add the kinds or fields of partner you seek to rank by sector" in reason


# --- country ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "need_changes", "expected"),
    [
        # required group 1.0, sought 0.7 (0.35 when no country is sought),
        # a new country 0.3 if the call still needs one else 0.1; capped at 1
        ("NO", {"required_countries": frozenset({"NO", "IS", "LI"})}, 1.0),
        ("PL", {"countries_sought": frozenset({"PL"}), "countries_needed": 1}, 1.0),
        ("PL", {"countries_sought": frozenset({"PL"})}, 0.7 + 0.1),
        ("PL", {"countries_sought": frozenset({"PL"}), "member_countries": frozenset({"PL"})}, 0.7),
        ("EE", {"countries_sought": frozenset({"PL"}), "countries_needed": 1}, 0.3),
        ("EE", {"countries_sought": frozenset({"PL"})}, 0.1),
        ("LV", {"countries_sought": frozenset({"PL"}), "member_countries": frozenset({"LV"})}, 0.0),
        ("LV", {"member_countries": frozenset({"LV"}), "countries_needed": 2}, 0.35),
        ("LT", {"member_countries": frozenset({"LV"})}, 0.35 + 0.1),
        (
            "LT",
            {
                "required_countries": frozenset({"NO", "IS", "LI"}),
                "member_countries": frozenset({"LV"}),
                "countries_needed": 1,
            },
            0.35 + 0.3,
        ),
    ],
)
def test_country_rules(country, need_changes, expected):
    value = component(candidate(country=country), need(**need_changes), "country").value
    assert value == pytest.approx(expected)


def test_country_reason_for_a_country_the_call_still_needs():
    reason = component(
        candidate(country="PL"),
        need(
            countries_sought=frozenset({"PL"}),
            member_countries=frozenset({"LV"}),
            countries_needed=1,
            fill_others=True,
            fill_excluded=frozenset({"LV"}),
        ),
        "country",
    ).reason
    assert reason == "from Poland, a country you seek and one the call still needs"


def test_country_reason_for_the_required_group():
    reason = component(
        candidate(country="NO"),
        need(
            required_countries=frozenset({"NO", "IS", "LI"}),
            required_group_label="a donor state",
            fill_countries=frozenset({"NO", "IS", "LI"}),
        ),
        "country",
    ).reason
    assert reason.startswith("from Norway: a partner from a donor state, which the call requires")


def test_country_reason_for_a_country_not_sought():
    reason = component(
        candidate(country="LV"),
        need(countries_sought=frozenset({"PL"}), member_countries=frozenset({"LV"})),
        "country",
    ).reason
    assert reason == "from Latvia: already in the consortium, and not a country you seek"


# --- target groups ------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"young-people", "seniors", "migrants-third-country-nationals"}, 1.0),
        ({"young-people", "seniors"}, 2 / 3),
        ({"children"}, 0.0),
        (set(), 0.0),
    ],
)
def test_target_groups_is_the_share_of_the_idea_groups(groups, expected):
    nd = need(
        target_groups=frozenset({"young-people", "seniors", "migrants-third-country-nationals"})
    )
    value = component(candidate(target_groups=frozenset(groups)), nd, "target_groups").value
    assert value == pytest.approx(expected)


def test_target_groups_reasons():
    nd = need(target_groups=frozenset({"young-people", "seniors"}))
    shared = component(candidate(target_groups=frozenset({"young-people"})), nd, "target_groups")
    assert shared.reason == "works with 1 of 2 target groups: young people"
    empty = component(candidate(target_groups=frozenset({"young-people"})), need(), "target_groups")
    assert (empty.value, empty.reason) == (0.5, "add target groups to the idea to rank by them")


# --- language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("idea_language", "languages", "expected", "reason"),
    [
        ("lv", {"lv", "ru"}, 1.0, "works in Latvian, the idea's language"),
        ("lv", {"en", "pl"}, 0.5, "works in English, not in Latvian"),
        ("lv", {"pl"}, 0.0, "no common working language: works in pl"),
        ("lv", set(), 0.0, "lists no working languages"),
        ("en", {"en"}, 1.0, "works in English, the idea's language"),
        (None, {"en", "pl"}, 1.0, "works in English, the usual common language"),
        (None, {"lv"}, 0.0, "does not list English; set the idea's working language to compare"),
    ],
)
def test_language_rules(idea_language, languages, expected, reason):
    result = component(
        candidate(languages=frozenset(languages)), need(language=idea_language), "language"
    )
    assert (result.value, result.reason) == (expected, reason)


# --- experience ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "partner", "expected"),
    [
        ("none", "experienced", 1.0),
        ("none", "some", 0.7),
        ("none", "none", 0.3),
        ("some", "experienced", 0.8),
        ("some", "some", 0.5),
        ("some", "none", 0.6),
        ("experienced", "none", 0.8),
        ("experienced", "some", 0.7),
        ("experienced", "experienced", 0.5),
    ],
)
def test_experience_table(lead, partner, expected):
    result = component(candidate(experience=partner), need(lead_experience=lead), "experience")
    assert result.value == expected
    assert result.reason


def test_experience_favours_mixing_levels():
    def value(lead, partner):
        return component(
            candidate(experience=partner), need(lead_experience=lead), "experience"
        ).value

    assert value("none", "experienced") > value("none", "some") > value("none", "none")
    assert value("experienced", "none") > value("experienced", "experienced")
    assert component(
        candidate(experience="experienced"), need(lead_experience="none"), "experience"
    ).reason == ("an experienced partner to guide a lead new to international projects")


def test_unknown_experience_level_is_rejected():
    with pytest.raises(ValueError, match="experience"):
        candidate(experience="expert")
    with pytest.raises(ValueError, match="experience"):
        need(lead_experience="")


# --- trust --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verified", "age_days", "completeness", "expected"),
    [
        (True, 0, 1.0, 1.0),
        (False, 0, 1.0, 0.6),
        (True, 365, 0.5, 0.4 + 0.3 * 0.5 + 0.3 * 0.5),
        (True, 730, 1.0, 0.7),  # stale: freshness has run out
        (True, 2000, 1.0, 0.7),
        (False, -3, 0.0, 0.3),  # a date in the future counts as today
        (False, 0, 1.7, 0.6),  # completeness is clamped to 0..1
    ],
)
def test_trust_rules(verified, age_days, completeness, expected):
    cand = candidate(
        verified=verified, updated_on=TODAY - timedelta(days=age_days), completeness=completeness
    )
    assert component(cand, need(), "trust").value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("verified", "age_days", "reason"),
    [
        (True, 10, "verified by staff, updated in the last month, profile 80% complete"),
        (False, 31, "not verified yet, updated 1 month ago, profile 80% complete"),
        (False, 200, "not verified yet, updated 6 months ago, profile 80% complete"),
        (False, 800, "not verified yet, not updated for two years or more, profile 80% complete"),
    ],
)
def test_trust_reason(verified, age_days, reason):
    cand = candidate(
        verified=verified, updated_on=TODAY - timedelta(days=age_days), completeness=0.8
    )
    assert component(cand, need(), "trust").reason == reason


# --- hard filters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "need_changes", "eligible"),
    [
        ({}, {}, True),
        ({"id": 1}, {}, False),  # the lead
        ({}, {"member_ids": frozenset({1, 10})}, False),  # already a partner
        ({}, {"eligible_countries": frozenset({"LV", "LT"})}, False),
        ({"country": "LT"}, {"eligible_countries": frozenset({"LV", "LT"})}, True),
        ({}, {"allowed_kinds": frozenset({"school"})}, False),
        ({"kind": "school"}, {"allowed_kinds": frozenset({"school"})}, True),
    ],
)
def test_hard_filters(changes, need_changes, eligible):
    assert is_eligible(candidate(**changes), need(**need_changes)) is eligible


def test_rank_leaves_out_ineligible_candidates():
    nd = need(member_ids=frozenset({1, 11}), eligible_countries=frozenset({"PL", "LT"}))
    pool = [candidate(id=1), candidate(id=11), candidate(id=12, country="DE"), candidate(id=13)]
    assert [s.candidate_id for s in rank(pool, nd, today=TODAY, limit=10)] == [13]


# --- totals, weights, ranking -------------------------------------------------


def test_default_weights_cover_every_component_and_sum_to_one():
    assert [name for name, _ in DEFAULT_WEIGHTS.items()] == list(COMPONENTS)
    assert math.isclose(sum(weight for _, weight in DEFAULT_WEIGHTS.items()), 1.0)


@pytest.mark.parametrize("weights", [{"goals": 0.5}, {"trust": -0.1, "goals": 0.5}])
def test_weights_that_do_not_sum_to_one_are_rejected(weights):
    with pytest.raises(ValueError, match="sum to 1"):
        Weights(**weights)


def test_total_is_the_weighted_sum_of_components():
    nd = need(themes=FOUR_THEMES, countries_sought=frozenset({"PL"}), language="lv")
    cand = candidate(themes=FOUR_THEMES, languages=frozenset({"en"}), experience="experienced")
    result = score(cand, nd, today=TODAY)
    values = {c.name: c.value for c in result.components}
    assert [c.name for c in result.components] == list(COMPONENTS)
    assert all(0.0 <= v <= 1.0 for v in values.values())
    assert result.total == pytest.approx(
        sum(getattr(DEFAULT_WEIGHTS, n) * v for n, v in values.items())
    )
    assert result.percent == round(result.total * 100)
    assert len(result.reasons) == len(COMPONENTS)


def test_weights_change_the_order():
    nd = need(
        themes=FOUR_THEMES, countries_sought=frozenset({"NO"}), member_countries=frozenset({"LV"})
    )
    on_theme = candidate(id=20, country="LV", themes=FOUR_THEMES)
    right_country = candidate(id=21, country="NO")
    goals_heavy = Weights(
        goals=0.7,
        sector=0.05,
        country=0.05,
        target_groups=0.05,
        language=0.05,
        experience=0.05,
        trust=0.05,
        track_record=0.0,
        relevance=0.0,
    )
    country_heavy = Weights(
        goals=0.05,
        sector=0.05,
        country=0.7,
        target_groups=0.05,
        language=0.05,
        experience=0.05,
        trust=0.05,
        track_record=0.0,
        relevance=0.0,
    )
    pool = [on_theme, right_country]
    assert rank(pool, nd, today=TODAY, limit=1, weights=goals_heavy)[0].candidate_id == 20
    assert rank(pool, nd, today=TODAY, limit=1, weights=country_heavy)[0].candidate_id == 21


@pytest.mark.parametrize("name", ["goals", "target_groups", "sector", "country"])
def test_an_unstated_criterion_neither_helps_nor_hurts_anyone(name):
    # Different profiles, same consortium relation (both NGOs, both new countries).
    rich = candidate(
        id=2,
        country="PL",
        themes=FOUR_THEMES,
        target_groups=frozenset({"young-people"}),
        fields=frozenset({"youth-work"}),
    )
    bare = candidate(id=3, country="EE")
    nd = need(member_countries=frozenset({"LV"}), member_sectors=frozenset({"public"}))
    assert component(rich, nd, name).value == component(bare, nd, name).value


def test_an_empty_idea_still_scores_and_says_what_to_add():
    result = score(
        candidate(languages=frozenset({"en"})), Need(lead_id=1, lead_experience="none"), today=TODAY
    )
    assert 0.0 < result.total < 1.0
    text = " | ".join(result.reasons)
    for hint in (
        "add themes to the idea",
        "add the kinds or fields of partner you seek",
        "add the countries you seek",
        "add target groups to the idea",
    ):
        assert hint in text


def test_equal_totals_are_ordered_by_id_and_limited():
    twins = [candidate(id=i, slug=f"org-{i}") for i in (42, 7, 19, 3)]
    ranked = rank(twins, need(), today=TODAY, limit=3)
    assert [s.candidate_id for s in ranked] == [3, 7, 19]
    assert len({s.total for s in ranked}) == 1


def test_better_candidates_rank_first():
    nd = need(themes=FOUR_THEMES, countries_sought=frozenset({"PL"}))
    weak = candidate(id=2)
    strong = candidate(id=3, themes=FOUR_THEMES, verified=True)
    assert [s.candidate_id for s in rank([weak, strong], nd, today=TODAY, limit=5)] == [3, 2]
