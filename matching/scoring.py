"""How well an organisation suits a project idea: a pure, explainable score.

A candidate organisation is scored against a need (an idea and its current
consortium) as a weighted sum of nine components, each in 0..1 and each with
a short reason a coordinator can read.

A criterion the idea leaves empty (no themes, no countries sought, …) counts
as UNSTATED, half met, for every candidate: it then neither helps nor hurts
anyone, and a sparse idea's percentages are not all low. Its reason says what
to add. The rules:

goals
    theme share: the share of the idea's themes the candidate also lists,
    discounted by FOCUS_THEMES / n for a candidate listing n > FOCUS_THEMES
    themes (claiming everything is no signal); then up to TEXT_CREDIT of the
    remainder from the relevance below (what the two texts describe).
sector
    FIELDS_PART × share of the fields of activity sought, plus KIND_PART if
    the candidate's kind is one sought, plus COMPLEMENT_PART if it is a
    public body, NGO or education provider and the consortium has no one of
    that sector yet.
country
    sum, capped at 1, of: REQUIRED_CREDIT if the candidate is from the country
    group the call still requires; SOUGHT_CREDIT if its country is sought; for
    a country the consortium lacks, NEEDED_CREDIT if the call still needs more
    countries, otherwise NEW_COUNTRY_CREDIT.
target_groups
    share of the idea's target groups the candidate works with.
language
    1 if the candidate works in the idea's language; ENGLISH_FALLBACK if not
    but it works in English; with no idea language set, English is the common
    language and counts 1.
experience
    EXPERIENCE_FIT[lead level][candidate level]: highest for an experienced
    partner with a newcomer lead, high the other way round (bringing
    newcomers in is what the programmes are for), moderate at the same level.
trust
    TRUST_VERIFIED if staff verified the organisation, plus TRUST_FRESH times
    freshness (1 when updated today, falling linearly to 0 at FRESHNESS_DAYS),
    plus TRUST_COMPLETE times the share of the profile filled in.
track_record
    from past projects (``projects.PastProject``), capped at 1: TRACK_LEAD ×
    programme_experience(projects shared with the lead) if the candidate
    worked with the lead before, TRACK_MEMBER if with another
    member of the consortium, TRACK_PROGRAMME × programme_experience(number of
    its past projects in the idea's programme, or in any programme when the
    idea names none), TRACK_ANY × programme_experience(all its past projects),
    TRACK_THEMES × the share of the idea's themes its past projects in that
    programme covered. programme_experience(n) = ln(1 + n) / ln(1 + EXPERIENCE_CAP)
    (n capped at EXPERIENCE_CAP): graded over the whole range real counts
    take (a lead's repeat partners share 1 to 100 projects), each further
    project counting a little less than the one before. An organisation with
    no past projects scores 0 here and is not penalised anywhere else.
relevance
    the cosine similarity of the TF-IDF vectors (``matching.text``) of the
    idea's title, summary and goals and of the candidate's description and
    past projects' titles and summaries: graded, so candidates equal on
    everything else are ordered by what they describe.

The sector's complementarity part applies only when the idea names kinds of
organisation it seeks (the lead's choice); with none sought it is UNSTATED for
everyone, so a candidate of the lead's own sector loses nothing.

Hard filters come before scoring (``eligible``): the lead and the
consortium's members are never suggested, and neither is an organisation
whose country or kind the call does not accept.

Each rule is written once, as a ``Rule`` class in RULES below, over a *view*
of the candidates and needs compared; ``score`` runs it on one pair (and adds
the reason), ``matching.ranking`` on every organisation against one idea and
``matching.need_matrix`` on one organisation against every idea, with the
same arithmetic, so the totals agree to the last bit.

Nothing here touches the database or the clock: the loader builds the
dataclasses, the caller passes ``today``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import translation

from matching import text

# --- Rules as named constants -------------------------------------------------

#: Component names in the order they are computed, summed and shown.
COMPONENTS = (
    "goals",
    "sector",
    "country",
    "target_groups",
    "language",
    "experience",
    "trust",
    "track_record",
    "relevance",
)

#: The value of a criterion the idea does not state, for every candidate.
UNSTATED = 0.5

#: Most themes a focused organisation lists (of the 17 in the taxonomy); each
#: theme of a profile listing more counts proportionally less.
FOCUS_THEMES = 6
#: Most of the unmatched part of goals that similar wording can make up:
#: chosen themes are a deliberate statement, shared words only a hint.
TEXT_CREDIT = 0.5
#: Text similarity from which the reason says "describes similar work":
#: below, the shared words are too few to be worth a coordinator's attention.
SIMILAR_WORK = 0.05

FIELDS_PART = 0.4
KIND_PART = 0.4
COMPLEMENT_PART = 0.2
#: Public, NGO and education bodies complement each other in a consortium;
#: a company or "other" does not count as complementing anyone.
COMPLEMENTARY_SECTORS = frozenset({"ngo", "public", "education"})

REQUIRED_CREDIT = 1.0
#: The lead's own choice of countries weighs most; a new country the call
#: still needs helps eligibility whatever it is, but less than a chosen one.
SOUGHT_CREDIT = 0.7
NEEDED_CREDIT = 0.3
NEW_COUNTRY_CREDIT = 0.1

ENGLISH = "en"
ENGLISH_FALLBACK = 0.5

EXPERIENCE_LEVELS = ("none", "some", "experienced")
#: EXPERIENCE_FIT[lead][candidate]. Two newcomers together is the weakest
#: pairing: nobody in the consortium knows the programme rules.
EXPERIENCE_FIT: Mapping[str, Mapping[str, float]] = {
    "none": {"none": 0.3, "some": 0.7, "experienced": 1.0},
    "some": {"none": 0.6, "some": 0.5, "experienced": 0.8},
    "experienced": {"none": 0.8, "some": 0.7, "experienced": 0.5},
}

TRUST_VERIFIED = 0.4
TRUST_FRESH = 0.3
TRUST_COMPLETE = 0.3
#: Days after which a profile counts as entirely stale (about two years:
#: contacts and staff of small NGOs change at roughly that pace).
FRESHNESS_DAYS = 730

#: Track record parts (sum capped at 1). Having worked with the lead is the
#: strongest single signal of a real partner on real consortia; TRACK_LEAD and
#: TRACK_PROGRAMME were chosen on the tuning split of bench/quality.py --tune
#: (docs/quality.md), as was TRACK_ANY; graded by the curve, a partner of 20
#: shared projects gets 0.29 here and one of a single project 0.07.
#: TRACK_MEMBER is set by hand (the benchmark's consortia have no other member
#: yet when the search starts).
TRACK_LEAD = 0.6
TRACK_MEMBER = 0.3
TRACK_PROGRAMME = 0.3
TRACK_ANY = 0.1
#: Past projects (in the idea's programme, or any when it names none) in the
#: idea's themes: share of its themes covered. Set by hand: the benchmark's
#: themes are its programme parts, so it cannot tell this from TRACK_PROGRAMME.
TRACK_THEMES = 0.1
#: programme_experience(n) = ln(1 + n) / ln(1 + EXPERIENCE_CAP), tabulated so NumPy
#: gathers the same floats. Logarithmic with a high cap, measured on the tuning
#: split (bench/quality.py --tune, docs/quality.md): the earlier 1 − 0.8ⁿ capped
#: at 12 ranked a lead's partner of 12 projects level with one of 70, so a
#: coordinator's closest partners tied with occasional ones.
EXPERIENCE_CAP = 512


def experience_curve(cap: int) -> tuple[float, ...]:
    """ln(1 + n) / ln(1 + cap) for n = 0..cap: 0 for none, 1 at the cap."""
    return tuple(math.log1p(n) / math.log1p(cap) for n in range(cap + 1))


EXPERIENCE_CURVE = experience_curve(EXPERIENCE_CAP)


# --- Translation --------------------------------------------------------------
# Reasons are shown in the site's language, but the scoring core also runs
# in plain scripts and benchmarks where Django settings are not configured.
# The wrappers keep Django's names so makemessages still finds the strings.


def gettext_noop(message: str) -> str:
    """Mark a string for translation at import time; translated when used."""
    return message


def gettext(message: str) -> str:
    return translation.gettext(message) if settings.configured else message


def ngettext(singular: str, plural: str, number: int) -> str:
    if settings.configured:
        return translation.ngettext(singular, plural, number)
    return singular if number == 1 else plural


# --- Data ---------------------------------------------------------------------


def _check_experience(level: str) -> None:
    if level not in EXPERIENCE_FIT:
        raise ValueError(f"experience must be one of {EXPERIENCE_LEVELS}, not {level!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """An organisation as matching sees it: codes, flags and keyword buckets."""

    id: int
    slug: str
    name: str
    kind: str
    sector: str
    country: str
    updated_on: date
    fields: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    experience: str = "none"
    verified: bool = False
    completeness: float = 0.0
    #: Its description and past projects as a TF-IDF vector (``text.vector``).
    terms: text.Terms = ()
    region: str = ""  # NUTS code, "" when the profile does not say
    #: From its past projects: (programme code, number of projects, first year).
    past_programmes: frozenset[tuple[str, int, int]] = frozenset()
    #: The themes of its past projects as "programme|theme" and "|theme" codes.
    past_themes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _check_experience(self.experience)

    @property
    def past_projects(self) -> int:
        return sum(count for _code, count, _since in self.past_programmes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Need:
    """A project idea, its current consortium and what the call still requires."""

    lead_id: int
    lead_experience: str
    member_ids: frozenset[int] = frozenset()
    member_countries: frozenset[str] = frozenset()
    member_sectors: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    fields_sought: frozenset[str] = frozenset()
    kinds_sought: frozenset[str] = frozenset()
    countries_sought: frozenset[str] = frozenset()
    language: str | None = None
    #: The idea's title, summary and goals as a TF-IDF vector (``text.vector``),
    #: and each term's word as written there, for the reason.
    terms: text.Terms = ()
    term_words: tuple[tuple[str, str], ...] = ()
    eligible_countries: frozenset[str] = frozenset()
    allowed_kinds: frozenset[str] = frozenset()
    countries_needed: int = 0
    required_countries: frozenset[str] = frozenset()
    required_group_label: str = ""
    # Which further partner would fill what the call still lacks (``fills_gap``):
    # a country in fill_countries does; any other country not in fill_excluded
    # does when fill_others is true. Built by projects.eligibility.filling.
    fill_countries: frozenset[str] = frozenset()
    fill_others: bool = False
    fill_excluded: frozenset[str] = frozenset()
    #: False for a call the applicant carries out alone: no one is suggested.
    partners_allowed: bool = True
    #: The call's programme area (NUTS codes): a candidate from one of
    #: ``region_countries`` whose stated region lies outside it is never suggested.
    eligible_regions: frozenset[str] = frozenset()
    region_countries: frozenset[str] = frozenset()
    # What the need describes: a project idea, or an organisation's own profile
    # (complementary organisations). Only the wording of the reasons differs.
    about: str = "idea"
    #: The idea's programme code ("" when it names none) and, from past
    #: projects, the organisations that worked with the lead and with the
    #: other members; lead_projects gives the reason: (organisation id,
    #: title, programme code, year), one per partner, the latest.
    programme: str = ""
    lead_partners: frozenset[int] = frozenset()
    member_partners: frozenset[int] = frozenset()
    lead_projects: tuple[tuple[int, str, str, int], ...] = ()
    #: (organisation id, projects it shared with the lead, capped at EXPERIENCE_CAP)
    #: for partners that shared more than one; a partner of lead_partners not
    #: listed here shared one.
    lead_shared: frozenset[tuple[int, int]] = frozenset()

    def __post_init__(self) -> None:
        _check_experience(self.lead_experience)
        if self.about not in ("idea", "profile"):
            raise ValueError(f"unknown need subject: {self.about!r}")

    @property
    def is_profile(self) -> bool:
        return self.about == "profile"

    @property
    def programme_themes(self) -> frozenset[str]:
        """Its themes as ``Candidate.past_themes`` codes of its programme."""
        return frozenset(f"{self.programme}|{theme}" for theme in self.themes)


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float
    reason: str


@dataclass(frozen=True, slots=True)
class Score:
    candidate_id: int
    total: float
    components: tuple[Component, ...]

    @property
    def percent(self) -> int:
        return round(self.total * 100)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(component.reason for component in self.components)

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each component counts; the weights sum to 1.

    Goals lead because a partner who shares the project's purpose is the one
    coordinators look for first; country is next because calls are won or
    lost on eligible, missing countries; sector complementarity and target
    groups shape the consortium; language and trust break near-ties;
    experience is a small nudge (the programmes welcome newcomers).

    These are the suggested starting weights. On the hand-written quality
    cases (tests/matching/quality_cases.py) moving 0.05 between components
    leaves recall@5 at 1.0, so the cases do not argue for other values; they
    shaped the rules inside the components instead (the breadth discount on
    themes, the country credits, UNSTATED for what an idea leaves empty).

    The track record's share, 0.5, was measured (issue 12): on the real
    consortia of bench/quality.py, test projects of 2019 only (the tuning
    split), the share with the best MRR + recall@10 (docs/quality.md), with
    the experience curve and TRACK_LEAD / TRACK_PROGRAMME / TRACK_ANY chosen
    there first (each within 1 % of the best, the fewest tied top-10 places);
    the other seven keep the proportions above (0.30 : 0.15 : 0.20 : 0.10 :
    0.10 : 0.05 : 0.10), scaled to 0.495. The relevance's 0.005 was measured the
    same way (bench/quality.py --tune: within 1 % of the best MRR + recall@10,
    the share with the fewest tied places in the top 10); there it orders
    what would otherwise tie, the benchmark's texts being only names
    (docs/quality.md). A newcomer with no past projects loses at most 0.5,
    and far less against most veterans (a partner of one shared project gets
    0.5 × 0.07 = 0.03 for it, an organisation of five programme projects
    0.5 × 0.4 × 0.29 = 0.06): it is found whenever its profile fits better than
    a veteran's by more than the veteran's track record (docs/matching.md).
    """

    goals: float = 0.1485
    sector: float = 0.07425
    country: float = 0.099
    target_groups: float = 0.0495
    language: float = 0.0495
    experience: float = 0.02475
    trust: float = 0.0495
    track_record: float = 0.5
    relevance: float = 0.005

    def __post_init__(self) -> None:
        values = [getattr(self, name) for name in COMPONENTS]
        if any(v < 0 for v in values) or not math.isclose(sum(values), 1.0, abs_tol=1e-9):
            raise ValueError(f"weights must be non-negative and sum to 1, got {values}")

    def items(self) -> tuple[tuple[str, float], ...]:
        """(component, weight) pairs in COMPONENTS order."""
        return tuple((name, getattr(self, name)) for name in COMPONENTS)


