"""The idea list's index: every idea as a few NumPy columns, like the directory's facet index.

At 10,000 ideas the list page spent its time in the database joining each
idea to its lead for the visibility rule, once for the page, once for the
count and once per facet. Here each process keeps one compact row per idea —
status, closing date, hidden, its lead and whether the lead is listed, the
lead's country, programme, call, created, title order, a 64-bit mask of its
themes and of its target groups, and a row of booleans for the countries and
kinds of partner it seeks — so the visibility rule, every filter, the sorts
and the seven facet counts are vectorised passes over 10,000 rows. The
database answers the words (``partnerhub.search``, one statement) and loads
the 20 ideas of the page through the view's scoped queryset.

It stays current through the change log (``partnerhub.changes``): each use
polls the log (one indexed query) and reloads the ideas it names, the ideas
led by the organisations it names (a lead hidden or moved to another
country), and the calls when a call changed; a renamed or deleted taxonomy
term rebuilds the index in the background. "Open" is decided against today's
date at each request, so a new day needs no reload.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, replace

import numpy as np
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from organisations.directory import bit_counts
from organisations.models import Kind, Organisation
from organisations.taxonomy import Programme, TargetGroup, Theme
from partnerhub import changes
from partnerhub.search import normalise

from .models import Call, IdeaStatus, ProjectIdea

#: Every value a status, a country or a kind sought can take: fixed columns.
STATUSES = list(IdeaStatus.values)
COUNTRIES = [code for code, _name in countries]
KINDS = list(Kind.values)
_STATUS = {value: i for i, value in enumerate(STATUSES)}
_COUNTRY = {code: i for i, code in enumerate(COUNTRIES)}
_KIND = {code: i for i, code in enumerate(KINDS)}
#: Relation of ProjectIdea → its term model, each kept as one uint64 bit mask.
RELATIONS = {"themes": Theme, "target_groups": TargetGroup}


def _codes(value) -> list[str]:
    """Codes from a list-valued column, whether the backend returns a list or the raw string."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(getattr(item, "code", item)) for item in value if item]


@dataclass(frozen=True)
class IdeaColumns:
    ids: np.ndarray  # int64, ascending
    status: np.ndarray  # int8 index into STATUSES
    closes: np.ndarray  # int32 proleptic ordinal of closes_on
    hidden: np.ndarray  # bool: hidden by staff moderation
    lead: np.ndarray  # int64 lead organisation id
    lead_public: np.ndarray  # bool: the lead is active and not hidden
    lead_country: np.ndarray  # int16 index into COUNTRIES (-1: unknown)
    programme: np.ndarray  # int64 programme id (0: none)
    call: np.ndarray  # int64 call id (0: none)
    created: np.ndarray  # float64 epoch seconds
    titles: np.ndarray  # object: titles, for the title order
    masks: dict[str, np.ndarray]  # relation → uint64 bit mask per row
    countries_sought: np.ndarray  # bool (rows × COUNTRIES)
    kinds_sought: np.ndarray  # bool (rows × KINDS)
    title_rank: np.ndarray  # int64 position in title order

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class IdeaVocabulary:
    """The terms and calls the facets name, in their display order."""

    terms: dict[str, list]  # relation → terms in (position, code) order (bit = index)
    programmes: list  # Programme rows in (position, code) order
    calls: list[Call]  # in (deadline, code) order

    def bit_of(self, relation: str) -> dict[int, int]:
        return {term.pk: i for i, term in enumerate(self.terms[relation][:64])}


