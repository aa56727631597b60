"""Complementary organisations speak of a profile, never of an idea, a lead or a call."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from matching.scoring import Candidate, Need, score

TODAY = date(2026, 11, 24)
LABELS = {"youth-work": "youth work", "inclusion-diversity": "inclusion", "PL": "Poland"}
IDEA_WORDS = ("idea", "lead", "call", "consortium")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def profile_need(**changes) -> Need:
    need = Need(
        lead_id=1,
        lead_experience="none",
        member_ids=frozenset({1}),
        member_countries=frozenset({"LV"}),
        member_sectors=frozenset({"public"}),
        themes=frozenset({"inclusion-diversity", "sport-physical-activity"}),
        target_groups=frozenset({"young-people"}),
        fields_sought=frozenset({"youth-work"}),
        kinds_sought=frozenset({"association"}),
        countries_needed=1,
        about="profile",
    )
    return replace(need, **changes)


def partner(**changes) -> Candidate:
    base = Candidate(
        id=2,
        slug="p",
        name="P",
        kind="association",
        sector="ngo",
        country="PL",
        themes=frozenset({"inclusion-diversity"}),
        target_groups=frozenset({"young-people"}),
        fields=frozenset({"youth-work"}),
        languages=frozenset({"en"}),
        experience="experienced",
        updated_on=TODAY,
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("need", "candidate"),
    [
        (profile_need(), partner()),
        (profile_need(), partner(country="LV", sector="public", kind="municipality")),
        (
            profile_need(themes=frozenset(), target_groups=frozenset(), fields_sought=frozenset()),
            partner(),
        ),
        (
            profile_need(lead_experience="experienced"),
            partner(experience="none", themes=frozenset()),
        ),
    ],
)
def test_profile_reasons_never_mention_an_idea_lead_or_call(need, candidate):
    reasons = " ".join(score(candidate, need, today=TODAY, labels=LABELS).reasons).lower()
    for word in IDEA_WORDS:
        assert word not in reasons.split() and f"{word}'s" not in reasons, (word, reasons)


def test_profile_reasons_say_what_complements():
    reasons = score(partner(), profile_need(), today=TODAY, labels=LABELS).reasons
    assert "shares 1 of this profile's 2 themes: inclusion" in reasons[0]
    assert "also works in youth work" in reasons[1]
    assert "an NGO: a sector this organisation does not cover" in reasons[1]
    assert "from Poland: another country" in reasons[2]
    assert "an experienced partner for a first international project" in reasons


def test_profile_with_nothing_to_compare_says_so():
    need = profile_need(themes=frozenset(), target_groups=frozenset(), fields_sought=frozenset())
    reasons = score(partner(), need, today=TODAY, labels=LABELS).reasons
    assert "this profile lists no themes to compare" in reasons[0]
    assert "this profile lists no fields of activity to compare" in reasons[1]
    assert "this profile lists no target groups to compare" in reasons[3]


def test_profile_and_idea_wording_give_the_same_score():
    idea_need = replace(profile_need(), about="idea")
    assert (
        score(partner(), profile_need(), today=TODAY).total
        == score(partner(), idea_need, today=TODAY).total
    )


def test_unknown_need_subject_is_refused():
    with pytest.raises(ValueError, match="unknown need subject"):
        profile_need(about="dream")
