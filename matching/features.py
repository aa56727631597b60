"""The thin database layer of matching: rows in, ``scoring`` dataclasses out.

Everything here reads flat value tuples (``values_list``), never model
instances per row, so 100,000 organisations load in a fixed number of
queries: one for the rows and one per many-to-many relation, read from the
through table joined to the small taxonomy table for the code.

Nothing here scores: ``matching.scoring`` and ``matching.ranking`` do that
over the ``Candidate`` and ``Need`` objects built here.
"""

from __future__ import annotations

import datetime
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from sys import intern

from django.db import connections, router
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.utils import timezone

from organisations.completeness import MIN_DESCRIPTION_CHARS, completeness
from organisations.models import SECTOR_OF_KIND, Organisation, Sector
from organisations.regions import region_country
from projects import eligibility
from projects.models import (
    CONSORTIUM_STATUSES,
    PartnershipApplication,
    PastParticipation,
    ProjectIdea,
)

from . import text
from .scoring import EXPERIENCE_CAP, Candidate, Need

#: The organisation's many-to-many relations matching reads, as Candidate attributes.
ORGANISATION_SETS = ("fields", "themes", "target_groups", "languages")
#: The idea's relations matching reads → the Need attribute each becomes.
IDEA_SETS = {"themes": "themes", "target_groups": "target_groups", "fields_sought": "fields_sought"}

_ROW_FIELDS = (
    "id",
    "slug",
    "name",
    "kind",
    "country",
    "city",
    "updated_at",
    "experience",
    "is_verified",
    "description",
    "search_text",
    "website",
    "email",
    "logo",
    # is_active and not hidden by staff moderation (annotated in load_records).
    "listed",
    "region",
)


@dataclass(frozen=True, slots=True)
class Record:
    """One organisation as the feature cache keeps it: compact, display-ready.

    Sets of codes are tuples of (interned) taxonomy codes and the text vector
    is its (interned) terms and an array of their weights, so a million
    records stay small (about 1 kB each); ``candidate()`` rebuilds the full
    ``scoring.Candidate`` for the few that are re-scored.
    """

    id: int
    slug: str
    name: str
    country: str
    city: str
    kind: str
    updated_on: datetime.date
    fields: tuple[str, ...]
    themes: tuple[str, ...]
    target_groups: tuple[str, ...]
    languages: tuple[str, ...]
    experience: str
    verified: bool
    completeness: float
    words: tuple[str, ...] = ()
    #: The words' weights, as unsigned 16-bit integers (``text.WEIGHT_SCALE``).
    weights: bytes = b""
    region: str = ""
    #: From its past projects: (programme code, number of projects, first year).
    past_programmes: tuple[tuple[str, int, int], ...] = ()
    past_themes: tuple[str, ...] = ()

    @property
    def terms(self) -> text.Terms:
        """The text vector (``text.vector``)."""
        return tuple(zip(self.words, memoryview(self.weights).cast("H"), strict=True))

    @property
    def sector(self) -> str:
        return str(SECTOR_OF_KIND.get(self.kind, Sector.OTHER))

    def candidate(self) -> Candidate:
        """The scoring view of this record."""
        return Candidate(
            id=self.id,
            slug=self.slug,
            name=self.name,
            kind=self.kind,
            sector=self.sector,
            country=self.country,
            updated_on=self.updated_on,
            fields=frozenset(self.fields),
            themes=frozenset(self.themes),
            target_groups=frozenset(self.target_groups),
            languages=frozenset(self.languages),
            experience=self.experience,
            verified=self.verified,
            completeness=self.completeness,
            terms=self.terms,
            region=self.region,
            past_programmes=frozenset(self.past_programmes),
            past_themes=frozenset(self.past_themes),
        )


