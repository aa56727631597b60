"""Rank many candidates at once: the rules of ``matching.scoring`` in NumPy.

``scoring.rank`` builds a ``Score`` with reasons for every candidate, which is
fine for a few hundred organisations and far too slow for 100,000. Here the
candidates live in a ``FeatureMatrix`` (one array per attribute, sets as
bitmasks) and ``top_k`` computes every total with whole-array operations, then
returns only the best ids. The caller re-scores those few with
``scoring.score`` to get the reasons; the totals are the same to the last bit
because both modules evaluate the same formulas in the same order (the
arithmetic-only formulas are literally shared: ``goals_value``,
``sector_value``, ``country_credit``, ``trust_value``).

Set-valued attributes (fields, themes, target groups, languages) are stored
as bitmasks over a ``CodeTable``, which gives each code a bit position once
and never renumbers it. A table may hold any number of codes: masks have as
many uint64 words as needed (languages can pass 64), stored word-major as a
(words, capacity) array so each word is one contiguous vector.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching.scoring import (
    COMPLEMENTARY_SECTORS,
    DEFAULT_WEIGHTS,
    ENGLISH,
    ENGLISH_FALLBACK,
    EXPERIENCE_CAP,
    EXPERIENCE_CURVE,
    EXPERIENCE_FIT,
    EXPERIENCE_LEVELS,
    FRESHNESS_DAYS,
    MIN_TEXT_KEYWORDS,
    UNSTATED,
    Candidate,
    Need,
    Weights,
    country_credit,
    goals_value,
    sector_value,
    theme_focus,
    track_credit,
    trust_value,
    weighted_total,
)
from matching.text import WORD_BUCKETS

_WORD_BITS = 64
_WORD_MASK = (1 << _WORD_BITS) - 1
_BUCKET_WORDS = WORD_BUCKETS // _WORD_BITS


class CodeTable:
    """The codes of one taxonomy, each with a fixed index (its bit position)."""

    def __init__(self, codes: Iterable[str] = ()) -> None:
        self._index: dict[str, int] = {}
        for code in codes:
            self.add(code)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def get(self, code: str) -> int | None:
        """The index of ``code``, or None if no candidate has had it."""
        return self._index.get(code)

    def codes(self) -> list[str]:
        """Every code, in index order."""
        return list(self._index)

    def add(self, code: str) -> int:
        """The index of ``code``, assigning the next free one to a new code."""
        return self._index.setdefault(code, len(self._index))

    @property
    def words(self) -> int:
        """uint64 words a bitmask over this table needs (at least one)."""
        return max(1, -(-len(self._index) // _WORD_BITS))

    def bits(self, codes: Iterable[str]) -> int:
        """Bitmask, as a Python int, of the known ``codes``; unknown ones are ignored.

        A code nobody has can match nobody, so leaving it out of a query
        mask changes no intersection.
        """
        mask = 0
        for code in codes:
            index = self._index.get(code)
            if index is not None:
                mask |= 1 << index
        return mask

    def lookup(self, codes: Iterable[str]) -> np.ndarray:
        """A boolean array indexed by code index: True for the known ``codes``.

        Gathering from it (``np.take(table, column)``) answers "is this row's
        code one of these" for every row in one pass.
        """
        table = np.zeros(len(self._index), dtype=bool)
        indices = [self._index[code] for code in codes if code in self._index]
        table[indices] = True
        return table


@dataclass
class Vocabulary:
    """One ``CodeTable`` per coded attribute of a candidate.

    Start it empty and let candidates fill it, or seed it from the taxonomy
    so bit positions follow the taxonomy order.
    """

    kinds: CodeTable = field(default_factory=CodeTable)
    sectors: CodeTable = field(default_factory=CodeTable)
    countries: CodeTable = field(default_factory=CodeTable)
    fields: CodeTable = field(default_factory=CodeTable)
    themes: CodeTable = field(default_factory=CodeTable)
    target_groups: CodeTable = field(default_factory=CodeTable)
    languages: CodeTable = field(default_factory=CodeTable)
    regions: CodeTable = field(default_factory=CodeTable)
    programmes: CodeTable = field(default_factory=CodeTable)


#: One value per row (each stored as ``FeatureMatrix._<name>``).
_SCALARS = (
    "ids",
    "kind",
    "sector",
    "country",
    "experience",
    "verified",
    "updated",
    "completeness",
    "word_count",
    "theme_focus",
    "region",
    "past_total",
)
#: Sets of codes, stored as bitmasks over the vocabulary table of that name.
_SETS = ("fields", "themes", "target_groups", "languages")
_EXPERIENCE_INDEX = {level: i for i, level in enumerate(EXPERIENCE_LEVELS)}


def _split_words(masks: Sequence[int], words: int) -> np.ndarray:
    """Python-int bitmasks → a (words, len(masks)) uint64 array."""
    out = np.empty((words, len(masks)), dtype=np.uint64)
    for w in range(words):
        shift = w * _WORD_BITS
        out[w] = [(mask >> shift) & _WORD_MASK for mask in masks]
    return out


def _popcount_and(column: np.ndarray, mask: Sequence[int]) -> np.ndarray:
    """Per row, the number of bits set in both ``column`` and ``mask`` (word-major)."""
    words = np.array(mask, dtype=np.uint64)[:, np.newaxis]
    return np.bitwise_count(column & words).sum(axis=0, dtype=np.intp)


def _has_bit(column: np.ndarray, index: int | None) -> np.ndarray:
    """Per row, whether the bit of code ``index`` is set (None: a code nobody has)."""
    word, bit = divmod(index if index is not None else 0, _WORD_BITS)
    if index is None or word >= column.shape[0]:
        return np.zeros(column.shape[1], dtype=bool)
    return (column[word] & np.uint64(1 << bit)) != 0


def _mask_words(bits: int, words: int) -> list[int]:
    return [(bits >> (w * _WORD_BITS)) & _WORD_MASK for w in range(words)]


class FeatureMatrix:
    """Candidates as columns: the data ``top_k`` needs, and nothing else.

    Rows are kept in arrays with spare capacity; ``upsert`` overwrites a known
    id's row in place and appends new ones (capacity doubles, so appends are
    amortised O(1)); ``remove`` moves the last row into the hole. Row order
    therefore means nothing: ranking ties are broken by id.

    Not thread-safe: a process that refreshes rows while serving requests
    must not run ``top_k`` on the same matrix at the same time (hold a lock,
    or build a new matrix and swap the reference).
    """

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab if vocab is not None else Vocabulary()
        self._rows: dict[int, int] = {}
        self._size = 0
        self._ids = np.empty(0, dtype=np.int64)
        self._kind = np.empty(0, dtype=np.int16)
        self._sector = np.empty(0, dtype=np.int16)
        self._country = np.empty(0, dtype=np.int16)
        self._experience = np.empty(0, dtype=np.int8)
        self._verified = np.empty(0, dtype=np.float64)
        self._updated = np.empty(0, dtype=np.int64)
        self._completeness = np.empty(0, dtype=np.float64)
        self._word_count = np.empty(0, dtype=np.int64)
        self._theme_focus = np.empty(0, dtype=np.float64)
        self._region = np.empty(0, dtype=np.int16)
        self._past_total = np.empty(0, dtype=np.int32)
        # Past projects per programme: (programmes, capacity), a row per code.
        self._past = np.empty((0, 0), dtype=np.int32)
        self._words = np.empty((_BUCKET_WORDS, 0), dtype=np.uint64)
        self._sets = {name: np.empty((1, 0), dtype=np.uint64) for name in _SETS}

    @classmethod
    def from_candidates(
        cls, candidates: Iterable[Candidate], vocab: Vocabulary | None = None
    ) -> FeatureMatrix:
        matrix = cls(vocab)
        matrix.upsert(candidates)
        return matrix

    def __len__(self) -> int:
        return self._size

    def __contains__(self, candidate_id: object) -> bool:
        return candidate_id in self._rows

    def row(self, candidate_id: int) -> int | None:
        return self._rows.get(candidate_id)

    @property
    def ids(self) -> np.ndarray:
        return self._ids[: self._size]

    def column(self, name: str) -> np.ndarray:
        """The live rows of one column (a view; a set column is word-major)."""
        if name in self._sets:
            return self._sets[name][:, : self._size]
        if name == "words":
            return self._words[:, : self._size]
        if name == "past":
            return self._past[:, : self._size]
        return getattr(self, f"_{name}")[: self._size]

    # --- writing --------------------------------------------------------------

    def upsert(self, candidates: Iterable[Candidate]) -> None:
        """Insert new candidates and overwrite known ones (matched by id)."""
        batch = list({c.id: c for c in candidates}.values())  # last version of an id wins
        if not batch:
            return
        rows = np.empty(len(batch), dtype=np.intp)
        size = self._size
        for i, candidate in enumerate(batch):
            row = self._rows.get(candidate.id)
            if row is None:
                row = self._rows[candidate.id] = size
                size += 1
            rows[i] = row
        self._reserve(size)
        self._size = size
        self._write(rows, batch)

    def remove(self, ids: Iterable[int]) -> None:
        """Drop the rows of ``ids``; unknown ids are ignored."""
        for candidate_id in ids:
            row = self._rows.pop(candidate_id, None)
            if row is None:
                continue
            last = self._size - 1
            if row != last:
                self._move(last, row)
                self._rows[int(self._ids[row])] = row
            self._size = last

    def _columns(self) -> list[np.ndarray]:
        return [getattr(self, f"_{name}") for name in _SCALARS]

    def _move(self, source: int, target: int) -> None:
        for column in self._columns():
            column[target] = column[source]
        self._words[:, target] = self._words[:, source]
        self._past[:, target] = self._past[:, source]
        for column in self._sets.values():
            column[:, target] = column[:, source]

    def _reserve(self, size: int) -> None:
        capacity = self._ids.shape[0]
        if size <= capacity:
            return
        capacity = max(size, 2 * capacity, 64)
        for name in _SCALARS:
            old = getattr(self, f"_{name}")
            new = np.zeros(capacity, dtype=old.dtype)
            new[: self._size] = old[: self._size]
            setattr(self, f"_{name}", new)
        self._words = self._regrow(self._words, _BUCKET_WORDS, capacity)
        past = np.zeros((self._past.shape[0], capacity), dtype=np.int32)
        past[:, : self._size] = self._past[:, : self._size]
        self._past = past
        for name, column in self._sets.items():
            self._sets[name] = self._regrow(column, column.shape[0], capacity)

    def _regrow(self, column: np.ndarray, words: int, capacity: int) -> np.ndarray:
        new = np.zeros((words, capacity), dtype=np.uint64)
        new[: column.shape[0], : self._size] = column[:, : self._size]
        return new

    def _write(self, rows: np.ndarray, batch: list[Candidate]) -> None:
        vocab = self.vocab
        self._ids[rows] = [c.id for c in batch]
        self._kind[rows] = [vocab.kinds.add(c.kind) for c in batch]
        self._sector[rows] = [vocab.sectors.add(c.sector) for c in batch]
        self._country[rows] = [vocab.countries.add(c.country) for c in batch]
        self._experience[rows] = [_EXPERIENCE_INDEX[c.experience] for c in batch]
        self._verified[rows] = [float(c.verified) for c in batch]
        self._updated[rows] = [c.updated_on.toordinal() for c in batch]
        # Clamped as scoring clamps it, once here rather than on every query.
        self._completeness[rows] = [min(1.0, max(0.0, c.completeness)) for c in batch]
        self._word_count[rows] = [len(c.words) for c in batch]
        self._theme_focus[rows] = [theme_focus(len(c.themes)) for c in batch]
        self._region[rows] = [vocab.regions.add(c.region) for c in batch]
        self._past_total[rows] = [c.past_projects for c in batch]
        programmes = vocab.programmes
        for c in batch:
            for code, _count, _since in c.past_programmes:
                programmes.add(code)
        if len(programmes) > self._past.shape[0]:
            past = np.zeros((len(programmes), self._past.shape[1]), dtype=np.int32)
            past[: self._past.shape[0]] = self._past
            self._past = past
        self._past[:, rows] = 0
        for i, c in enumerate(batch):
            for code, count, _since in c.past_programmes:
                self._past[programmes.get(code), rows[i]] = count
        word_masks = [sum(1 << bucket for bucket in c.words) for c in batch]
        self._words[:, rows] = _split_words(word_masks, _BUCKET_WORDS)
        for name in _SETS:
            table: CodeTable = getattr(vocab, name)
            for c in batch:
                for code in getattr(c, name):
                    table.add(code)
            column = self._sets[name]
            if table.words > column.shape[0]:  # the taxonomy outgrew the mask
                self._sets[name] = column = self._regrow(column, table.words, column.shape[1])
            masks = [table.bits(getattr(c, name)) for c in batch]
            column[:, rows] = _split_words(masks, column.shape[0])


# --- ranking ------------------------------------------------------------------


def _eligible(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    """The hard filters of ``scoring.is_eligible`` as a boolean row mask."""
    if not need.partners_allowed:
        return np.zeros(len(matrix), dtype=bool)
    eligible = np.ones(len(matrix), dtype=bool)
    for candidate_id in need.member_ids | {need.lead_id}:
        row = matrix.row(candidate_id)
        if row is not None:
            eligible[row] = False
    vocab = matrix.vocab
    if need.eligible_countries:
        eligible &= np.take(
            vocab.countries.lookup(need.eligible_countries), matrix.column("country")
        )
    if need.allowed_kinds:
        eligible &= np.take(vocab.kinds.lookup(need.allowed_kinds), matrix.column("kind"))
    if need.region_countries and len(vocab.regions):
        # scoring.outside_area, decided once per region code and per country code.
        outside = np.array(
            [
                bool(code) and not any(code.startswith(area) for area in need.eligible_regions)
                for code in vocab.regions.codes()
            ],
            dtype=bool,
        )
        limited = np.take(vocab.countries.lookup(need.region_countries), matrix.column("country"))
        eligible &= ~(limited & np.take(outside, matrix.column("region")))
    return eligible


def _share(matrix: FeatureMatrix, name: str, wanted: frozenset[str]) -> np.ndarray:
    column = matrix.column(name)
    table: CodeTable = getattr(matrix.vocab, name)
    shared = _popcount_and(column, _mask_words(table.bits(wanted), column.shape[0]))
    return shared / len(wanted)


def _keyword_similarity(matrix: FeatureMatrix, need: Need) -> np.ndarray | float:
    # Same steps as scoring.similarity_from_counts, elementwise.
    if not need.words:
        return 0.0
    need_bits = sum(1 << bucket for bucket in need.words)
    shared = _popcount_and(matrix.column("words"), _mask_words(need_bits, _BUCKET_WORDS))
    sizes = matrix.column("word_count")
    expected = sizes * len(need.words) / WORD_BUCKETS
    room = np.maximum(np.minimum(sizes, len(need.words)), MIN_TEXT_KEYWORDS) - expected
    similarity = np.zeros(len(sizes))
    np.divide(shared - expected, room, out=similarity, where=room > 0)
    return np.clip(similarity, 0.0, 1.0, out=similarity)


def _goals(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    theme_share = (
        _share(matrix, "themes", need.themes) * matrix.column("theme_focus")
        if need.themes
        else UNSTATED
    )
    return goals_value(theme_share, _keyword_similarity(matrix, need))


def _sector(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    vocab = matrix.vocab
    field_part = _share(matrix, "fields", need.fields_sought) if need.fields_sought else UNSTATED
    kind_part = (
        np.take(vocab.kinds.lookup(need.kinds_sought).astype(np.float64), matrix.column("kind"))
        if need.kinds_sought
        else UNSTATED
    )
    if need.kinds_sought:
        complementary = vocab.sectors.lookup(COMPLEMENTARY_SECTORS - need.member_sectors)
        complement = np.take(complementary.astype(np.float64), matrix.column("sector"))
    else:
        complement = UNSTATED  # complementarity is the lead's choice (kinds sought)
    return sector_value(field_part, kind_part, complement)


def _country(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    # The value depends on the country alone: compute it once per country
    # code, then gather it for every row.
    countries = matrix.vocab.countries
    credit = country_credit(
        required=countries.lookup(need.required_countries).astype(np.float64),
        sought=(
            countries.lookup(need.countries_sought).astype(np.float64)
            if need.countries_sought
            else UNSTATED
        ),
        new=(~countries.lookup(need.member_countries)).astype(np.float64),
        countries_needed=need.countries_needed > 0,
    )
    return np.take(np.minimum(credit, 1.0), matrix.column("country"))


def _target_groups(matrix: FeatureMatrix, need: Need) -> np.ndarray | float:
    return _share(matrix, "target_groups", need.target_groups) if need.target_groups else UNSTATED


def _language(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    languages = matrix.column("languages")
    table = matrix.vocab.languages
    speaks_english = _has_bit(languages, table.get(ENGLISH))
    if need.language is None:
        return np.where(speaks_english, 1.0, 0.0)
    speaks_idea_language = _has_bit(languages, table.get(need.language))
    return np.where(speaks_idea_language, 1.0, np.where(speaks_english, ENGLISH_FALLBACK, 0.0))


def _experience(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    fit = EXPERIENCE_FIT[need.lead_experience]
    return np.take(
        np.array([fit[level] for level in EXPERIENCE_LEVELS]), matrix.column("experience")
    )


def _trust(matrix: FeatureMatrix, today: date) -> np.ndarray:
    age = today.toordinal() - matrix.column("updated")
    fresh = np.clip(1.0 - age / FRESHNESS_DAYS, 0.0, 1.0)
    return trust_value(matrix.column("verified"), fresh, matrix.column("completeness"))


_CURVE = np.array(EXPERIENCE_CURVE)


def _experience_of(counts: np.ndarray) -> np.ndarray:
    return np.take(_CURVE, np.minimum(counts, EXPERIENCE_CAP))


def _track_record(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    ids = matrix.ids
    total = matrix.column("past_total")
    if need.programme:
        index = matrix.vocab.programmes.get(need.programme)
        past = matrix.column("past")
        in_programme = (
            past[index] if index is not None and index < past.shape[0] else np.zeros_like(total)
        )
    else:
        in_programme = total
    with_lead = np.isin(ids, np.fromiter(need.lead_partners, np.int64))
    shared = with_lead.astype(np.intp)
    for count in sorted({n for _pk, n in need.lead_shared}):  # ascending: the largest wins
        listed = np.fromiter((pk for pk, n in need.lead_shared if n == count), np.int64)
        shared[with_lead & np.isin(ids, listed)] = count
    credit = track_credit(
        lead=_experience_of(shared),
        member=np.isin(ids, np.fromiter(need.member_partners, np.int64)).astype(np.float64),
        programme=_experience_of(in_programme),
        anywhere=_experience_of(total),
    )
    return np.minimum(credit, 1.0)


def components(matrix: FeatureMatrix, need: Need, *, today: date) -> dict[str, np.ndarray]:
    """Every row's value of each component (hard filters not applied)."""
    return {
        "goals": _goals(matrix, need),
        "sector": _sector(matrix, need),
        "country": _country(matrix, need),
        "target_groups": _target_groups(matrix, need),
        "language": _language(matrix, need),
        "experience": _experience(matrix, need),
        "trust": _trust(matrix, today),
        "track_record": _track_record(matrix, need),
    }


