# ruff: noqa: S608 - SQL is built from table and column names in code; user input is always a parameter
"""The partner directory's facet index: every organisation as a few NumPy columns.

Facet counts are what made the directory slow: each of ten filters needs its
counts over the results filtered by all the *other* filters, and at 100,000
organisations (a million taxonomy links) ten aggregate queries over the
through tables cost most of a second. Here each process keeps one compact
row per organisation — country, kind, experience, verified, public, open
ideas, updated, completeness, name order, and one 64-bit mask per taxonomy —
so filters are boolean masks and every facet count is one vectorised pass.

The database still does the text search (``partnerhub.search``): one query
returns the ids and scores of the matching organisations, which become one
more mask.

Kept current by the change log every cache reads (``partnerhub.changes``):
the database's triggers log an organisation whenever its row, one of its
relations or one of the ideas it leads (``LEAD``) is written, by any path: a
form, the admin, ``bulk_create``, ``QuerySet.update()`` or raw SQL. Every use
of the index polls the log (one indexed query) and reloads the organisations
it names into a new snapshot; a renamed taxonomy term or a bulk change
rebuilds it in the background, a new day (ideas close by date) before the
day's first request. ``updated_at``, which visitors read as "updated 3 days
ago", means nothing here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.utils import timezone

from partnerhub import changes

from .completeness import MIN_DESCRIPTION_CHARS, PARTS
from .models import Kind, Organisation
from .search_index import kind_labels
from .taxonomy import FieldOfActivity, Language, Programme, TargetGroup, Theme

#: Relation of Organisation → its term model, each kept as one uint64 bit mask.
RELATIONS = {
    "fields": FieldOfActivity,
    "themes": Theme,
    "target_groups": TargetGroup,
    "languages": Language,
    "programmes": Programme,
}
_TOTAL_WEIGHT = sum(weight for weight, _label in PARTS.values())


@dataclass
class Columns:
    ids: np.ndarray  # int64, ascending
    public: np.ndarray  # bool: what anonymous visitors see (QuerySet.active())
    verified: np.ndarray
    country: np.ndarray  # int32 index into `countries`
    kind: np.ndarray  # int32 index into `kinds`
    experience: np.ndarray  # int32 index into `experiences`
    updated: np.ndarray  # float64 epoch seconds
    completeness: np.ndarray  # float32 0..1
    names: np.ndarray  # object: normalised names, for the name order
    masks: dict[str, np.ndarray]  # relation → uint64 bit mask per row
    open_ideas: np.ndarray  # bool: leads at least one open idea
    idea_programmes: np.ndarray  # uint64 programme mask of its open ideas
    past_programmes: np.ndarray  # uint64 programme mask of its past projects (track record)
    #: sort → every row's position in that order (computed once per snapshot by ``rank``).
    orders: dict[str, np.ndarray] = field(default_factory=dict)

    def rank_names(self) -> None:
        """Precompute the sorts that do not depend on the words typed.

        A page then orders its results by one boolean gather over the
        precomputed order instead of sorting up to 100,000 rows per request.
        """
        self.orders = {
            "name": np.lexsort((self.ids, self.names)),
            "updated": np.lexsort((self.ids, -self.updated)),
            "completeness": np.lexsort((self.ids, -self.updated, -self.completeness)),
        }

    def ordered(self, selected: np.ndarray, sort: str) -> np.ndarray:
        """Positions of the ``selected`` rows in the order ``sort`` (not relevance)."""
        order = self.orders.get(sort, self.orders["updated"])
        return order[selected[order]]


@dataclass(frozen=True)
class Vocabulary:
    """Codes of each vocabulary and their bit, plus the value tables of the scalar columns."""

    bits: dict[str, dict[int, int]]  # relation → term id → bit
    codes: dict[str, list[str]]  # relation → bit → code
    countries: list[str]
    kinds: list[str]
    experiences: list[str]
    #: relation → bit → the stems of its labels in the three languages, one tuple per label
    label_stems: dict[str, list[tuple[tuple[str, ...], ...]]] = field(default_factory=dict)

    def label_hits(self, columns: Columns, stems: tuple[str, ...]) -> np.ndarray:
        """Rows carrying a code (or kind) one of whose labels holds ``stems`` in that order."""
        hit = np.zeros(len(columns.ids), dtype=bool)
        for relation, per_bit in self.label_stems.items():
            wanted = 0
            for bit, labels in enumerate(per_bit):
                if any(_contains(label, stems) for label in labels):
                    wanted |= 1 << bit
            if not wanted:
                continue
            if relation == "kind":
                hit |= np.isin(columns.kind, [i for i in range(len(self.kinds)) if wanted >> i & 1])
            else:
                hit |= (columns.masks[relation] & np.uint64(wanted)) != 0
        return hit


def _contains(label: tuple[str, ...], stems: tuple[str, ...]) -> bool:
    n = len(stems)
    return any(label[i : i + n] == stems for i in range(len(label) - n + 1))


def _label_stems(*labels: str) -> tuple[tuple[str, ...], ...]:
    from partnerhub import search

    return tuple(tuple(search.stems(label)) for label in labels if label)


class _Values:
    """Assigns a small integer to each distinct value of a column, growing as new ones appear."""

    def __init__(self, values: list[str] | None = None) -> None:
        self.values: list[str] = list(values or [])
        self.index = {v: i for i, v in enumerate(self.values)}

    def __call__(self, value: str) -> int:
        value = str(value or "")
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


def _as_epoch(value) -> float:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is None:
        return 0.0
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.timestamp()


class _Loader:
    """Reads organisations into Columns; owns the growing value tables and the term bits."""

    def __init__(self) -> None:
        bits, codes, label_stems = {}, {}, {}
        for name, model in RELATIONS.items():
            terms = list(
                model.objects.order_by("position", "code").values_list(
                    "pk", "code", "name_en", "name_lv", "name_lt"
                )[:64]
            )
            bits[name] = {term[0]: i for i, term in enumerate(terms)}
            codes[name] = [term[1] for term in terms]
            label_stems[name] = [_label_stems(*term[2:]) for term in terms]
        self._countries, self._kinds, self._experiences = _Values(), _Values(), _Values()
        for kind in Kind.values:
            self._kinds(kind)
        self._bits, self._codes, self._label_stems = bits, codes, label_stems

    def vocabulary(self) -> Vocabulary:
        label_stems = dict(self._label_stems)
        label_stems["kind"] = [_label_stems(*kind_labels(kind)) for kind in self._kinds.values]
        return Vocabulary(
            self._bits,
            self._codes,
            list(self._countries.values),
            list(self._kinds.values),
            list(self._experiences.values),
            label_stems,
        )

    def load(self, where: Q | None) -> Columns:
        rows = Organisation.objects.order_by("pk")
        if where is not None:
            rows = rows.filter(where)
        public = set(
            (rows.filter(pk__in=Organisation.objects.active().values("pk"))).values_list(
                "pk", flat=True
            )
        )
        data = list(
            rows.annotate(description_length=Length(Trim("description"))).values_list(
                "pk",
                "is_verified",
                "country",
                "kind",
                "experience",
                "updated_at",
                "search_name",
                "description_length",
                "website",
                "email",
                "logo",
            )
        )
        n = len(data)
        ids = np.fromiter((r[0] for r in data), dtype=np.int64, count=n)
        masks = {name: np.zeros(n, dtype=np.uint64) for name in RELATIONS}
        counts = {name: np.zeros(n, dtype=np.int32) for name in RELATIONS}
        for name in RELATIONS:
            m2m = Organisation._meta.get_field(name)
            through = m2m.remote_field.through
            owner = m2m.m2m_field_name() + "_id"
            target = m2m.m2m_reverse_field_name() + "_id"
            links = through.objects.all()
            if where is not None:
                links = links.filter(**{f"{owner}__in": rows.values("pk")})
            pairs = np.array(list(links.values_list(owner, target)), dtype=np.int64).reshape(-1, 2)
            if not len(pairs):
                continue
            rows_at, bits = _term_bits(ids, pairs, self._bits[name])
            np.bitwise_or.at(masks[name], rows_at, bits)
            np.add.at(counts[name], rows_at, 1)
        ideas = Organisation._meta.get_field("ideas").related_model
        open_ideas = np.zeros(n, dtype=bool)
        idea_programmes = np.zeros(n, dtype=np.uint64)
        programme_bit = self._bits["programmes"]
        open_rows = ideas.objects.open()
        if where is not None:
            open_rows = open_rows.filter(lead__in=rows.values("pk"))
        for lead, programme in open_rows.values_list("lead_id", "programme_id"):
            i = int(np.searchsorted(ids, lead))
            if i < n and ids[i] == lead:
                open_ideas[i] = True
                if programme in programme_bit:
                    idea_programmes[i] |= np.uint64(1) << np.uint64(programme_bit[programme])
        # The programmes of its past projects: the directory's "has experience in programme".
        past_programmes = np.zeros(n, dtype=np.uint64)
        participations = Organisation._meta.get_field("past_participations").related_model
        past = participations.objects.all()
        if where is not None:
            past = past.filter(organisation__in=rows.values("pk"))
        pairs = np.array(
            list(past.values_list("organisation_id", "past_project__programme_id").distinct()),
            dtype=np.int64,
        ).reshape(-1, 2)
        if len(pairs) and n:
            rows_at, bits = _term_bits(ids, pairs, programme_bit)
            np.bitwise_or.at(past_programmes, rows_at, bits)
        weights = {part: weight for part, (weight, _label) in PARTS.items()}
        completeness = np.fromiter(
            (
                weights["description"] * ((r[7] or 0) >= MIN_DESCRIPTION_CHARS)
                + weights["website"] * bool(r[8])
                + weights["email"] * bool(r[9])
                + weights["logo"] * bool(r[10])
                for r in data
            ),
            dtype=np.float32,
            count=n,
        )
        for name in ("fields", "themes", "target_groups", "languages"):
            completeness += weights[name] * (counts[name] > 0)
        return Columns(
            ids=ids,
            public=np.fromiter((r[0] in public for r in data), dtype=bool, count=n),
            verified=np.fromiter((bool(r[1]) for r in data), dtype=bool, count=n),
            country=np.fromiter((self._countries(r[2]) for r in data), dtype=np.int32, count=n),
            kind=np.fromiter((self._kinds(r[3]) for r in data), dtype=np.int32, count=n),
            experience=np.fromiter(
                (self._experiences(r[4]) for r in data), dtype=np.int32, count=n
            ),
            updated=np.fromiter((_as_epoch(r[5]) for r in data), dtype=np.float64, count=n),
            completeness=completeness / _TOTAL_WEIGHT,
            names=np.array([r[6] or "" for r in data], dtype=object),
            masks=masks,
            open_ideas=open_ideas,
            idea_programmes=idea_programmes,
            past_programmes=past_programmes,
        )


def _term_bits(ids: np.ndarray, pairs: np.ndarray, bit_of: dict[int, int]):
    """(row positions, term bits) of the (row id, term pk) pairs whose row is among ``ids``
    (ascending) and whose term has a bit."""
    n = len(ids)
    position = np.searchsorted(ids, pairs[:, 0])
    ok = (position < n) & (ids[np.minimum(position, n - 1)] == pairs[:, 0])
    bits = np.array([bit_of.get(int(t), -1) for t in pairs[:, 1]], dtype=np.int64)
    ok &= bits >= 0
    return position[ok], np.left_shift(np.uint64(1), bits[ok].astype(np.uint64))


#: Column names of Columns besides ids, masks and orders.
_SCALARS = (
    "public", "verified", "country", "kind", "experience", "updated",
    "completeness", "names", "open_ideas", "idea_programmes", "past_programmes",
)  # fmt: skip
#: More organisations than this in one batch: rebuilding (in the background) is cheaper.
MAX_INCREMENTAL = 20_000


def _patched(old: Columns, fresh: Columns, changed: np.ndarray) -> Columns:
    """``old`` with the ``changed`` ids replaced by ``fresh`` (those missing were deleted).

    Copy-on-write: a request still reading ``old`` never sees it change.
    """
    keep = ~np.isin(old.ids, changed)
    merged = {
        name: np.concatenate([getattr(old, name)[keep], getattr(fresh, name)])
        for name in ("ids", *_SCALARS)
    }
    masks = {name: np.concatenate([old.masks[name][keep], fresh.masks[name]]) for name in RELATIONS}
    order = np.argsort(merged["ids"], kind="stable")
    columns = Columns(
        **{name: values[order] for name, values in merged.items()},
        masks={name: values[order] for name, values in masks.items()},
    )
    columns.rank_names()
    return columns


class DirectoryIndex(changes.RefreshingCache):
    """The process's facet index; ``current()`` returns columns no older than the change log.

    Follows the shared refresh protocol (``partnerhub.changes.RefreshingCache``):
    a few changed organisations are reloaded into a new snapshot; a renamed
    taxonomy term or a bulk change rebuilds it in the background while
    requests are answered from the previous one; a new day (ideas close by
    date) rebuilds it before the first request of the day.
    """

    def __init__(self) -> None:
        super().__init__()
        self._snapshot: tuple[Columns, Vocabulary, _Loader, datetime.date] | None = None

    def current(self) -> tuple[Columns, Vocabulary]:
        with self._lock:
            self._current(timezone.localdate())
            assert self._snapshot is not None
            columns, vocabulary, _loader, _day = self._snapshot
            return columns, vocabulary

    def __len__(self) -> int:
        return len(self._snapshot[0].ids) if self._snapshot else 0

    # --- the refresh protocol ---------------------------------------------------

    def is_built(self) -> bool:
        return self._snapshot is not None

    def fits(self, today) -> bool:
        return self._snapshot is not None and self._snapshot[3] == today

    def forget(self) -> None:
        self._snapshot = None

    def build(self, today):
        loader = _Loader()
        columns = loader.load(None)
        columns.rank_names()
        return columns, loader.vocabulary(), loader, today or timezone.localdate()

    def install(self, snapshot, context=None) -> None:
        self._snapshot = snapshot

    def patch(self, batch: changes.Batch) -> bool:
        ids = batch.of(changes.ORGANISATION) | batch.of(changes.LEAD)
        if not ids:
            return True
        if len(ids) > MAX_INCREMENTAL:
            return False
        old, _vocabulary, loader, day = self._snapshot
        changed = np.array(sorted(ids), dtype=np.int64)
        fresh = loader.load(Q(pk__in=[int(pk) for pk in changed]))
        self._snapshot = (_patched(old, fresh, changed), loader.vocabulary(), loader, day)
        return True


#: The one index of this process.
directory_index = DirectoryIndex()


_BYTE_BITS = ((np.arange(256)[:, None] >> np.arange(8)) & 1).astype(np.int64)  # value → its bits


def bit_counts(masks: np.ndarray, width: int) -> np.ndarray:
    """How many rows have each of the first ``width`` bits set.

    Per byte of the masks, a histogram of its 256 values, times the bits of
    each value: a few ``bincount`` passes instead of unpacking every bit.
    """
    counts = np.zeros(width, dtype=np.int64)
    if not len(masks):
        return counts
    as_bytes = masks.view(np.uint8).reshape(-1, 8)  # little-endian: byte j holds bits 8j..8j+7
    for j in range((width + 7) // 8):
        per_bit = np.bincount(as_bytes[:, j], minlength=256) @ _BYTE_BITS
        counts[8 * j : 8 * j + 8] = per_bit[: max(0, min(8, width - 8 * j))]
    return counts


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: SQLite drops a table's triggers when a migration rebuilds it; put them back.

    (The full-text index's; the change log's are ``partnerhub.apps``'s.)
    """
    from django.db import connections

    from partnerhub import search

    conn = connections[using]
    ideas = Organisation._meta.get_field("ideas").related_model
    for table in (Organisation._meta.db_table, ideas._meta.db_table):
        search.ensure_index(conn, table)


def public_counts() -> tuple[int, int]:
    """(public organisations, countries they are in), from the facet index: for the home page."""
    columns, _vocabulary = directory_index.current()
    return int(columns.public.sum()), len(np.unique(columns.country[columns.public]))