DEFAULT_WEIGHTS = Weights()


# --- Formulas used by the reasons -------------------------------------------


def freshness(updated_on: date, today: date) -> float:
    """1 for a profile updated today, falling linearly to 0 at FRESHNESS_DAYS."""
    age = today.toordinal() - updated_on.toordinal()
    return min(1.0, max(0.0, 1.0 - age / FRESHNESS_DAYS))


def programme_experience(count: int) -> float:
    """ln(1 + count) / ln(1 + EXPERIENCE_CAP), count capped: each project counts less."""
    return EXPERIENCE_CURVE[min(count, EXPERIENCE_CAP)]


def theme_focus(theme_count: int) -> float:
    """1 for a profile listing up to FOCUS_THEMES themes, FOCUS_THEMES / n beyond."""
    return 1.0 if theme_count <= FOCUS_THEMES else FOCUS_THEMES / theme_count


# --- Reasons helpers ----------------------------------------------------------

_SECTOR_ONE = {
    "ngo": gettext_noop("an NGO"),
    "public": gettext_noop("a public body"),
    "education": gettext_noop("an education provider"),
    "private": gettext_noop("a company"),
    "other": gettext_noop("an organisation of another kind"),
}
_SECTOR_MANY = {
    "ngo": gettext_noop("NGOs"),
    "public": gettext_noop("public bodies"),
    "education": gettext_noop("education providers"),
    "private": gettext_noop("companies"),
    "other": gettext_noop("other organisations"),
}