def _organisation_codes(name: str, organisations: Q | None) -> dict[int, list[str]]:
    """organisation id → codes of one M2M relation, in one query over its through table."""
    field = Organisation._meta.get_field(name)
    through = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = through.objects.all()
    if organisations is not None:
        rows = rows.filter(
            **{f"{owner}__in": Organisation.objects.filter(organisations).values("pk")}
        )
    codes: dict[int, list[str]] = defaultdict(list)
    # A million (id, code) pairs: read through the DB-API cursor, skipping
    # Django's per-row machinery (neither column needs a converter).
    query = rows.values_list(f"{owner}_id", f"{target}__code").order_by().query
    sql, params = query.sql_with_params()
    with connections[router.db_for_read(through)].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(50_000):
            for organisation_id, code in chunk:
                codes[organisation_id].append(intern(code))
    return codes


def load_records(where: Q | None = None) -> tuple[list[Record], list[int]]:
    """Records of the active organisations matching ``where``, and inactive ids.

    One query for the rows, one per relation in ORGANISATION_SETS and one for
    past projects, however many rows match. ``where`` None loads every
    organisation and sets the term statistics (``text.corpus``) from their
    texts. Inactive rows come back only as ids, so an incremental refresh can
    drop them.
    """
    rows = Organisation.objects.all() if where is None else Organisation.objects.filter(where)
    # A profile hidden by staff is suggested to no one, like a deactivated one.
    rows = rows.annotate(
        listed=ExpressionWrapper(
            Q(is_active=True, hidden_at__isnull=True), output_field=BooleanField()
        )
    )
    # For a full load the through tables are read whole: cheaper than a join.
    sets = {name: _organisation_codes(name, where) for name in ORGANISATION_SETS}
    past = past_projects(where)
    return _records(_raw_rows(rows.order_by().values_list(*_ROW_FIELDS)), sets, past, where is None)


@dataclass
class Past:
    """An organisation's past projects as matching reads them."""

    programmes: tuple[tuple[str, int, int], ...] = ()
    themes: tuple[str, ...] = ()
    stems: list[str] = field(default_factory=list)


def past_projects(organisations: Q | None = None) -> dict[int, Past]:
    """organisation id → its past projects' programmes (code, count, first year), themes
    ("programme|theme" and "|theme") and text stems (titles, summaries); one query."""
    rows = PastParticipation.objects.all()
    if organisations is not None:
        rows = rows.filter(organisation__in=Organisation.objects.filter(organisations).values("pk"))
    projects: dict[int, dict[int, tuple[str, int, str, str]]] = defaultdict(dict)
    themes: dict[int, set[str]] = defaultdict(set)
    for organisation_id, project_id, code, year, title, summary, theme in rows.values_list(
        "organisation_id",
        "past_project_id",
        "past_project__programme__code",
        "past_project__year",
        "past_project__title",
        "past_project__summary",
        "past_project__themes__code",
    ).order_by():
        projects[organisation_id][project_id] = (code, year, title, summary)
        if theme is not None:
            themes[organisation_id].update((f"{code}|{theme}", f"|{theme}"))
    found: dict[int, Past] = {}
    for pk, by_project in projects.items():
        counts: dict[str, list[int]] = defaultdict(list)
        stems: list[str] = []
        for code, year, title, summary in by_project.values():
            counts[intern(code)].append(year)
            stems += map(intern, text.text_stems(title, summary))
        programmes = tuple(sorted((code, len(ys), min(ys)) for code, ys in counts.items()))
        found[pk] = Past(programmes, tuple(sorted(themes.get(pk, ()))), stems)
    return found


def co_partners(organisations: Iterable[int]) -> dict[int, list[tuple[int, str, str, int]]]:
    """organisation id → (partner id, title, programme code, year) of every past project
    it shared with another organisation, latest first; one query."""
    organisations = list(organisations)
    found: dict[int, list[tuple[int, str, str, int]]] = defaultdict(list)
    if not organisations:
        return found
    rows = (
        PastParticipation.objects.filter(organisation_id__in=organisations)
        .values_list(
            "organisation_id",
            "past_project__participations__organisation_id",
            "past_project__title",
            "past_project__programme__code",
            "past_project__year",
        )
        .order_by("-past_project__year", "-past_project_id")
    )
    for organisation_id, partner_id, title, programme, year in rows:
        if partner_id != organisation_id:
            found[organisation_id].append((partner_id, title, programme, year))
    return found


