"""The track record component: values and reasons, verbatim (issue 12)."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from matching.scoring import (
    EXPERIENCE_CAP,
    TRACK_ANY,
    TRACK_LEAD,
    TRACK_MEMBER,
    TRACK_PROGRAMME,
    TRACK_THEMES,
    Candidate,
    Need,
    programme_experience,
    score,
)

TODAY = date(2026, 12, 1)


def candidate(**changes) -> Candidate:
    values = {
        "id": 7,
        "slug": "klaipeda-volunteers",
        "name": "Klaipėda Volunteers",
        "kind": "association",
        "sector": "ngo",
        "country": "LT",
        "updated_on": TODAY,
    }
    values.update(changes)
    return Candidate(**values)


def need(**changes) -> Need:
    values = {"lead_id": 1, "lead_experience": "some", "member_ids": frozenset({1, 2})}
    values.update(changes)
    return Need(**values)


def track(c: Candidate, n: Need, labels=None):
    return score(c, n, today=TODAY, labels=labels).component("track_record")


LABELS = {"erasmus-plus": "Erasmus+", "interreg": "Interreg"}


def test_worked_with_you_names_the_project():
    n = need(
        programme="erasmus-plus",
        lead_partners=frozenset({7}),
        lead_projects=((7, "Volunteers on the border", "erasmus-plus", 2021),),
    )
    c = candidate(past_programmes=frozenset({("erasmus-plus", 2, 2019)}))
    result = track(c, n, LABELS)
    assert result.reason == (
        "worked with you on Volunteers on the border (Erasmus+, 2021); "
        "partner in 2 Erasmus+ projects since 2019"
    )
    assert result.value == pytest.approx(
        TRACK_LEAD * programme_experience(1)
        + TRACK_PROGRAMME * programme_experience(2)
        + TRACK_ANY * programme_experience(2)
    )


def test_more_projects_with_the_lead_count_more():
    once = need(lead_partners=frozenset({7}))
    three_times = need(lead_partners=frozenset({7}), lead_shared=frozenset({(7, 3)}))
    assert track(candidate(), once).value == pytest.approx(TRACK_LEAD * programme_experience(1))
    assert track(candidate(), three_times).value == pytest.approx(
        TRACK_LEAD * programme_experience(3)
    )
    assert track(candidate(), three_times).reason == "worked with you on 3 projects"


def test_a_closest_partner_ranks_above_an_occasional_one():
    """A lead's partner of 70 projects is not level with one of 12 (the old curve's cap)."""
    n = need(lead_partners=frozenset({7, 8}), lead_shared=frozenset({(7, 70), (8, 12)}))
    assert track(candidate(), n).value > track(candidate(id=8), n).value


def test_worked_with_you_counts_the_projects_and_names_the_latest():
    n = need(
        programme="erasmus-plus",
        lead_partners=frozenset({7}),
        lead_shared=frozenset({(7, 4)}),
        lead_projects=((7, "Volunteers on the border", "erasmus-plus", 2021),),
    )
    assert track(candidate(), n, LABELS).reason == (
        "worked with you on 4 projects, the latest Volunteers on the border (Erasmus+, 2021)"
    )
    with translation.override("lv"):
        assert track(candidate(), n, LABELS).reason == (
            "strādāja ar jums 4 projektos, pēdējais — Volunteers on the border (Erasmus+, 2021)"
        )
    with translation.override("lt"):
        assert track(candidate(), n, LABELS).reason == (
            "bendrų projektų su jumis: 4, paskutinis — Volunteers on the border (Erasmus+, 2021)"
        )


def test_worked_with_a_member_of_your_consortium():
    result = track(candidate(), need(member_partners=frozenset({7})))
    assert result.reason == "worked with a member of your consortium"
    assert result.value == pytest.approx(TRACK_MEMBER)


def test_partner_in_one_programme_project():
    c = candidate(past_programmes=frozenset({("interreg", 1, 2018), ("erasmus-plus", 3, 2015)}))
    result = track(c, need(programme="interreg"), LABELS)
    assert result.reason == "partner in 1 Interreg project since 2018"
    assert result.value == pytest.approx(
        TRACK_PROGRAMME * programme_experience(1) + TRACK_ANY * programme_experience(4)
    )


def test_without_a_programme_all_past_projects_count():
    c = candidate(past_programmes=frozenset({("interreg", 1, 2018), ("erasmus-plus", 3, 2015)}))
    result = track(c, need())
    assert result.reason == "took part in 4 past projects since 2015"
    assert result.value == pytest.approx((TRACK_PROGRAMME + TRACK_ANY) * programme_experience(4))


def test_a_newcomer_scores_zero_here_and_is_told_so():
    result = track(candidate(), need(programme="erasmus-plus"))
    assert (result.value, result.reason) == (0.0, "no past projects recorded yet")


def test_experience_curve_counts_the_first_project_most():
    values = [programme_experience(n) for n in range(6)]
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    assert values[0] == 0.0
    assert all(later < earlier for earlier, later in zip(steps, steps[1:], strict=False))
    assert steps[-1] > 0
    assert programme_experience(EXPERIENCE_CAP) == 1.0
    assert programme_experience(10 * EXPERIENCE_CAP) == 1.0


def test_a_newcomer_with_a_good_profile_can_beat_a_weak_veteran():
    """The default weights leave room for newcomers: track record is at most its weight."""
    veteran = candidate(id=8, past_programmes=frozenset({("erasmus-plus", 5, 2015)}))
    newcomer = candidate(
        id=9,
        themes=frozenset({"volunteering-solidarity"}),
        languages=frozenset({"en"}),
        verified=True,
        completeness=1.0,
    )
    n = need(
        programme="erasmus-plus",
        themes=frozenset({"volunteering-solidarity"}),
        countries_sought=frozenset({"LT"}),
    )
    new_total = score(newcomer, n, today=TODAY).total
    old_total = score(veteran, n, today=TODAY).total
    assert new_total > old_total, (new_total, old_total)


# --- On the site: past projects reach the suggestions (database) ---------------------------


@pytest.fixture
def idea(db):
    from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory

    lead = OrganisationFactory(slug="lead", country="LV")
    return ProjectIdeaFactory(lead=lead, call=CallFactory(), themes=["volunteering-solidarity"])


def _past_project(title, year, *organisations, programme="erasmus-plus"):
    from organisations.taxonomy import Programme
    from projects.models import PastParticipation, PastProject

    project = PastProject.objects.create(
        programme=Programme.objects.get(code=programme), year=year, title=title, source="import"
    )
    for i, organisation in enumerate(organisations):
        PastParticipation.objects.create(
            past_project=project,
            organisation=organisation,
            role="coordinator" if i == 0 else "partner",
        )
    return project


def _suggest(idea):
    from matching import services
    from matching.features import idea_queryset

    return services.suggest_partners(idea=idea_queryset().get(pk=idea.pk), limit=10)


def test_suggestions_say_who_worked_with_the_lead_and_the_cache_follows(idea):
    from tests.factories import OrganisationFactory

    known = OrganisationFactory(slug="known", country="LT")
    OrganisationFactory(slug="stranger", country="LT")
    before = {s.slug: s for s in _suggest(idea)}  # warms the cache
    assert before["known"].components["track_record"] == 0
    assert "no past projects recorded yet" in before["known"].reasons
    _past_project("Volunteers on the border", 2021, idea.lead, known)
    after = {s.slug: s for s in _suggest(idea)}
    assert (
        "worked with you on Volunteers on the border (Erasmus+, 2021); "
        "partner in 1 Erasmus+ project since 2021"
    ) in after["known"].reasons
    assert after["known"].components["track_record"] > 0
    assert list(after)[0] == "known"
    assert after["stranger"].components["track_record"] == 0


def test_ideas_for_an_organisation_see_its_past_partners(idea):
    from matching import services
    from tests.factories import OrganisationFactory

    known = OrganisationFactory(slug="known", country="LT")
    services.suggest_ideas(organisation=known, limit=5)  # warms the needs cache
    _past_project("Volunteers on the border", 2021, idea.lead, known)
    (found,) = services.suggest_ideas(organisation=known, limit=5)
    # Counted, though "Ideas for …" words no reason about one's own past (matching/for_you.py).
    assert found.components["track_record"] > 0


def test_experience_comes_from_the_track_record_where_there_is_one(idea):
    from matching.features import load_candidates
    from tests.factories import OrganisationFactory

    OrganisationFactory(slug="declared", experience="none")
    busy = OrganisationFactory(slug="busy", experience="none")
    for year in (2019, 2020, 2021):
        _past_project(f"Project {year}", year, busy, idea.lead, programme="interreg")
    by_slug = {c.slug: c for c in load_candidates()}
    assert by_slug["declared"].experience == "none"
    assert by_slug["busy"].experience == "experienced"
    assert by_slug["busy"].past_programmes == frozenset({("interreg", 3, 2019)})
    assert by_slug["lead"].experience == "experienced"


# --- Experience in the programme's themes, and past projects' texts ----------------------


def test_experience_in_this_programmes_themes_is_named_verbatim():
    n = need(
        programme="erasmus-plus",
        themes=frozenset({"volunteering-solidarity", "inclusion-diversity"}),
    )
    c = candidate(
        past_programmes=frozenset({("erasmus-plus", 1, 2020)}),
        past_themes=frozenset({"erasmus-plus|volunteering-solidarity", "|volunteering-solidarity"}),
    )
    labels = {**LABELS, "volunteering-solidarity": "Volunteering"}
    result = track(c, n, labels)
    assert result.reason == (
        "partner in 1 Erasmus+ project since 2020; "
        "has experience in this programme's themes: Volunteering"
    )
    without = track(replace(c, past_themes=frozenset()), n, labels)
    assert result.value == pytest.approx(without.value + TRACK_THEMES * 0.5)


def test_themes_of_another_programme_count_only_when_the_idea_names_none():
    c = candidate(
        past_programmes=frozenset({("interreg", 2, 2018)}),
        past_themes=frozenset({"interreg|volunteering-solidarity", "|volunteering-solidarity"}),
    )
    themes = frozenset({"volunteering-solidarity"})
    other = track(c, need(programme="erasmus-plus", themes=themes), LABELS)
    assert "themes" not in other.reason
    anywhere = track(c, need(themes=themes), LABELS)
    assert anywhere.reason == (
        "took part in 2 past projects since 2018; "
        "has past projects in the idea's themes: volunteering-solidarity"
    )


def test_past_projects_bring_their_themes_and_words_to_the_profile(idea):
    from matching import text
    from matching.features import load_candidates
    from organisations.taxonomy import Theme
    from tests.factories import OrganisationFactory

    known = OrganisationFactory(slug="known", description="")
    project = _past_project("Coastal dune restoration camps", 2022, known)
    project.summary = "Young volunteers restore dunes near Klaipėda."
    project.save()
    project.themes.set(Theme.objects.filter(code="environment-climate"))
    by_slug = {c.slug: c for c in load_candidates()}
    assert by_slug["known"].past_themes == {
        "erasmus-plus|environment-climate",
        "|environment-climate",
    }
    terms = dict(by_slug["known"].terms)
    assert {text.text_stems(word)[0] for word in ("dunes", "restoration", "Klaipėda")} <= set(terms)