_EXPERIENCE_REASONS = {
    ("none", "none"): gettext_noop("also new to international projects, like the lead"),
    ("none", "some"): gettext_noop("has some international experience to share with a new lead"),
    ("none", "experienced"): gettext_noop(
        "an experienced partner to guide a lead new to international projects"
    ),
    ("some", "none"): gettext_noop("a newcomer the lead can bring into international work"),
    ("some", "some"): gettext_noop("international experience similar to the lead's"),
    ("some", "experienced"): gettext_noop("brings more international experience than the lead"),
    ("experienced", "none"): gettext_noop(
        "a newcomer the experienced lead can bring into international work"
    ),
    ("experienced", "some"): gettext_noop(
        "some international experience to build on with an experienced lead"
    ),
    ("experienced", "experienced"): gettext_noop(
        "experienced in international projects, like the lead"
    ),
}
# The same for complementary organisations, read by anyone on a profile page.
_EXPERIENCE_REASONS_PROFILE = {
    ("none", "none"): gettext_noop("also new to international projects"),
    ("none", "some"): gettext_noop("has some international experience to share"),
    ("none", "experienced"): gettext_noop(
        "an experienced partner for a first international project"
    ),
    ("some", "none"): gettext_noop("new to international projects: a partner to bring along"),
    ("some", "some"): gettext_noop("similar international experience"),
    ("some", "experienced"): gettext_noop("brings more international experience"),
    ("experienced", "none"): gettext_noop(
        "new to international projects: a partner to bring along"
    ),
    ("experienced", "some"): gettext_noop("some international experience to build on"),
    ("experienced", "experienced"): gettext_noop("also experienced in international projects"),
}