def totals(
    matrix: FeatureMatrix, need: Need, *, today: date, weights: Weights = DEFAULT_WEIGHTS
) -> np.ndarray:
    """Every row's total, as ``scoring.score`` computes it (hard filters not applied)."""
    return weighted_total(
        components(matrix, need, today=today),
        weights,
        start=np.zeros(len(matrix), dtype=np.float64),
    )


def top_k(
    matrix: FeatureMatrix,
    need: Need,
    *,
    today: date,
    limit: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[tuple[int, float]]:
    """(candidate id, total) of the ``limit`` best eligible rows, best first.

    Same hard filters and order as ``scoring.rank``: the rows that fill a gap
    the call still has first, then total descending, then id ascending
    (``best_of``).
    """
    if limit <= 0 or not len(matrix):
        return []
    eligible = _eligible(matrix, need)
    rows = np.flatnonzero(eligible)
    if not rows.size:
        return []
    scores = totals(matrix, need, today=today, weights=weights)[rows]
    return best_of(matrix.ids[rows], scores, limit, first=fills_gap(matrix, need)[rows])


def fills_gap(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    """``scoring.fills_gap`` for every row: decided per country code, then gathered."""
    table = matrix.vocab.countries
    fills = table.lookup(need.fill_countries)
    if need.fill_others:
        fills |= ~table.lookup(need.fill_excluded)
    return np.take(fills, matrix.column("country")) if len(table) else np.zeros(len(matrix), bool)


def best_of(
    ids: np.ndarray, scores: np.ndarray, limit: int, *, first: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """The ``limit`` best (id, score) pairs: ``first`` rows before the others, then
    score descending, then id ascending.

    ``argpartition`` finds the k-th best key without sorting every row; every
    row tied with it is kept, so the id tie-break is exact. Scores are in
    0..1, so adding 2 to the ``first`` rows' key puts them ahead without
    touching the scores returned.
    """
    key = scores if first is None else scores + 2.0 * first
    if limit < key.size:
        kth = np.argpartition(key, key.size - limit)[key.size - limit]
        keep = key >= key[kth]
        ids, scores, key = ids[keep], scores[keep], key[keep]
        if first is not None:
            first = first[keep]
    if first is None:
        order = np.lexsort((ids, -scores))[:limit]
    else:
        order = np.lexsort((ids, -scores, ~first))[:limit]
    return [(int(ids[i]), float(scores[i])) for i in order]