def _epoch(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.timestamp()


def _ordinal(value) -> int:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.toordinal()


@functools.lru_cache(maxsize=65_536)
def _title_key(title: str) -> tuple[str, str]:
    return normalise(title), title


def _title_rank(titles: np.ndarray) -> np.ndarray:
    order = sorted(range(len(titles)), key=lambda i: _title_key(titles[i]))
    rank = np.empty(len(titles), dtype=np.int64)
    rank[order] = np.arange(len(titles))
    return rank


def load_vocabulary() -> IdeaVocabulary:
    terms = {
        name: list(model.objects.order_by("position", "code")) for name, model in RELATIONS.items()
    }
    return IdeaVocabulary(
        terms=terms,
        programmes=list(Programme.objects.order_by("position", "code")),
        calls=list(Call.objects.order_by("deadline", "code")),
    )


def load_columns(vocabulary: IdeaVocabulary, where: Q | None = None) -> IdeaColumns:
    """The rows of the ideas ``where`` selects (all without it), ascending by id."""
    rows = ProjectIdea.objects.order_by("pk")
    if where is not None:
        rows = rows.filter(where)
    data = list(
        rows.values_list(
            "pk",
            "status",
            "closes_on",
            "hidden_at",
            "lead_id",
            "lead__is_active",
            "lead__hidden_at",
            "lead__country",
            "programme_id",
            "call_id",
            "created_at",
            "title",
            "countries_sought",
            "kinds_sought",
        )
    )
    n = len(data)
    ids = np.fromiter((r[0] for r in data), dtype=np.int64, count=n)
    countries_sought = np.zeros((n, len(COUNTRIES)), dtype=bool)
    kinds_sought = np.zeros((n, len(KINDS)), dtype=bool)
    for i, r in enumerate(data):
        for code in _codes(r[12]):
            if code in _COUNTRY:
                countries_sought[i, _COUNTRY[code]] = True
        for code in _codes(r[13]):
            if code in _KIND:
                kinds_sought[i, _KIND[code]] = True
    masks = {name: np.zeros(n, dtype=np.uint64) for name in RELATIONS}
    for name in RELATIONS:
        field = ProjectIdea._meta.get_field(name)
        through = field.remote_field.through
        owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        links = through.objects.all()
        if where is not None:
            links = links.filter(**{f"{owner}__in": [int(pk) for pk in ids]})
        pairs = np.array(list(links.values_list(owner, target)), dtype=np.int64).reshape(-1, 2)
        if not len(pairs) or not n:
            continue
        position = np.searchsorted(ids, pairs[:, 0])
        ok = (position < n) & (ids[np.minimum(position, n - 1)] == pairs[:, 0])
        bit_of = vocabulary.bit_of(name)
        bits = np.array([bit_of.get(int(t), -1) for t in pairs[:, 1]], dtype=np.int64)
        ok &= bits >= 0
        np.bitwise_or.at(
            masks[name], position[ok], np.left_shift(np.uint64(1), bits[ok].astype(np.uint64))
        )
    titles = np.array([r[11] for r in data], dtype=object)
    return IdeaColumns(
        ids=ids,
        status=np.fromiter((_STATUS.get(r[1], -1) for r in data), dtype=np.int8, count=n),
        closes=np.fromiter((_ordinal(r[2]) for r in data), dtype=np.int32, count=n),
        hidden=np.fromiter((r[3] is not None for r in data), dtype=bool, count=n),
        lead=np.fromiter((r[4] for r in data), dtype=np.int64, count=n),
        lead_public=np.fromiter((bool(r[5]) and r[6] is None for r in data), dtype=bool, count=n),
        lead_country=np.fromiter(
            (_COUNTRY.get(str(r[7] or ""), -1) for r in data), dtype=np.int16, count=n
        ),
        programme=np.fromiter((r[8] or 0 for r in data), dtype=np.int64, count=n),
        call=np.fromiter((r[9] or 0 for r in data), dtype=np.int64, count=n),
        created=np.fromiter((_epoch(r[10]) for r in data), dtype=np.float64, count=n),
        titles=titles,
        masks=masks,
        countries_sought=countries_sought,
        kinds_sought=kinds_sought,
        title_rank=_title_rank(titles),
    )


def _merge(old: IdeaColumns, fresh: IdeaColumns, reloaded: np.ndarray) -> IdeaColumns:
    """``old`` without the ``reloaded`` ids, plus ``fresh`` (what of them still exists)."""
    keep = ~np.isin(old.ids, reloaded)
    parts = {}
    for name in (
        "ids", "status", "closes", "hidden", "lead", "lead_public", "lead_country",
        "programme", "call", "created", "titles", "countries_sought", "kinds_sought",
    ):  # fmt: skip
        parts[name] = np.concatenate([getattr(old, name)[keep], getattr(fresh, name)])
    masks = {name: np.concatenate([old.masks[name][keep], fresh.masks[name]]) for name in RELATIONS}
    order = np.argsort(parts["ids"], kind="stable")
    parts = {name: values[order] for name, values in parts.items()}
    return IdeaColumns(
        **parts,
        masks={name: values[order] for name, values in masks.items()},
        title_rank=_title_rank(parts["titles"]),
    )


class IdeaIndex(changes.RefreshingCache):
    """The process's idea index; ``current()`` returns columns no older than the change log."""

    def __init__(self) -> None:
        super().__init__()
        self._snapshot: tuple[IdeaColumns, IdeaVocabulary] | None = None

    def current(self) -> tuple[IdeaColumns, IdeaVocabulary]:
        with self._lock:
            self._current()
            assert self._snapshot is not None
            return self._snapshot

    def warm(self) -> int:
        return len(self.current()[0])

    def __len__(self) -> int:
        return len(self._snapshot[0]) if self._snapshot else 0

    # --- the refresh protocol ---------------------------------------------------

    def is_built(self) -> bool:
        return self._snapshot is not None

    def forget(self) -> None:
        self._snapshot = None

    def build(self, context=None):
        vocabulary = load_vocabulary()
        return load_columns(vocabulary), vocabulary

    def install(self, snapshot, context=None) -> None:
        self._snapshot = snapshot

    def patch(self, batch: changes.Batch) -> bool:
        ideas, leads = batch.of(changes.IDEA), batch.of(changes.ORGANISATION)
        calls = batch.of(changes.CALL)
        if not (ideas or leads or calls):
            return True
        columns, vocabulary = self._snapshot
        if calls or ideas:
            # Small: the calls the facet names (a new call is not logged until an idea uses it).
            vocabulary = replace(
                vocabulary,
                calls=list(Call.objects.order_by("deadline", "code")),
            )
        where = Q(pk__in=list(ideas)) | Q(lead__in=list(leads)) | Q(call__in=list(calls))
        fresh = load_columns(vocabulary, where)
        reloaded = np.union1d(
            np.array(sorted(ideas), dtype=np.int64),
            np.union1d(
                fresh.ids,
                columns.ids[np.isin(columns.lead, np.array(sorted(leads), dtype=np.int64))],
            ),
        )
        if len(reloaded):  # (an organisation leading no idea changes nothing here)
            columns = _merge(columns, fresh, reloaded)
        self._snapshot = (columns, vocabulary)
        return True


#: The one index of this process.
idea_index = IdeaIndex()


# -- the list ----------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a visitor asked of the list, already validated by ``IdeaFilter``."""

    staff: bool = False
    mine: frozenset[int] = frozenset()  # organisations the visitor belongs to
    status: str = ""  # "", open, closed, draft
    programmes: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    countries_sought: tuple[str, ...] = ()
    kinds_sought: tuple[str, ...] = ()
    lead_countries: tuple[str, ...] = ()
    closing_within: int | None = None
    #: From the text search: None without words, else (matching ids, ids with every word
    #: in the title, ids with every word in the taxonomy labels).
    text: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    sort: str = "closing"  # closing, newest, relevance


@dataclass(frozen=True)
class IdeaResult:
    ids: np.ndarray  # the ideas in display order
    counts: dict[str, dict]  # facet → value (term id / code) → count


def select(columns: IdeaColumns, vocabulary: IdeaVocabulary, s: Selection, today) -> IdeaResult:
    """The visible ideas ``s`` asks for, in order, and the facet counts over them."""
    n = len(columns)
    day = today.toordinal()
    status = columns.status
    open_ = (status == _STATUS[IdeaStatus.OPEN]) & (columns.closes >= day)
    draft = status == _STATUS[IdeaStatus.DRAFT]
    mine = np.isin(columns.lead, np.fromiter(s.mine, dtype=np.int64, count=len(s.mine)))
    if s.staff:
        chosen = np.ones(n, dtype=bool)
    else:
        published = np.isin(
            status, [_STATUS[v] for v in (IdeaStatus.OPEN, IdeaStatus.CLOSED, IdeaStatus.ARCHIVED)]
        )
        chosen = (published & columns.lead_public & ~columns.hidden) | mine
    if s.status == IdeaStatus.OPEN:
        chosen &= open_ & ~columns.hidden
    elif s.status == IdeaStatus.CLOSED:
        chosen &= (status == _STATUS[IdeaStatus.CLOSED]) | (
            (status == _STATUS[IdeaStatus.OPEN]) & (columns.closes < day)
        )
    elif s.status == IdeaStatus.DRAFT:
        chosen &= mine & draft
    else:
        chosen &= open_ | (draft & mine)

    def among(values: np.ndarray, wanted) -> np.ndarray:
        return np.isin(values, np.array(sorted(wanted), dtype=values.dtype))

    if s.programmes:
        wanted = {p.pk for p in vocabulary.programmes if p.code in s.programmes}
        chosen &= among(columns.programme, wanted)
    if s.calls:
        wanted = {call.pk for call in vocabulary.calls if call.code in s.calls}
        chosen &= among(columns.call, wanted)
    for relation, codes in (("themes", s.themes), ("target_groups", s.target_groups)):
        if codes:
            bits = 0
            for i, term in enumerate(vocabulary.terms[relation][:64]):
                if term.code in codes:
                    bits |= 1 << i
            chosen &= (columns.masks[relation] & np.uint64(bits)) != 0
    if s.countries_sought:
        cols = [_COUNTRY[c] for c in s.countries_sought if c in _COUNTRY]
        chosen &= columns.countries_sought[:, cols].any(axis=1)
    if s.kinds_sought:
        cols = [_KIND[k] for k in s.kinds_sought if k in _KIND]
        chosen &= columns.kinds_sought[:, cols].any(axis=1)
    if s.lead_countries:
        chosen &= among(columns.lead_country, {_COUNTRY.get(c, -2) for c in s.lead_countries})
    if s.closing_within is not None:
        chosen &= columns.closes <= day + s.closing_within
    rank = None
    if s.text is not None:
        matched, in_title, in_labels = s.text
        chosen &= np.isin(columns.ids, matched)
        rank = 2 * np.isin(columns.ids, in_title) + (
            np.isin(columns.ids, in_labels) & ~np.isin(columns.ids, in_title)
        )
    positions = np.flatnonzero(chosen)
    ids = columns.ids[positions]
    if s.sort == "newest":
        order = np.lexsort((ids, -columns.created[positions]))
    elif s.sort == "relevance" and rank is not None:
        order = np.lexsort((ids, columns.closes[positions], -rank[positions]))
    else:
        order = np.lexsort((ids, columns.title_rank[positions], columns.closes[positions]))
    return IdeaResult(ids=ids[order], counts=_counts(columns, vocabulary, positions))


def _counts(columns: IdeaColumns, vocabulary: IdeaVocabulary, positions) -> dict[str, dict]:
    def by_id(values: np.ndarray) -> dict[int, int]:
        found, counts = np.unique(values[values != 0], return_counts=True)
        return {int(v): int(c) for v, c in zip(found, counts, strict=True)}

    def by_bit(relation: str) -> dict[int, int]:
        terms = vocabulary.terms[relation][:64]
        per_bit = bit_counts(columns.masks[relation][positions], len(terms))
        return {term.pk: int(c) for term, c in zip(terms, per_bit, strict=True) if c}

    def by_column(matrix: np.ndarray, codes: list[str]) -> dict[str, int]:
        sums = matrix[positions].sum(axis=0)
        return {code: int(c) for code, c in zip(codes, sums, strict=True) if c}

    lead_countries = columns.lead_country[positions]
    found, counts = np.unique(lead_countries[lead_countries >= 0], return_counts=True)
    return {
        "programme": by_id(columns.programme[positions]),
        "call": by_id(columns.call[positions]),
        "theme": by_bit("themes"),
        "target_group": by_bit("target_groups"),
        "country_sought": by_column(columns.countries_sought, COUNTRIES),
        "kind_sought": by_column(columns.kinds_sought, KINDS),
        "lead_country": {COUNTRIES[int(v)]: int(c) for v, c in zip(found, counts, strict=True)},
    }


def member_organisations(user) -> frozenset[int]:
    """Ids of the organisations ``user`` belongs to (none when signed out)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(Organisation.objects.member_of(user).values_list("pk", flat=True))


def newest_open_ideas(user, *, limit: int) -> tuple[list[int], int]:
    """The home page's ideas: ids of the ``limit`` newest open ideas ``user`` may see
    (newest first), and how many open ideas anyone may see."""
    columns, vocabulary = idea_index.current()
    today = timezone.localdate()
    staff = user.is_authenticated and user.is_staff
    selection = Selection(
        staff=staff, mine=member_organisations(user), status=IdeaStatus.OPEN, sort="newest"
    )
    newest = select(columns, vocabulary, selection, today).ids[:limit]
    public = select(columns, vocabulary, Selection(status=IdeaStatus.OPEN), today)
    return [int(pk) for pk in newest], len(public.ids)


def warm_search() -> tuple[int, int]:
    """Build both search indexes of this process now: (organisations, ideas) held."""
    from organisations.directory import directory_index

    organisations, _vocabulary = directory_index.current()
    return len(organisations.ids), idea_index.warm()