def _label(code: str, labels: Mapping[str, str] | None) -> str:
    return labels.get(code, code) if labels else code


def _labels(codes: Iterable[str], labels: Mapping[str, str] | None) -> str:
    return ", ".join(sorted(_label(code, labels) for code in codes))


def _join(parts: Iterable[str]) -> str:
    return "; ".join(parts)


# --- Components ---------------------------------------------------------------


def _goals(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    shared = candidate.themes & need.themes
    focus = theme_focus(len(candidate.themes))
    parts = []
    if not need.themes:
        parts.append(
            gettext("this profile lists no themes to compare")
            if need.is_profile
            else gettext("add themes to the idea to rank by goals")
        )
    elif shared and need.is_profile:
        parts.append(
            ngettext(
                "shares %(shared)d of this profile's %(total)d theme: %(labels)s",
                "shares %(shared)d of this profile's %(total)d themes: %(labels)s",
                len(need.themes),
            )
            % {"shared": len(shared), "total": len(need.themes), "labels": _labels(shared, labels)}
        )
    elif shared:
        parts.append(
            ngettext(
                "shares %(shared)d of %(total)d theme: %(labels)s",
                "shares %(shared)d of %(total)d themes: %(labels)s",
                len(need.themes),
            )
            % {"shared": len(shared), "total": len(need.themes), "labels": _labels(shared, labels)}
        )
        if focus < 1.0:
            parts.append(
                gettext("lists %(count)d themes, so each counts for less")
                % {"count": len(candidate.themes)}
            )
    elif need.is_profile:
        parts.append(
            ngettext(
                "shares none of this profile's %(total)d theme",
                "shares none of this profile's %(total)d themes",
                len(need.themes),
            )
            % {"total": len(need.themes)}
        )
    else:
        parts.append(
            ngettext(
                "shares none of the idea's %(total)d theme",
                "shares none of the idea's %(total)d themes",
                len(need.themes),
            )
            % {"total": len(need.themes)}
        )
    return _join(parts)


def _sector(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    complement = (
        bool(need.kinds_sought)
        and candidate.sector in COMPLEMENTARY_SECTORS
        and candidate.sector not in need.member_sectors
    )
    kind_match = candidate.kind in need.kinds_sought
    parts = []
    if need.fields_sought and need.is_profile:
        matched = candidate.fields & need.fields_sought
        if matched:
            parts.append(gettext("also works in %(labels)s") % {"labels": _labels(matched, labels)})
        else:
            parts.append(gettext("works in other fields"))
    elif need.fields_sought:
        matched = candidate.fields & need.fields_sought
        if matched:
            parts.append(
                ngettext(
                    "works in %(shared)d of %(total)d field sought: %(labels)s",
                    "works in %(shared)d of %(total)d fields sought: %(labels)s",
                    len(need.fields_sought),
                )
                % {
                    "shared": len(matched),
                    "total": len(need.fields_sought),
                    "labels": _labels(matched, labels),
                }
            )
        else:
            parts.append(gettext("works in none of the fields sought"))
    if need.kinds_sought and not need.is_profile:
        template = (
            gettext("a kind sought: %(kind)s")
            if kind_match
            else gettext("not a kind sought: %(kind)s")
        )
        parts.append(template % {"kind": _label(candidate.kind, labels)})
    if complement and need.is_profile:
        parts.append(
            gettext("%(one)s: a sector this organisation does not cover")
            % {"one": gettext(_SECTOR_ONE.get(candidate.sector, candidate.sector))}
        )
    elif complement and need.member_sectors:
        parts.append(
            gettext("adds %(one)s to a consortium of %(many)s")
            % {
                "one": gettext(_SECTOR_ONE.get(candidate.sector, candidate.sector)),
                "many": " + ".join(
                    sorted(gettext(_SECTOR_MANY.get(s, s)) for s in need.member_sectors)
                ),
            }
        )
    elif complement:
        parts.append(
            gettext("adds %(one)s")
            % {"one": gettext(_SECTOR_ONE.get(candidate.sector, candidate.sector))}
        )
    elif candidate.sector in need.member_sectors:
        parts.append(
            gettext("the same sector as this organisation")
            if need.is_profile
            else gettext("same sector as someone already in the consortium")
        )
    if need.is_profile and not need.fields_sought:
        parts.append(gettext("this profile lists no fields of activity to compare"))
    elif not need.fields_sought and not need.kinds_sought:
        parts.append(gettext("add the kinds or fields of partner you seek to rank by sector"))
    return _join(parts)


def _country(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    country = candidate.country
    name = _label(country, labels)
    required = country in need.required_countries
    sought = country in need.countries_sought
    new = country not in need.member_countries
    if need.is_profile:
        return (
            gettext("from %(country)s: another country")
            if new
            else gettext("from %(country)s: the same country")
        ) % {"country": name}
    reason = _country_reason(
        name,
        fills=fills_gap(candidate, need),
        required=required,
        sought=sought,
        stated=bool(need.countries_sought),
        new=new,
        group=need.required_group_label,
    )
    if not need.countries_sought and not need.required_countries:
        reason = gettext("%(reason)s (add the countries you seek to rank by country)") % {
            "reason": reason
        }
    return reason


def _country_reason(
    name: str, *, fills: bool, required: bool, sought: bool, stated: bool, new: bool, group: str
) -> str:
    """One sentence on the candidate's country, whose parts cannot contradict each other.

    It says whether the country fills what the call still needs exactly when
    ``fills_gap`` does (the page's groups use the same test), and whether it
    is sought only when the idea names countries.
    """
    values = {"country": name, "group": group or gettext("the required countries")}
    if fills and required:
        if sought:
            return (
                gettext(
                    "from %(country)s, a country you seek: a partner from %(group)s, "
                    "which the call requires"
                )
                % values
            )
        if stated:
            return (
                gettext(
                    "from %(country)s: not among the countries you seek, but a partner from "
                    "%(group)s, which the call requires"
                )
                % values
            )
        return (
            gettext("from %(country)s: a partner from %(group)s, which the call requires") % values
        )
    if fills:
        if sought:
            return (
                gettext("from %(country)s, a country you seek and one the call still needs")
                % values
            )
        if stated:
            return (
                gettext(
                    "from %(country)s: not among the countries you seek, but one the call still needs"
                )
                % values
            )
        return gettext("from %(country)s, a country the call still needs") % values
    if new:
        if sought:
            return gettext("from %(country)s, a country you seek, new to the consortium") % values
        if stated:
            return (
                gettext("from %(country)s: new to the consortium, but not a country you seek")
                % values
            )
        return gettext("from %(country)s: adds a new country to the consortium") % values
    if sought:
        return gettext("from %(country)s, a country you seek, already in the consortium") % values
    if stated:
        return (
            gettext("from %(country)s: already in the consortium, and not a country you seek")
            % values
        )
    return gettext("from %(country)s, already in the consortium") % values


def _target_groups(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    if not need.target_groups:
        return (
            gettext("this profile lists no target groups to compare")
            if need.is_profile
            else gettext("add target groups to the idea to rank by them")
        )
    shared = candidate.target_groups & need.target_groups
    total = len(need.target_groups)
    if shared and need.is_profile:
        reason = ngettext(
            "works with %(shared)d of this profile's %(total)d target group: %(labels)s",
            "works with %(shared)d of this profile's %(total)d target groups: %(labels)s",
            total,
        ) % {"shared": len(shared), "total": total, "labels": _labels(shared, labels)}
    elif shared:
        reason = ngettext(
            "works with %(shared)d of %(total)d target group: %(labels)s",
            "works with %(shared)d of %(total)d target groups: %(labels)s",
            total,
        ) % {"shared": len(shared), "total": total, "labels": _labels(shared, labels)}
    elif need.is_profile:
        reason = gettext("works with none of this profile's target groups")
    else:
        reason = gettext("works with none of the idea's target groups")
    return reason


def _language(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    speaks_idea_language = need.language is not None and need.language in candidate.languages
    speaks_english = ENGLISH in candidate.languages
    english = _label(ENGLISH, labels)
    if need.language is None:
        reason = (
            gettext("works in %(language)s, the usual common language") % {"language": english}
            if speaks_english
            else gettext("does not list %(language)s; set the idea's working language to compare")
            % {"language": english}
        )
    else:
        language = _label(need.language, labels)
        if speaks_idea_language:
            reason = gettext("works in %(language)s, the idea's language") % {"language": language}
        elif speaks_english:
            reason = gettext("works in %(english)s, not in %(language)s") % {
                "english": english,
                "language": language,
            }
        elif candidate.languages:
            reason = gettext("no common working language: works in %(languages)s") % {
                "languages": _labels(candidate.languages, labels)
            }
        else:
            reason = gettext("lists no working languages")
    return reason


def _experience(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    reasons = _EXPERIENCE_REASONS_PROFILE if need.is_profile else _EXPERIENCE_REASONS
    return gettext(reasons[need.lead_experience, candidate.experience])


def _clamp_completeness(completeness: float) -> float:
    return min(1.0, max(0.0, completeness))


def _age_phrase(updated_on: date, today: date) -> str:
    days = max(0, today.toordinal() - updated_on.toordinal())
    if days >= FRESHNESS_DAYS:
        return gettext("not updated for two years or more")
    months = days // 30
    if months == 0:
        return gettext("updated in the last month")
    return ngettext("updated %(count)d month ago", "updated %(count)d months ago", months) % {
        "count": months
    }


def _trust(candidate: Candidate, today: date) -> str:
    completeness = _clamp_completeness(candidate.completeness)
    parts = [
        gettext("verified by staff") if candidate.verified else gettext("not verified yet"),
        _age_phrase(candidate.updated_on, today),
        gettext("profile %(percent)d%% complete") % {"percent": round(completeness * 100)},
    ]
    return ", ".join(parts)


def _track_record(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    with_lead = candidate.id in need.lead_partners
    with_member = candidate.id in need.member_partners
    total = candidate.past_projects
    in_programme = [
        (count, since) for code, count, since in candidate.past_programmes if code == need.programme
    ]
    parts = []
    if with_lead:
        shared = next((p for p in need.lead_projects if p[0] == candidate.id), None)
        count = max((n for pk, n in need.lead_shared if pk == candidate.id), default=1)
        if shared is None and count == 1:
            parts.append(gettext("worked with you before"))
        elif shared is None:
            parts.append(
                ngettext(
                    "worked with you on %(count)d project",
                    "worked with you on %(count)d projects",
                    count,
                )
                % {"count": count}
            )
        elif count == 1:
            parts.append(
                gettext("worked with you on %(title)s (%(programme)s, %(year)d)")
                % {"title": shared[1], "programme": _label(shared[2], labels), "year": shared[3]}
            )
        else:
            parts.append(
                ngettext(
                    "worked with you on %(count)d project, the latest %(title)s "
                    "(%(programme)s, %(year)d)",
                    "worked with you on %(count)d projects, the latest %(title)s "
                    "(%(programme)s, %(year)d)",
                    count,
                )
                % {
                    "count": count,
                    "title": shared[1],
                    "programme": _label(shared[2], labels),
                    "year": shared[3],
                }
            )
    if with_member:
        parts.append(gettext("worked with a member of your consortium"))
    if need.programme and in_programme:
        count, since = in_programme[0]
        parts.append(
            ngettext(
                "partner in %(count)d %(programme)s project since %(year)d",
                "partner in %(count)d %(programme)s projects since %(year)d",
                count,
            )
            % {"count": count, "programme": _label(need.programme, labels), "year": since}
        )
    elif total:
        since = min(since for _code, _count, since in candidate.past_programmes)
        parts.append(
            ngettext(
                "took part in %(count)d past project since %(year)d",
                "took part in %(count)d past projects since %(year)d",
                total,
            )
            % {"count": total, "year": since}
        )
    themes = {code.split("|", 1)[1] for code in candidate.past_themes & need.programme_themes}
    if themes and need.programme:
        parts.append(
            gettext("has experience in this programme's themes: %(labels)s")
            % {"labels": _labels(themes, labels)}
        )
    elif themes:
        parts.append(
            gettext("has past projects in the idea's themes: %(labels)s")
            % {"labels": _labels(themes, labels)}
        )
    if not parts:
        parts.append(gettext("no past projects recorded yet"))
    return _join(parts)


def _relevance(candidate: Candidate, need: Need, labels: Mapping[str, str] | None) -> str:
    if not need.terms:
        return (
            gettext("this profile has no description to compare")
            if need.is_profile
            else gettext("add a summary to the idea to compare what partners describe")
        )
    if not candidate.terms:
        return gettext("describes no work to compare: no description or past projects")
    if text.similarity(candidate.terms, need.terms) < SIMILAR_WORK:
        return gettext("describes different work")
    shown = dict(need.term_words)
    shared = text.top_shared(need.terms, candidate.terms)
    return gettext("describes similar work: %(terms)s") % {
        "terms": ", ".join(shown.get(term, term) for term in shared)
    }


# --- The rules: each component's value, written once ---------------------------
#
# A rule reads its operands through a *view* of the candidates and needs being
# compared, and computes with NumPy operations that work on one value or on
# whole arrays alike. Three views implement the same questions:
#
# - ``Pair`` (here): one candidate and one need, for ``score`` and its reasons;
# - ``ranking.Rows``: every candidate of a ``FeatureMatrix`` against one need;
# - ``need_matrix.Needs``: one candidate against every need of a ``NeedMatrix``.
#
# The answers are plain numbers or arrays of them: ``stated(need set)``,
# ``share(candidate set, need set)`` (UNSTATED where the need states none),
# ``isin(candidate code, need set)``, ``has(candidate set, code)``,
# ``cand(number)`` / ``need_value(number)`` (see CANDIDATE_NUMBERS / NEED_NUMBERS),
# ``id_in(need set of ids)``, ``lead_shared()``, ``past_in_programme()``,
# ``relevance()``, ``is_member()``, ``outside_area()`` and ``today``. Each
# evaluates the same operands with the same operations in the same order, so
# the totals agree to the last bit (tests/matching/test_ranking.py,
# test_need_matrix.py). A new rule is one more class in RULES (and a weight);
# a new operand is one more answer in each view.

_FIT = np.array(
    [[EXPERIENCE_FIT[lead][c] for c in EXPERIENCE_LEVELS] for lead in EXPERIENCE_LEVELS]
)
#: EXPERIENCE_CURVE as an array the rules gather from (bench/quality.py --tune swaps it).
CURVE = np.array(EXPERIENCE_CURVE)
_EXPERIENCE_INDEX = {level: i for i, level in enumerate(EXPERIENCE_LEVELS)}

#: The candidate's numbers the rules read, each computed once per candidate.
CANDIDATE_NUMBERS: Mapping[str, Any] = {
    "theme_focus": lambda c: theme_focus(len(c.themes)),
    "complementary": lambda c: float(c.sector in COMPLEMENTARY_SECTORS),
    "experience": lambda c: _EXPERIENCE_INDEX[c.experience],
    "verified": lambda c: float(c.verified),
    "updated": lambda c: c.updated_on.toordinal(),
    "completeness": lambda c: _clamp_completeness(c.completeness),
    "past_total": lambda c: c.past_projects,
}
#: The need's numbers the rules read.
NEED_NUMBERS: Mapping[str, Any] = {
    "countries_needed": lambda n: n.countries_needed > 0,
    "lead_experience": lambda n: _EXPERIENCE_INDEX[n.lead_experience],
    "partners_allowed": lambda n: n.partners_allowed,
    "fill_others": lambda n: n.fill_others,
}


def need_set(need: Need, name: str) -> frozenset:
    """A set-valued attribute of ``need``; its language as a set of zero or one code."""
    if name == "language":
        return frozenset() if need.language is None else frozenset({need.language})
    return getattr(need, name)


class Rule:
    """One component: ``points`` (its value, 0..1, on any view) and ``reason``."""

    name = ""

    def points(self, x: Any) -> Any:
        raise NotImplementedError

    def reason(self, x: Pair, labels: Mapping[str, str] | None) -> str:
        raise NotImplementedError


class Goals(Rule):
    name = "goals"

    def points(self, x):
        share = x.share("themes", "themes")
        themes = np.where(x.stated("themes"), share * x.cand("theme_focus"), UNSTATED)
        return themes + (1.0 - themes) * (TEXT_CREDIT * x.relevance())

    def reason(self, x, labels):
        return _goals(x.candidate, x.need, labels)


class SectorRule(Rule):
    name = "sector"

    def points(self, x):
        # Complementarity is the lead's choice: it counts only when kinds are sought.
        kinds = x.stated("kinds_sought")
        kind = np.where(kinds, x.isin("kind", "kinds_sought"), UNSTATED)
        new_sector = x.cand("complementary") * ~x.isin("sector", "member_sectors")
        complement = np.where(kinds, new_sector, UNSTATED)
        fields = x.share("fields", "fields_sought")
        return FIELDS_PART * fields + KIND_PART * kind + COMPLEMENT_PART * complement

    def reason(self, x, labels):
        return _sector(x.candidate, x.need, labels)


class Country(Rule):
    name = "country"

    def points(self, x):
        required = x.isin("country", "required_countries")
        sought = np.where(
            x.stated("countries_sought"), x.isin("country", "countries_sought"), UNSTATED
        )
        new = ~x.isin("country", "member_countries")
        new_credit = np.where(x.need_value("countries_needed"), NEEDED_CREDIT, NEW_COUNTRY_CREDIT)
        credit = REQUIRED_CREDIT * required + SOUGHT_CREDIT * sought + new_credit * new
        return np.minimum(credit, 1.0)

    def reason(self, x, labels):
        return _country(x.candidate, x.need, labels)


class TargetGroups(Rule):
    name = "target_groups"

    def points(self, x):
        return x.share("target_groups", "target_groups")

    def reason(self, x, labels):
        return _target_groups(x.candidate, x.need, labels)


class LanguageRule(Rule):
    name = "language"

    def points(self, x):
        english = np.where(x.stated("language"), ENGLISH_FALLBACK, 1.0)
        other = np.where(x.has("languages", ENGLISH), english, 0.0)
        return np.where(x.share("languages", "language") == 1.0, 1.0, other)

    def reason(self, x, labels):
        return _language(x.candidate, x.need, labels)


class Experience(Rule):
    name = "experience"

    def points(self, x):
        return _FIT[x.need_value("lead_experience"), x.cand("experience")]

    def reason(self, x, labels):
        return _experience(x.candidate, x.need, labels)


class Trust(Rule):
    name = "trust"

    def points(self, x):
        fresh = np.clip(1.0 - (x.today - x.cand("updated")) / FRESHNESS_DAYS, 0.0, 1.0)
        verified, complete = x.cand("verified"), x.cand("completeness")
        return TRUST_VERIFIED * verified + TRUST_FRESH * fresh + TRUST_COMPLETE * complete

    def reason(self, x, labels):
        return _trust(x.candidate, x.day)


class TrackRecord(Rule):
    name = "track_record"

    def points(self, x):
        themes = np.where(x.stated("themes"), x.share("past_themes", "programme_themes"), 0.0)
        credit = (
            TRACK_LEAD * _graded(x.lead_shared())
            + TRACK_MEMBER * x.id_in("member_partners")
            + TRACK_PROGRAMME * _graded(x.past_in_programme())
            + TRACK_ANY * _graded(x.cand("past_total"))
            + TRACK_THEMES * themes
        )
        return np.minimum(credit, 1.0)

    def reason(self, x, labels):
        return _track_record(x.candidate, x.need, labels)


def _graded(count):
    """programme_experience of a count or an array of counts (CURVE's last entry is the cap)."""
    return CURVE[np.minimum(count, CURVE.size - 1)]


class Relevance(Rule):
    name = "relevance"

    def points(self, x):
        return x.relevance()

    def reason(self, x, labels):
        return _relevance(x.candidate, x.need, labels)


#: Every component, in COMPONENTS order.
RULES: tuple[Rule, ...] = (
    Goals(),
    SectorRule(),
    Country(),
    TargetGroups(),
    LanguageRule(),
    Experience(),
    Trust(),
    TrackRecord(),
    Relevance(),
)
assert tuple(rule.name for rule in RULES) == COMPONENTS


def eligible(x: Any) -> Any:
    """Hard filters, on any view: False where the candidate must never be suggested.

    Excluded: everyone when the call takes no partners; the lead itself;
    members of the consortium; a country outside ``need.eligible_countries``
    (when the call lists any); a stated region outside the call's programme
    area (``outside_area``); a kind outside ``need.allowed_kinds`` (when the
    call lists any). Whether an organisation is active and visible is
    the loader's job.
    """
    ok = x.need_value("partners_allowed") & ~x.is_member() & ~x.outside_area()
    ok = ok & (~x.stated("eligible_countries") | x.isin("country", "eligible_countries"))
    return ok & (~x.stated("allowed_kinds") | x.isin("kind", "allowed_kinds"))


def filling(x: Any) -> Any:
    """Whether adding the candidate lowers what the call still needs, on any view.

    Only its country decides (``projects.eligibility.filling`` built the
    sets): a country of ``fill_countries`` does; any other country not in
    ``fill_excluded`` does when ``fill_others``.
    """
    others = x.need_value("fill_others") & ~x.isin("country", "fill_excluded")
    return x.isin("country", "fill_countries") | others


def values(x: Any) -> dict[str, Any]:
    """Every component's value on view ``x`` (hard filters not applied)."""
    return {rule.name: rule.points(x) for rule in RULES}


class Pair:
    """The view of one candidate and one need (see the rules above)."""

    def __init__(self, candidate: Candidate, need: Need, today: date) -> None:
        self.candidate, self.need, self.day = candidate, need, today
        self.today = today.toordinal()

    def stated(self, name: str) -> np.bool_:
        return np.bool_(bool(need_set(self.need, name)))

    def share(self, have: str, wanted: str) -> float:
        codes = need_set(self.need, wanted)
        return len(getattr(self.candidate, have) & codes) / len(codes) if codes else UNSTATED

    def isin(self, code: str, name: str) -> np.bool_:
        return np.bool_(getattr(self.candidate, code) in need_set(self.need, name))

    def has(self, name: str, code: str) -> np.bool_:
        return np.bool_(code in getattr(self.candidate, name))

    def cand(self, name: str) -> Any:
        return CANDIDATE_NUMBERS[name](self.candidate)

    def need_value(self, name: str) -> np.bool_ | int:
        value = NEED_NUMBERS[name](self.need)
        return np.bool_(value) if isinstance(value, bool) else value

    def id_in(self, name: str) -> np.bool_:
        return np.bool_(self.candidate.id in getattr(self.need, name))

    def is_member(self) -> np.bool_:
        need = self.need
        return np.bool_(self.candidate.id == need.lead_id or self.candidate.id in need.member_ids)

    def lead_shared(self) -> int:
        """Projects shared with the lead (0 when none; 1 unless lead_shared says more)."""
        if self.candidate.id not in self.need.lead_partners:
            return 0
        return max((n for pk, n in self.need.lead_shared if pk == self.candidate.id), default=1)

    def past_in_programme(self) -> int:
        """Past projects in the need's programme; in any programme when it names none."""
        if not self.need.programme:
            return self.candidate.past_projects
        return sum(
            n for code, n, _ in self.candidate.past_programmes if code == self.need.programme
        )

    def relevance(self) -> float:
        return text.similarity(self.candidate.terms, self.need.terms)

    def outside_area(self) -> np.bool_:
        return np.bool_(outside_area(self.candidate.country, self.candidate.region, self.need))


# --- Public API ---------------------------------------------------------------


def fills_gap(candidate: Candidate, need: Need) -> bool:
    """Whether adding ``candidate`` lowers what the call still needs (``filling``).

    Candidates that fill a gap rank above all that do not (``rank``), and the
    country reason says so in the same words as the page's group.
    """
    return bool(filling(Pair(candidate, need, date.min)))


def is_eligible(candidate: Candidate, need: Need) -> bool:
    """The hard filters (``eligible``) for one candidate."""
    return bool(eligible(Pair(candidate, need, date.min)))


def outside_area(country: str, region: str, need: Need) -> bool:
    """A stated region outside the call's programme area, in a country the call limits.

    An organisation that has not stated its region is not excluded: it may
    well be in the area, and the consortium's verdict asks for its region.
    """
    if not region or country not in need.region_countries:
        return False
    return not any(region.startswith(area) for area in need.eligible_regions)


def score(
    candidate: Candidate,
    need: Need,
    *,
    today: date,
    weights: Weights = DEFAULT_WEIGHTS,
    labels: Mapping[str, str] | None = None,
) -> Score:
    """Score one candidate against a need; see the module docstring for the rules.

    ``labels`` maps taxonomy, country and language codes to display labels
    for the reasons (codes of different taxonomies do not collide); a code
    without a label is shown as is. Hard filters are not applied here.
    """
    pair = Pair(candidate, need, today)
    components = tuple(
        Component(rule.name, float(rule.points(pair)), rule.reason(pair, labels)) for rule in RULES
    )
    total = weighted_total({c.name: c.value for c in components}, weights)
    return Score(candidate.id, total, components)


def weighted_total(values: Mapping[str, Any], weights: Weights, start: Any = 0.0) -> Any:
    """Σ weight × value in COMPONENTS order, for one float or NumPy arrays of them.

    The scorer here and the vectorised ones in ranking.py and need_matrix.py
    all sum through this, in the same order, so their totals are bit-identical
    and their tie-breaks agree. The vectorised ones pass a float64 array of
    zeros as `start`, which fixes the precision of the sum.
    """
    total = start
    for name, weight in weights.items():
        total = total + weight * values[name]
    return total


def rank(
    candidates: Iterable[Candidate],
    need: Need,
    *,
    today: date,
    limit: int,
    weights: Weights = DEFAULT_WEIGHTS,
    labels: Mapping[str, str] | None = None,
) -> list[Score]:
    """The ``limit`` best eligible candidates, best first.

    Reference implementation: filters with ``is_eligible``, scores every
    candidate, puts those that fill a gap the call still has (``fills_gap``)
    before all others whatever their totals, then orders by total descending
    and by candidate id ascending, so equal totals always come out in the
    same order.
    """
    if limit <= 0:
        return []
    scored = [
        (
            fills_gap(candidate, need),
            score(candidate, need, today=today, weights=weights, labels=labels),
        )
        for candidate in candidates
        if is_eligible(candidate, need)
    ]
    scored.sort(key=lambda pair: (not pair[0], -pair[1].total, pair[1].candidate_id))
    return [result for _fills, result in scored[:limit]]
