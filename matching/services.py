"""The three questions matching answers, and the actions on its suggestions.

- ``suggest_partners``: which organisations suit this idea;
- ``suggest_ideas``: which open ideas suit this organisation;
- ``complementary_organisations``: which organisations complement this one.

Each returns ``Suggestion`` objects, best first. Partners are ranked over the
process-local feature cache (``matching.cache``) with ``ranking.top_k``, ideas
over the process-local needs cache (``matching.need_cache``) with
``need_matrix.top_k``; only the final few are re-scored with ``scoring.score``
for their reasons, in the active language.
"""

from __future__ import annotations

import datetime
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries

from organisations.models import Kind, Organisation, kinds_in_sector
from organisations.taxonomy import FieldOfActivity, Language, Programme, TargetGroup, Theme
from projects.models import ApplicationKind, ApplicationStatus, PartnershipApplication, ProjectIdea

from . import scoring, text
from .cache import features
from .features import Member, Record, build_need, idea_codes, idea_queryset
from .for_you import from_visitor_side
from .labels import component_label
from .models import Dismissal
from .need_cache import open_ideas
from .scoring import COMPONENTS, Need, Score, Weights

#: Most suggestions one call may ask for.
MAX_LIMIT = 100


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(gettext("The limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT})
    return limit


# --- Weights ----------------------------------------------------------------------


def current_weights() -> Weights:
    """``scoring.Weights`` with the ``MATCHING_WEIGHTS`` setting's overrides (if any)."""
    overrides = getattr(settings, "MATCHING_WEIGHTS", None) or {}
    unknown = set(overrides) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"MATCHING_WEIGHTS has unknown components: {sorted(unknown)}")
    return Weights(**{**dict(scoring.DEFAULT_WEIGHTS.items()), **overrides})


# --- Labels -----------------------------------------------------------------------

_LABELS_TTL = 600.0  # seconds; new taxonomy terms show by label within ten minutes
_labels_lock = threading.Lock()
_labels: dict[str, tuple[float, dict[str, str]]] = {}


def labels() -> Mapping[str, str]:
    """Code → label in the active language for every code a reason may name.

    Taxonomy terms, organisation kinds, countries (upper-case ISO codes) and
    languages (lower-case ISO codes) never collide, so one flat mapping serves
    all. Built once per language and process (four small queries), then reused.
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    now = time.monotonic()
    with _labels_lock:
        cached = _labels.get(language)
        if cached and now - cached[0] < _LABELS_TTL:
            return cached[1]
    mapping: dict[str, str] = {str(code): str(label) for code, label in Kind.choices}
    mapping.update({str(code): str(name) for code, name in countries})
    column = f"name_{language}" if language in ("lv", "lt") else "name_en"
    for model in (FieldOfActivity, Theme, TargetGroup, Language, Programme):
        for code, english, local in model.objects.values_list("code", "name_en", column):
            mapping[code] = local or english
    with _labels_lock:
        _labels[language] = (now, mapping)
    return mapping


def clear_labels() -> None:
    with _labels_lock:
        _labels.clear()


# --- Suggestions -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested organisation (or idea), its score and why."""

    id: int
    slug: str
    name: str
    country: str
    score: int
    components: dict[str, int]
    reasons: list[str]
    url: str = ""
    #: A line under the name: the city of an organisation, the lead of an idea.
    detail: str = ""
    #: An existing application or invitation between the two: its status code, or "".
    state: str = ""
    state_label: str = ""
    #: The component reasons, in COMPONENTS order, for the bars.
    component_reasons: dict[str, str] = field(default_factory=dict)
    #: Partner suggestions: it would fill what the idea's call still needs
    #: (``scoring.fills_gap``); such suggestions come before all others.
    fills: bool = False

    def as_json(self) -> dict:
        return {
            "slug": self.slug,
            "name": self.name,
            "country": self.country,
            "score": self.score,
            "fills": self.fills,
            "components": self.components,
            "reasons": self.reasons,
        }

    @property
    def bars(self) -> list[tuple[str, str, int, str]]:
        """(component, label, percent, reason) per component, for the template."""
        return [
            (
                name,
                component_label(name),
                self.components[name],
                self.component_reasons.get(name, ""),
            )
            for name in COMPONENTS
        ]


def _state(status: str, kind: str) -> tuple[str, str]:
    if status == ApplicationStatus.SUBMITTED:
        if kind == ApplicationKind.INVITATION:
            return "invited", gettext("invited")
        return "applied", gettext("applied")
    return status, str(ApplicationStatus(status).label)


def _make(
    result: Score,
    *,
    pk: int,
    slug: str,
    name: str,
    country: str,
    url: str,
    detail: str,
    state: tuple[str, str] = ("", ""),
    fills: bool = False,
) -> Suggestion:
    reasons = {component.name: component.reason for component in result.components}
    return Suggestion(
        id=pk,
        slug=slug,
        name=name,
        country=country,
        score=result.percent,
        components={c.name: round(c.value * 100) for c in result.components},
        reasons=[reason for reason in reasons.values() if reason],
        url=url,
        detail=detail,
        state=state[0],
        state_label=state[1],
        component_reasons=reasons,
        fills=fills,
    )


def _organisation_suggestion(
    record: Record, result: Score, *, state=("", ""), fills: bool = False
) -> Suggestion:
    return _make(
        result,
        pk=record.id,
        slug=record.slug,
        name=record.name,
        country=record.country,
        url=f"/organisations/{record.slug}/",
        detail=record.city,
        state=state,
        fills=fills,
    )


@dataclass
class IdeaContext:
    """An idea's Need and the state of every organisation's application to it."""

    need: Need
    states: dict[int, tuple[str, str]]
    dismissed: set[int]


#: The status an idea's dismissals carry in ``idea_context``'s one query.
_DISMISSED = "-dismissed-"


def idea_context(idea: ProjectIdea) -> IdeaContext:
    """Two queries: the idea's codes, and its applications with its dismissals.

    ``idea`` should come from ``features.idea_queryset()`` so its lead, call
    and language need no further query.
    """
    codes = idea_codes([idea.pk])[idea.pk]
    partners: list[Member] = []
    states: dict[int, tuple[str, str]] = {}
    columns = ("organisation_id", "organisation__name", "organisation__country")
    applications = idea.applications.order_by().values_list(
        *columns, "organisation__kind", "status", "kind"
    )
    dismissals = (
        Dismissal.objects.filter(idea=idea)
        .order_by()
        .annotate(status=Value(_DISMISSED, CharField()), kind=Value("", CharField()))
        .values_list(*columns, "organisation__kind", "status", "kind")
    )
    dismissed: set[int] = set()
    for organisation_id, name, country, kind, status, application_kind in applications.union(
        dismissals, all=True
    ):
        if status == _DISMISSED:
            dismissed.add(organisation_id)
            continue
        states[organisation_id] = _state(status, application_kind)
        if status in _CONSORTIUM and organisation_id != idea.lead_id:
            partners.append(Member(organisation_id, name, str(country), kind))
    need = build_need(idea, codes=codes, partners=partners, exclude=dismissed)
    return IdeaContext(need=need, states=states, dismissed=dismissed)


_CONSORTIUM = frozenset(
    str(s)
    for s in (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.APPROVED,
    )
)


def suggest_partners(
    *, idea: ProjectIdea, limit: int, today: datetime.date | None = None
) -> list[Suggestion]:
    """The ``limit`` organisations that best suit ``idea``, best first, with reasons.

    Those that fill what the idea's call still needs (``Suggestion.fills``)
    come first, whatever their scores; then the others. Hard filters: active
    organisations only, never the lead, a consortium member or a dismissed
    organisation, and only the countries, kinds and regions the call accepts
    (none at all for a call that takes no partners). Organisations that
    already applied or were invited stay in the list with their ``state``, so
    the lead sees them in context. At most five queries with a warm cache,
    including loading the idea with ``features.idea_queryset()``.
    """
    check_limit(limit)
    context = idea_context(idea)
    return _suggest(context, context.need, limit=limit, today=today or timezone.localdate())


def suggest_partner_groups(
    *, idea: ProjectIdea, limit: int, others: int, today: datetime.date | None = None
) -> tuple[list[Suggestion], list[Suggestion]]:
    """The two groups of the suggestions page: up to ``limit`` that fill what the call
    still needs, and up to ``others`` of the rest ("also a good fit").

    The same order as ``suggest_partners`` (which puts the first group before
    the second), but the second group is ranked on its own, so it is not
    crowded out when thousands of organisations fill the gap. With nothing
    missing, every suggestion is in the second group.
    """
    check_limit(limit)
    check_limit(others)
    today = today or timezone.localdate()
    context = idea_context(idea)
    need = context.need
    if not (need.fill_countries or need.fill_others):
        return [], _suggest(context, need, limit=limit, today=today)
    filling = [s for s in _suggest(context, need, limit=limit, today=today) if s.fills]
    # Only the country decides who fills: the rest are the other eligible countries.
    universe = need.eligible_countries or frozenset(code for code, _name in countries)
    if need.fill_others:
        rest = universe & (need.fill_excluded - need.fill_countries)
    else:
        rest = universe - need.fill_countries
    if not rest:
        return filling, []
    rest_need = replace(
        need, eligible_countries=rest, fill_countries=frozenset(), fill_others=False
    )
    return filling, _suggest(context, rest_need, limit=others, today=today, reasons_for=need)


def _suggest(
    context: IdeaContext,
    need: Need,
    *,
    limit: int,
    today: datetime.date,
    reasons_for: Need | None = None,
) -> list[Suggestion]:
    """Rank with ``need`` over the feature cache; re-score the best few for their reasons
    (against ``reasons_for``, the idea's own need, when ``need`` narrows it)."""
    weights = current_weights()
    names = labels()
    explained = reasons_for or need
    results = []
    for record, total in features.top(need, today=today, limit=limit, weights=weights):
        candidate = record.candidate()
        result = scoring.score(candidate, explained, today=today, weights=weights, labels=names)
        assert math.isclose(result.total, total, abs_tol=1e-9), "ranking and scoring disagree"
        results.append(
            _organisation_suggestion(
                record,
                result,
                state=context.states.get(record.id, ("", "")),
                fills=scoring.fills_gap(candidate, explained),
            )
        )
    return results


def score_partner(
    *, idea: ProjectIdea, organisation: Organisation, today: datetime.date | None = None
) -> Suggestion | None:
    """One organisation scored against ``idea`` (None if it is not active)."""
    record = features.record(organisation.pk)
    if record is None:
        return None
    today = today or timezone.localdate()
    context = idea_context(idea)
    candidate = record.candidate()
    result = scoring.score(
        candidate, context.need, today=today, weights=current_weights(), labels=labels()
    )
    return _organisation_suggestion(
        record,
        result,
        state=context.states.get(record.id, ("", "")),
        fills=scoring.is_eligible(candidate, context.need)
        and scoring.fills_gap(candidate, context.need),
    )


def match_snapshot(idea: ProjectIdea, organisation: Organisation) -> tuple[int, dict, list] | None:
    """(score, components, reasons) of ``organisation`` for ``idea`` now, kept with an application."""
    match = score_partner(idea=idea, organisation=organisation)
    if match is None:
        return None
    return match.score, dict(match.components), list(match.reasons)


def suggest_ideas(
    *,
    organisation: Organisation,
    limit: int,
    user=None,
    today: datetime.date | None = None,
) -> list[Suggestion]:
    """The ``limit`` open ideas of other organisations that ``organisation`` suits best.

    The organisation is scored as a candidate against every open idea's Need
    at once (``need_matrix.top_k`` over the process's ``need_cache``); only
    the final few are re-scored with ``scoring.score`` for their reasons.
    Ideas it leads or is already a partner of, or whose call does not accept
    its country or kind, are left out; ideas it applied or was invited to
    keep their ``state``. ``user`` is accepted for the dashboard tag: every
    open idea of an active lead is visible to every user, so it filters
    nothing. Three queries with warm caches: the two cache stamps and the
    organisation's applications to the ideas found.
    """
    check_limit(limit)
    today = today or timezone.localdate()
    record = features.record(organisation.pk)
    if record is None:  # an inactive profile is not offered to anyone
        return []
    candidate = record.candidate()
    weights = current_weights()
    best = open_ideas.top(candidate, today=today, limit=limit, weights=weights)
    if not best:
        return []
    states = {
        idea_id: _state(status, kind)
        for idea_id, status, kind in PartnershipApplication.objects.filter(
            organisation_id=organisation.pk, idea_id__in=[entry.id for entry, _ in best]
        ).values_list("idea_id", "status", "kind")
    }
    names = labels()
    results = []
    for entry, total in best:
        result = scoring.score(candidate, entry.need, today=today, weights=weights, labels=names)
        assert math.isclose(result.total, total, abs_tol=1e-9), "ranking and scoring disagree"
        results.append(
            _make(
                result,
                pk=entry.id,
                slug=entry.slug,
                name=entry.title,
                country=entry.lead_country,
                url=reverse("projects:idea-detail", kwargs={"slug": entry.slug}),
                detail=entry.lead_name,
                state=states.get(entry.id, ("", "")),
            )
        )
        results[-1] = from_visitor_side(results[-1], need=entry.need, country=candidate.country)
    return results


def profile_need(record: Record, description: str = "") -> Need:
    """A Need built from an organisation's own profile, to find who complements it.

    Its themes, target groups and fields become the goals; its country and
    sector form the consortium; it seeks kinds from the other complementary
    sectors (public, NGO, education) and a partner from another country, as
    every international project needs one; English is the common language.
    """
    other_sectors = scoring.COMPLEMENTARY_SECTORS - {record.sector}
    return Need(
        lead_id=record.id,
        lead_experience=record.experience,
        member_ids=frozenset({record.id}),
        member_countries=frozenset({record.country}),
        member_sectors=frozenset({record.sector}),
        themes=frozenset(record.themes),
        target_groups=frozenset(record.target_groups),
        fields_sought=frozenset(record.fields),
        kinds_sought=frozenset(k for s in other_sectors for k in kinds_in_sector(s)),
        terms=record.terms,
        # The reason shows shared terms as the profile's description writes them.
        term_words=tuple(text.surface_words(description).items()),
        countries_needed=1,
        about="profile",
    )


def complementary_organisations(
    *, organisation: Organisation, limit: int, today: datetime.date | None = None
) -> list[Suggestion]:
    """Organisations from other countries and sectors that share this one's goals.

    One query (the cache stamp) with a warm cache; an inactive organisation gets none.
    """
    check_limit(limit)
    today = today or timezone.localdate()
    record = features.record(organisation.pk)
    if record is None:
        return []
    need = profile_need(record, organisation.description)
    weights = current_weights()
    names = labels()
    return [
        _organisation_suggestion(
            found,
            scoring.score(found.candidate(), need, today=today, weights=weights, labels=names),
        )
        for found in _complementary_top(need, today=today, limit=limit, weights=weights)
    ]


class _RankingMemo:
    """The ranked ids of recent profile needs, valid while the feature cache's
    snapshot stays the same (``features.generation``).

    A profile's complementary organisations are the same for every visitor until
    something changes, and ranking 100,000 candidates costs ~20 ms, so a profile
    viewed again pays only for re-scoring its five winners with reasons. Any
    change to any organisation moves the generation on and empties the memo; it
    holds at most ``SIZE`` profiles (about 150 bytes each).
    """

    SIZE = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._valid_for: tuple = ()
        self._ids: dict[tuple, list[int]] = {}

    def get(self, key: tuple, valid_for: tuple) -> list[int] | None:
        with self._lock:
            return self._ids.get(key) if valid_for == self._valid_for else None

    def put(self, key: tuple, valid_for: tuple, ids: list[int]) -> None:
        with self._lock:
            if valid_for != self._valid_for or len(self._ids) >= self.SIZE:
                self._valid_for, self._ids = valid_for, {}
            self._ids[key] = ids


_complementary_memo = _RankingMemo()


def _complementary_top(
    need: Need, *, today: datetime.date, limit: int, weights: Weights
) -> list[Record]:
    """``features.top`` for a profile need, memoised per snapshot of the feature cache.

    The caller has just read a record, so the cache has polled the change log and
    its generation is current.
    """
    key = (need.lead_id, today, limit)
    generation = features.generation
    valid_for = (generation, tuple(weights.items()))
    ids = _complementary_memo.get(key, valid_for)
    if ids is not None:
        records = features.records(ids)
        if features.generation == generation:  # nothing changed while reading them
            return [records[pk] for pk in ids]
    found = [
        record for record, _total in features.top(need, today=today, limit=limit, weights=weights)
    ]
    if features.generation == generation:  # ranked on the snapshot the key was read for
        _complementary_memo.put(key, valid_for, [record.id for record in found])
    return found


# --- Actions ----------------------------------------------------------------------


def dismissal_create(*, idea: ProjectIdea, organisation: Organisation, by) -> Dismissal:
    """Hide ``organisation`` from ``idea``'s suggestions (idempotent)."""
    with transaction.atomic():
        dismissal, _created = Dismissal.objects.get_or_create(
            idea=idea, organisation=organisation, defaults={"by": by}
        )
    return dismissal


def dismissal_undo(*, idea: ProjectIdea, organisation: Organisation) -> bool:
    """Show ``organisation`` among ``idea``'s suggestions again; False if it was not hidden."""
    deleted, _ = Dismissal.objects.filter(idea=idea, organisation=organisation).delete()
    return bool(deleted)


def dismissed_organisations(idea: ProjectIdea) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            pk__in=Dismissal.objects.filter(idea=idea).values("organisation_id")
        ).order_by("name")
    )


def find_idea(identifier: str) -> ProjectIdea:
    """The idea whose slug, or else exact title, is ``identifier``.

    Raises ProjectIdea.DoesNotExist, or MultipleObjectsReturned when several
    ideas share the title.
    """
    return _find(idea_queryset(), identifier, "title")


def find_organisation(identifier: str) -> Organisation:
    """The organisation whose slug, or else exact name, is ``identifier``."""
    return _find(Organisation.objects.all(), identifier, "name")


def _find(queryset, identifier: str, name_field: str):
    found = list(queryset.filter(Q(slug=identifier) | Q(**{name_field: identifier}))[:3])
    by_slug = [obj for obj in found if obj.slug == identifier]
    if by_slug:
        return by_slug[0]
    if not found:
        raise queryset.model.DoesNotExist(identifier)
    if len(found) > 1:
        raise queryset.model.MultipleObjectsReturned(identifier)
    return found[0]


def as_json(suggestions: Iterable[Suggestion]) -> list[dict]:
    return [suggestion.as_json() for suggestion in suggestions]