def _raw_rows(queryset):
    """The rows of a values_list queryset through the DB-API cursor, without converters.

    Django's converters cost more than the rest of the loader together at
    100,000 rows; ``_records`` converts the two columns that need it itself.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[router.db_for_read(Organisation)].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(20_000):
            yield from chunk


def _local_date(value, zone) -> datetime.date:
    if not isinstance(value, datetime.datetime):  # SQLite: text in UTC
        value = datetime.datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(zone).date()


_completeness_by_parts: dict[tuple[bool, ...], float] = {}


def _completeness(description, fields, themes, groups, languages, website, email, logo) -> float:
    """``organisations.completeness`` ratio, memoised on which parts are present.

    The ratio depends only on that, and computing it builds translated
    "missing" labels that the loader does not need, 100,000 times over.
    """
    parts = (
        len(description.strip()) >= MIN_DESCRIPTION_CHARS,
        fields > 0, themes > 0, groups > 0, languages > 0,
        bool(website), bool(email), bool(logo),
    )  # fmt: skip
    ratio = _completeness_by_parts.get(parts)
    if ratio is None:
        ratio = _completeness_by_parts[parts] = completeness(
            description=description,
            fields=fields,
            themes=themes,
            target_groups=groups,
            languages=languages,
            website=website,
            email=email,
            logo=logo,
        ).ratio
    return ratio


#: Past projects from which the track record says "experienced" (fewer: "some").
EXPERIENCED_FROM = 3


def _experience(declared: str, past: tuple[tuple[str, int, int], ...]) -> str:
    """The level the track record shows, where there is one; else the declared level."""
    if not past:
        return intern(declared)
    return "experienced" if sum(count for _c, count, _s in past) >= EXPERIENCED_FROM else "some"


def _records(rows, sets: Mapping[str, Mapping[int, list[str]]], past, full: bool):
    records: list[Record] = []
    inactive: list[int] = []
    local_tz = timezone.get_current_timezone()

    def codes(name: str, pk: int) -> tuple[str, ...]:
        found = sets[name].get(pk)
        if not found:
            return ()
        return tuple(found)

    texts: list[list[str]] = []
    rows_of: list[tuple] = []
    for (pk, slug, name, kind, country, city, updated_at, experience, verified,
         description, document, website, email, logo, active, region) in rows:  # fmt: skip
        if not active:
            inactive.append(pk)
            continue
        history = past.get(pk) or Past()
        # Interned: a million texts share one string per distinct stem.
        stems = [intern(s) for s in text.stems_of(document, text=description, without=city)]
        texts.append(stems + history.stems)
        fields, themes = codes("fields", pk), codes("themes", pk)
        groups, languages = codes("target_groups", pk), codes("languages", pk)
        complete = _completeness(description, len(fields), len(themes), len(groups),
                                 len(languages), website, email, logo or "")  # fmt: skip
        # Only what the record keeps: the descriptions are not held for the second pass.
        rows_of.append((pk, slug, name, str(country), city, intern(kind),
                        _local_date(updated_at, local_tz), fields, themes, groups, languages,
                        _experience(experience, history.programmes), bool(verified), complete,
                        intern(region or ""), history.programmes, history.themes))  # fmt: skip
    if full:
        text.set_corpus(text.Corpus(texts))
    corpus = text.corpus() if text.corpus().size else text.Corpus(texts)
    for i, row in enumerate(rows_of):
        terms = text.vector(texts[i], corpus)
        texts[i] = []  # freed as it goes
        words, weights = tuple(t for t, _w in terms), array("H", [w for _t, w in terms])
        records.append(Record(*row[:14], words, weights.tobytes(), *row[14:]))
    return records, inactive


def load_candidates(queryset: QuerySet | None = None) -> list[Candidate]:
    """``scoring.Candidate`` for each active organisation of ``queryset`` (default: all)."""
    where = None if queryset is None else Q(pk__in=queryset.values("pk"))
    return [record.candidate() for record in load_records(where)[0]]


# --- Needs ----------------------------------------------------------------------


def idea_queryset() -> QuerySet:
    """Ideas with what ``need_for_idea`` reads from related rows, in the same query."""
    return ProjectIdea.objects.select_related("lead", "call__programme", "language", "programme")


def idea_codes(ideas: Iterable[int] | QuerySet) -> dict[int, dict[str, set[str]]]:
    """idea id → {Need attribute → codes} for ``ideas``, in one query; unknown ids map to {}.

    ``ideas`` is a few ids, or a subquery of idea pks (``.values("pk")``), which
    keeps thousands of ids out of the query's parameters. The three through
    tables are read as one UNION of (idea, relation, code) rows.
    """
    result: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    if not isinstance(ideas, QuerySet):
        ideas = list(ideas)
        if not ideas:
            return result
    parts = []
    for name, attribute in IDEA_SETS.items():
        field = ProjectIdea._meta.get_field(name)
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        parts.append(
            field.remote_field.through.objects.filter(**{f"{owner}_id__in": ideas})
            .annotate(relation=Value(attribute))
            .values_list(f"{owner}_id", "relation", f"{target}__code")
            .order_by()
        )
    for idea_id, relation, code in parts[0].union(*parts[1:], all=True):
        result[idea_id][relation].add(code)
    return result


@dataclass(frozen=True, slots=True)
class Member:
    """An organisation of a consortium as a Need needs it."""

    id: int
    name: str
    country: str
    kind: str


def build_need(
    idea: ProjectIdea,
    *,
    codes: Mapping[str, set[str]],
    partners: Iterable[Member],
    lead_experience: str | None = None,
    exclude: Iterable[int] = (),
    history: Mapping[int, list[tuple[int, str, str, int]]] | None = None,
) -> Need:
    """The Need of ``idea``: what it seeks, its consortium, and what its call still requires.

    ``partners`` are the accepted partners (not the lead); ``exclude`` adds
    organisations that must not be suggested (dismissed ones) to the hard filter.
    ``history`` is ``co_partners`` of the lead and partners (read here, in one
    query, when not given). The rules themselves are applied by ``need_for``,
    over plain data.
    """
    lead = idea.lead
    partners = list(partners)
    if history is None:
        history = co_partners([lead.pk, *(p.id for p in partners)])
    programme = idea.programme or (idea.call.programme if idea.call_id is not None else None)
    return need_for(
        programme=programme.code if programme is not None else "",
        lead_history=history.get(lead.pk, ()),
        member_history=[row for p in partners for row in history.get(p.id, ())],
        lead=Member(lead.pk, lead.name, str(lead.country), lead.kind),
        lead_experience=lead_experience or lead.experience,
        partners=partners,
        rules=idea.call.rules if idea.call_id is not None else None,
        themes=codes.get("themes", ()),
        target_groups=codes.get("target_groups", ()),
        fields_sought=codes.get("fields_sought", ()),
        kinds_sought=idea.kinds_sought,
        countries_sought=[str(c.code) for c in idea.countries_sought],
        language=idea.language.code if idea.language_id else None,
        texts=(idea.title, idea.summary, idea.goals),
        exclude=exclude,
    )


def need_for(
    *,
    lead: Member,
    lead_experience: str,
    partners: Iterable[Member] = (),
    rules: eligibility.Rules | None = None,
    themes: Iterable[str] = (),
    target_groups: Iterable[str] = (),
    fields_sought: Iterable[str] = (),
    kinds_sought: Iterable[str] = (),
    countries_sought: Iterable[str] = (),
    language: str | None = None,
    texts: Iterable[str] = (),
    corpus: text.Corpus | None = None,
    exclude: Iterable[int] = (),
    programme: str = "",
    lead_history: Iterable[tuple[int, str, str, int]] = (),
    member_history: Iterable[tuple[int, str, str, int]] = (),
) -> Need:
    """A Need from plain data: the one place the call's rules become matching's hard
    filters, gap-filling countries and country credits.

    ``lead_history`` and ``member_history`` are (partner id, title, programme,
    year) of the past projects of the lead and of the other members, latest first.

    ``build_need`` calls it for an idea in the database; the quality cases
    call it directly, so they are built exactly as the site builds its needs.
    """
    lead_history, member_history = list(lead_history), list(member_history)
    texts = tuple(texts)
    terms, shown = text.vector(text.text_stems(*texts), corpus), text.surface_words(*texts)
    members = [lead, *partners]
    required: frozenset[str] = frozenset()
    countries_needed = 0
    eligible_countries: frozenset[str] = frozenset()
    allowed_kinds: frozenset[str] = frozenset()
    group_label = ""
    fill = eligibility.Filling()
    partners_allowed = True
    eligible_regions: frozenset[str] = frozenset()
    if rules is not None:
        consortium = [
            eligibility.Member(name=m.name, country=m.country, kind=m.kind, is_lead=i == 0)
            for i, m in enumerate(members)
        ]
        verdict = eligibility.shortfall(consortium, rules)
        countries_needed = verdict.countries_needed
        if verdict.missing_groups:
            required = frozenset(
                c.upper() for group, _text in verdict.missing_groups for c in group
            )
            group_label = " / ".join(text for _group, text in verdict.missing_groups)
        eligible_countries = frozenset(c.upper() for c in rules.eligible_countries)
        allowed_kinds = frozenset(rules.allowed_kinds)
        partners_allowed = rules.partners_allowed
        fill = eligibility.filling(consortium, rules)
        eligible_regions = frozenset(code.upper() for code in rules.eligible_regions)
    return Need(
        lead_id=lead.id,
        lead_experience=lead_experience,
        member_ids=frozenset(m.id for m in members) | frozenset(exclude),
        member_countries=frozenset(m.country for m in members),
        member_sectors=frozenset(str(SECTOR_OF_KIND.get(m.kind, Sector.OTHER)) for m in members),
        themes=frozenset(themes),
        target_groups=frozenset(target_groups),
        fields_sought=frozenset(fields_sought),
        kinds_sought=frozenset(kinds_sought),
        countries_sought=frozenset(countries_sought),
        language=language,
        terms=terms,
        term_words=tuple((term, shown[term]) for term, _weight in terms if term in shown),
        eligible_countries=eligible_countries,
        allowed_kinds=allowed_kinds,
        countries_needed=countries_needed,
        required_countries=required,
        required_group_label=group_label,
        fill_countries=fill.countries,
        fill_others=fill.others,
        fill_excluded=fill.others_excluded,
        partners_allowed=partners_allowed,
        eligible_regions=eligible_regions,
        region_countries=frozenset(region_country(code) for code in eligible_regions),
        programme=programme,
        lead_partners=frozenset(row[0] for row in lead_history),
        member_partners=frozenset(row[0] for row in member_history),
        lead_projects=_latest_per_partner(lead_history),
        lead_shared=_shared_counts(lead_history),
    )


def _shared_counts(history: Iterable[tuple[int, str, str, int]]) -> frozenset[tuple[int, int]]:
    """(partner, projects shared) for partners met more than once, capped as the curve is."""
    counts: dict[int, int] = defaultdict(int)
    for row in history:
        counts[row[0]] += 1
    return frozenset((pk, min(n, EXPERIENCE_CAP)) for pk, n in counts.items() if n > 1)


def _latest_per_partner(history: Iterable[tuple[int, str, str, int]]):
    """The first (latest) project per partner, for the reason."""
    seen: dict[int, tuple[int, str, str, int]] = {}
    for row in history:
        seen.setdefault(row[0], row)
    return tuple(seen.values())


def applications_of(ideas: Iterable[int], *, organisation: int | None = None):
    """(idea, organisation, name, country, kind, status, application kind) rows, one query.

    The consortium partners of ``ideas``; with ``organisation``, that
    organisation's own applications and invitations too (for the state shown).
    """
    wanted = Q(status__in=CONSORTIUM_STATUSES)
    if organisation is not None:
        wanted |= Q(organisation_id=organisation)
    return (
        PartnershipApplication.objects.filter(wanted, idea_id__in=list(ideas))
        .order_by()
        .values_list(
            "idea_id",
            "organisation_id",
            "organisation__name",
            "organisation__country",
            "organisation__kind",
            "status",
            "kind",
        )
    )


def in_consortium(status: str) -> bool:
    return status in CONSORTIUM_STATUSES
