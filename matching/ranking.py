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
from itertools import islice

import numpy as np

from matching import scoring, text
from matching.scoring import (
    CANDIDATE_NUMBERS,
    DEFAULT_WEIGHTS,
    NEED_NUMBERS,
    UNSTATED,
    Candidate,
    Need,
    Weights,
    need_set,
    weighted_total,
)

_WORD_BITS = 64
_WORD_MASK = (1 << _WORD_BITS) - 1


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
    past_themes: CodeTable = field(default_factory=CodeTable)


#: Coded attributes: one code index per row, over the vocabulary table of that name.
_CODES = {"kind": "kinds", "sector": "sectors", "country": "countries", "region": "regions"}
#: One value per row (each stored as ``FeatureMatrix._<name>``): the id, the
#: codes, and the candidate's numbers the rules read (``scoring.CANDIDATE_NUMBERS``).
_SCALARS = ("ids", *_CODES, *CANDIDATE_NUMBERS, "texts")
_DTYPES = {
    "ids": np.int64,
    "updated": np.int64,
    "experience": np.int8,
    "past_total": np.int32,
    "texts": np.bool_,  # whether the row has any text term
}
#: Sets of codes, stored as bitmasks over the vocabulary table of that name.
_SETS = ("fields", "themes", "target_groups", "languages", "past_themes")
#: Rows written since the posting lists were built, past which they are merged
#: in (or 1 % of the rows).
_PENDING_ROWS = 500
#: Candidates written at a time.
_CHUNK = 20_000


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
        for name in _SCALARS:
            dtype = np.int16 if name in _CODES else _DTYPES.get(name, np.float64)
            setattr(self, f"_{name}", np.empty(0, dtype=dtype))
        # Past projects per programme: (programmes, capacity), a row per code.
        self._past = np.empty((0, 0), dtype=np.int32)
        self._sets = {name: np.empty((1, 0), dtype=np.uint64) for name in _SETS}
        # Text: every row's terms as posting lists (``text.Postings``).
        self._postings = text.Postings()
        # Rows written since the bound order was built (``_Order``): always evaluated.
        self._dirty: set[int] = set()
        self._order: _Order | None = None

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
        if name == "past":
            return getattr(self, f"_{name}")[:, : self._size]
        return getattr(self, f"_{name}")[: self._size]

    # --- writing --------------------------------------------------------------

    def upsert(self, candidates: Iterable[Candidate]) -> None:
        """Insert new candidates and overwrite known ones (matched by id).

        Read in chunks, so a generator of a million candidates never has more
        than one chunk of them alive; the texts of a large batch go into the
        posting lists in one sort at the end.
        """
        texts: list[tuple[np.ndarray, ...]] = []
        written: set[int] = set()
        candidates = iter(candidates)
        while chunk := list(islice(candidates, _CHUNK)):
            batch = list({c.id: c for c in chunk}.values())  # last version of an id wins
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
            if self._order is not None:
                self._dirty.update(rows.tolist())
            if len(batch) <= _PENDING_ROWS and not texts:
                for row, c in zip(rows.tolist(), batch, strict=True):
                    self._postings.set(row, c.terms)
                continue
            if not written.isdisjoint(rows.tolist()):  # an id again: its earlier text goes first
                self._postings.replace(texts)
                texts, written = [], set()
            texts.append(self._postings.flat(rows, (c.terms for c in batch)))
            written.update(rows.tolist())
        if texts:
            self._postings.replace(texts)
        self._settle()

    def remove(self, ids: Iterable[int]) -> None:
        """Drop the rows of ``ids``; unknown ids are ignored."""
        for candidate_id in ids:
            row = self._rows.pop(candidate_id, None)
            if row is None:
                continue
            last = self._size - 1
            self._dirty.add(row)
            if row != last:
                self._move(last, row)
                self._rows[int(self._ids[row])] = row
                self._postings.move(last, row)
            else:
                self._postings.drop(last)
            self._size = last
        self._settle()

    def _settle(self) -> None:
        """Merge the rows written since into the posting lists once they are many."""
        if self._postings.pending > max(_PENDING_ROWS, self._size // 100):
            self._postings.rebuild(self._size)

    def term_dots(self, query: text.Terms) -> np.ndarray:
        """Per row, the integer dot product of its terms with ``query`` (``text.shared_dot``)."""
        return self._postings.dots(query, self._size)

    def copy_of(self, rows: np.ndarray) -> FeatureMatrix:
        """A matrix of ``rows`` only (same vocabulary, no texts)."""
        copy = FeatureMatrix(self.vocab)
        for name in _SCALARS:
            setattr(copy, f"_{name}", self.column(name)[rows])
        copy._past = self.column("past")[:, rows]
        copy._sets = {name: column[:, rows] for name, column in self._sets.items()}
        copy._size = len(rows)
        return copy

    def prepare(self) -> None:
        """Group the rows for the pruned ranking now rather than on the first call
        (the gunicorn master does it once for every worker)."""
        if len(self) >= PRUNE_FROM:
            self._order = _Order(self)

    def _columns(self) -> list[np.ndarray]:
        return [getattr(self, f"_{name}") for name in _SCALARS]

    def _move(self, source: int, target: int) -> None:
        for column in self._columns():
            column[target] = column[source]
        for column in (self._past, *self._sets.values()):
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
        self._past = self._regrow(self._past, self._past.shape[0], capacity)
        for name, column in self._sets.items():
            self._sets[name] = self._regrow(column, column.shape[0], capacity)

    def _regrow(self, column: np.ndarray, words: int, capacity: int) -> np.ndarray:
        new = np.zeros((words, capacity), dtype=column.dtype)
        new[: column.shape[0], : self._size] = column[:, : self._size]
        return new

    def _write(self, rows: np.ndarray, batch: list[Candidate]) -> None:
        vocab = self.vocab
        self._ids[rows] = [c.id for c in batch]
        self._texts[rows] = [bool(c.terms) for c in batch]
        for name, table in _CODES.items():
            codes: CodeTable = getattr(vocab, table)
            getattr(self, f"_{name}")[rows] = [codes.add(getattr(c, name)) for c in batch]
        for name, number in CANDIDATE_NUMBERS.items():
            getattr(self, f"_{name}")[rows] = [number(c) for c in batch]
        programmes = vocab.programmes
        for c in batch:
            for code, _count, _since in c.past_programmes:
                programmes.add(code)
        if len(programmes) > self._past.shape[0]:
            self._past = self._regrow(self._past, len(programmes), self._past.shape[1])
        self._past[:, rows] = 0
        for i, c in enumerate(batch):
            for code, count, _since in c.past_programmes:
                self._past[programmes.get(code), rows[i]] = count
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


class Rows:
    """The view of the rows of a matrix against one need (``scoring``'s rules).

    Every row, or only ``rows`` (row indices): the pruned ranking evaluates
    the rules on the few rows that can still make the top.
    """

    def __init__(
        self, matrix: FeatureMatrix, need: Need, today: date, rows: np.ndarray | None = None
    ) -> None:
        self.matrix, self.need, self.rows = matrix, need, rows
        self.day, self.today = today, today.toordinal()
        self._relevance: np.ndarray | None = None

    def _column(self, name: str) -> np.ndarray:
        column = self.matrix.column(name)
        return column if self.rows is None else column[..., self.rows]

    def __len__(self) -> int:
        return len(self.matrix) if self.rows is None else len(self.rows)

    def stated(self, name: str) -> np.bool_:
        return np.bool_(bool(need_set(self.need, name)))

    def share(self, have: str, wanted: str) -> np.ndarray | float:
        codes = need_set(self.need, wanted)
        if not codes:
            return UNSTATED
        column = self._column(have)
        table: CodeTable = getattr(self.matrix.vocab, have)
        return _popcount_and(column, _mask_words(table.bits(codes), column.shape[0])) / len(codes)

    def isin(self, code: str, name: str) -> np.ndarray:
        """Per row, whether its code is in the need's set: decided per code, then gathered."""
        table: CodeTable = getattr(self.matrix.vocab, _CODES[code])
        return np.take(table.lookup(need_set(self.need, name)), self._column(code))

    def has(self, name: str, code: str) -> np.ndarray:
        table: CodeTable = getattr(self.matrix.vocab, name)
        return _has_bit(self._column(name), table.get(code))

    def cand(self, name: str) -> np.ndarray:
        return self._column(name)

    def need_value(self, name: str):
        value = NEED_NUMBERS[name](self.need)
        return np.bool_(value) if isinstance(value, bool) else value

    def _ids_in(self, ids) -> np.ndarray:
        return np.isin(self._column("ids"), np.fromiter(ids, np.int64))

    def id_in(self, name: str) -> np.ndarray:
        return self._ids_in(getattr(self.need, name))

    def is_member(self) -> np.ndarray:
        return self._ids_in(self.need.member_ids | {self.need.lead_id})

    def lead_shared(self) -> np.ndarray:
        counts = dict.fromkeys(self.need.lead_partners, 1)
        for pk, n in sorted(self.need.lead_shared, key=lambda pair: pair[1]):
            if pk in counts:  # ascending: the largest wins
                counts[pk] = n
        ids = self._column("ids")
        if not counts:
            return np.zeros(len(ids), dtype=np.intp)
        partners = np.array(sorted(counts), dtype=np.int64)
        shared = np.array([counts[pk] for pk in partners.tolist()], dtype=np.intp)
        at = np.minimum(np.searchsorted(partners, ids), len(partners) - 1)
        return np.where(partners[at] == ids, shared[at], 0)

    def past_in_programme(self) -> np.ndarray:
        if not self.need.programme:
            return self._column("past_total")
        index = self.matrix.vocab.programmes.get(self.need.programme)
        past = self.matrix.column("past")
        if index is None or index >= past.shape[0]:
            return np.zeros(len(self), dtype=np.int32)
        return past[index] if self.rows is None else past[index, self.rows]

    def relevance(self) -> np.ndarray:
        """Every row's ``text.similarity`` to the need, from integer dot products: the
        posting lists of the need's terms, or for a few rows their own entries."""
        if self._relevance is None:
            if self.rows is not None and len(self.rows) * 8 < len(self.matrix):
                dots = self.matrix._postings.dots_at(self.need.terms, self.rows)
            else:
                dots = self.matrix.term_dots(self.need.terms)
                dots = dots if self.rows is None else dots[self.rows]
            self._relevance = np.minimum(dots / (text.WEIGHT_SCALE * text.WEIGHT_SCALE), 1.0)
        return self._relevance

    def outside_area(self) -> np.ndarray:
        """``scoring.outside_area``, decided once per region code and per country code."""
        vocab = self.matrix.vocab
        if not self.need.region_countries or not len(vocab.regions):
            return np.zeros(len(self), dtype=bool)
        outside = np.array(
            [
                bool(code) and not any(code.startswith(area) for area in self.need.eligible_regions)
                for code in vocab.regions.codes()
            ],
            dtype=bool,
        )
        limited = self.isin("country", "region_countries")
        return limited & np.take(outside, self._column("region"))

    def on(self, rows: np.ndarray) -> Rows:
        """The same view on ``rows`` only."""
        return Rows(self.matrix, self.need, self.day, rows)


def components(matrix: FeatureMatrix, need: Need, *, today: date) -> dict[str, np.ndarray]:
    """Every row's value of each component (hard filters not applied)."""
    return scoring.values(Rows(matrix, need, today))


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
    (``best_of``). From PRUNE_FROM rows on only the rows whose bound can
    reach the top are scored (``_pruned``); the result is the same.
    """
    if limit <= 0 or not len(matrix):
        return []
    view = Rows(matrix, need, today)
    ids, scores, _first = (_pruned if len(matrix) >= PRUNE_FROM else _best)(view, weights, limit)
    return [(int(pk), float(total)) for pk, total in zip(ids, scores, strict=True)]


def _best(view: Rows, weights: Weights, limit: int) -> tuple[np.ndarray, ...]:
    """(ids, totals, fills a gap) of the top ``limit`` eligible rows of ``view``, in order.

    Every rule reads every row of the view, the eligible ones are picked after
    (gathering them first would gather each column once per rule reading it).
    """
    ok = np.flatnonzero(scoring.eligible(view))
    scores = weighted_total(
        scoring.values(view), weights, start=np.zeros(len(view), dtype=np.float64)
    )
    first = np.broadcast_to(scoring.filling(view), scores.shape)
    return _top(view.cand("ids")[ok], scores[ok], first[ok], limit)


def _top(ids, scores, first, limit) -> tuple[np.ndarray, ...]:
    """``best_of`` as three arrays: ids, totals, fills a gap."""
    key = scores + 2.0 * first
    if limit < key.size:
        keep = key >= key[np.argpartition(key, key.size - limit)[key.size - limit]]
        ids, scores, first = ids[keep], scores[keep], first[keep]
    order = np.lexsort((ids, -scores, ~first))[:limit]
    return ids[order], scores[order], first[order]


# --- pruning ------------------------------------------------------------------

#: From this many rows on, ``top_k`` scores only the rows whose bound can reach the top.
PRUNE_FROM = 20_000
#: Rows scored first (the best bounds): their limit-th key is the bar the rest must reach.
_FIRST_ROWS = 512
#: Bounds are summed in float32: a bound this close to the bar counts.
_MARGIN = 1e-5
#: Rows written since the groups were made, past which they are made again (or 1 %).
_DIRTY_ROWS = 2_000


class _Reads:
    """A view that notes which columns a rule reads (and whether it reads the need)."""

    #: operand -> (index of the column among its arguments, or None; columns it
    #: always reads; whether it reads the need)
    _OPERANDS = {
        "share": (0, (), True),
        "isin": (0, (), True),
        "has": (0, (), True),
        "cand": (0, (), False),
        "stated": (None, (), True),
        "need_value": (None, (), True),
        "relevance": (None, ("texts",), True),
        "past_in_programme": (None, ("past", "past_total"), True),
        "lead_shared": (None, (), True),
        "id_in": (None, (), True),
    }

    def __init__(self, matrix: FeatureMatrix, need: Need) -> None:
        self._rows = Rows(matrix, need, date.min, np.zeros(1, dtype=np.intp))
        self.today = self._rows.today
        self.columns: set[str] = set()
        self.needs = False

    def __getattr__(self, name: str):
        at, always, needs = self._OPERANDS[name]
        operand = getattr(self._rows, name)

        def noted(*args):
            self.columns.update(always if at is None else (*always, args[at]))
            self.needs = self.needs or needs
            return operand(*args)

        return noted


class _Bounding(Rows):
    """Rows as the bounds see them: the best relevance any row can have where a row
    has text, and no past partners (``_always`` scores those). Every rule grows
    with relevance."""

    def __init__(self, matrix: FeatureMatrix, need: Need, day: date, *, best_text: float):
        super().__init__(matrix, need, day)
        self.best_text = best_text

    def relevance(self) -> np.ndarray:
        return self._column("texts") * self.best_text

    def lead_shared(self) -> np.ndarray:
        return np.zeros(len(self), dtype=np.intp)

    def id_in(self, name: str) -> np.ndarray:
        return np.zeros(len(self), dtype=bool)


def _groups(matrix: FeatureMatrix, columns: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """(one row per group, each row's group): rows equal in every one of ``columns``."""
    size = len(matrix)
    if not columns:
        return np.zeros(1, dtype=np.intp), np.zeros(size, dtype=np.int32)
    parts = []
    for name in sorted(columns):
        column = matrix.column(name)
        column = column.reshape(-1, size) if column.ndim > 1 else column[np.newaxis]
        if column.dtype.kind == "f":
            column = column.view(np.uint64)
        parts.append(column.astype(np.uint64))
    keys = np.vstack(parts)
    # One 64-bit hash per row first (a sort of a million numbers, not of tuples),
    # then checked: if two different keys collide, rows are grouped by whole keys.
    hashed = np.zeros(size, dtype=np.uint64)
    for key in keys:
        hashed = (hashed ^ key) * np.uint64(0x9E3779B97F4A7C15)
        hashed ^= hashed >> np.uint64(29)
    _unique, first, inverse = np.unique(hashed, return_index=True, return_inverse=True)
    if not (keys == keys[:, first[inverse]]).all():
        _unique, first, inverse = np.unique(keys.T, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1).astype(np.int32)


#: The need the columns a rule reads are noted against (any need would do).
_ANY_NEED = Need(lead_id=0, lead_experience=scoring.EXPERIENCE_LEVELS[0])


class _Order:
    """The rows grouped by what the rules read: each rule is evaluated once per group
    and gathered (``keys``). Rules whose groups together stay few share one
    grouping (one gather for them all). Made with the cache and after many writes."""

    def __init__(self, matrix: FeatureMatrix, need: Need = _ANY_NEED) -> None:
        self.size = size = len(matrix)
        self.postings = matrix._postings
        reads: dict[str, frozenset[str]] = {}
        self.fixed: set[str] = set()  # rules that read no need: their values kept per day
        for rule in scoring.RULES:
            noted = _Reads(matrix, need)
            rule.points(noted)
            reads[rule.name] = frozenset(noted.columns - {"need"})
            if not noted.needs:
                self.fixed.add(rule.name)
        # The country and kind of a row decide its gap-filling and hard filters.
        reads["country"] |= {"country", "kind"}
        grouped = {columns: _groups(matrix, set(columns)) for columns in set(reads.values())}
        # Merge groupings, fewest groups first, while the groups stay few.
        cap = max(4_096, size // 16)
        joint: list[tuple[set[str], np.ndarray]] = []  # (rules, each row's group)
        for rule in sorted(reads, key=lambda name: len(grouped[reads[name]][0])):
            inverse = grouped[reads[rule]][1]
            for i, (rules, current) in enumerate(joint):
                if rule in self.fixed or rules <= self.fixed:
                    continue
                both = current.astype(np.int64) * (int(inverse.max()) + 1) + inverse
                _u, first, merged = np.unique(both, return_index=True, return_inverse=True)
                if len(first) <= cap:
                    joint[i] = (rules | {rule}, merged.reshape(-1).astype(np.int32))
                    break
            else:
                joint.append(({rule}, inverse))
        #: (rules, a matrix of one row per group, each row's group)
        self.groups = []
        for rules, inverse in joint:
            _u, first = np.unique(inverse, return_index=True)
            self.groups.append((rules, matrix.copy_of(first), inverse))
        self.kept: dict[str, tuple[tuple, np.ndarray]] = {}
        matrix._dirty.clear()

    def keys(self, need: Need, day: date, weights: Weights) -> np.ndarray:
        """Per row, an upper bound of its key (``best_of``: total, 2 more for a gap
        filler, -inf when a hard filter on its country or kind excludes it), in
        float32; the need's past partners aside."""
        total = np.zeros(self.size, dtype=np.float32)
        best_text = self.postings.best_similarity(need.terms)
        for rules, groups, inverse in self.groups:
            weighted = [(rule, getattr(weights, rule.name)) for rule in scoring.RULES]
            weighted = [(rule, w) for rule, w in weighted if rule.name in rules and w]
            kept = self.kept.get(min(rules))
            if kept is not None and kept[0] == (day, weights):
                total += kept[1]
                continue
            view = _Bounding(groups, need, day, best_text=best_text)
            values = np.zeros(len(groups), dtype=np.float64)
            for rule, weight in weighted:
                values += weight * np.broadcast_to(rule.points(view), len(groups))
            # Rounded up to float32, so the sum stays above the float64 total.
            values = np.nextafter(values.astype(np.float32), np.float32(np.inf))
            if "country" in rules:
                values += _per_country(groups, need)[groups.column("country")]
                if need.allowed_kinds:
                    values[~view.isin("kind", "allowed_kinds")] = -np.inf
            values = values[inverse]
            if rules <= self.fixed:
                self.kept[min(rules)] = ((day, weights), values)
            total += values
        return total


class _Countries:
    """The view of every country code of a vocabulary against a need (for ``filling``)."""

    def __init__(self, vocab: Vocabulary, need: Need) -> None:
        self.vocab, self.need = vocab, need

    def need_value(self, name: str):
        value = NEED_NUMBERS[name](self.need)
        return np.bool_(value) if isinstance(value, bool) else value

    def isin(self, code: str, name: str) -> np.ndarray:
        return self.vocab.countries.lookup(need_set(self.need, name))


def _per_country(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    """Per country code: 2 where the country fills a gap (``best_of``'s key), -inf
    where the call excludes it, else 0."""
    view = _Countries(matrix.vocab, need)
    size = len(matrix.vocab.countries)
    key = 2.0 * np.broadcast_to(scoring.filling(view), size)
    if need.eligible_countries:
        key = np.where(view.isin("country", "eligible_countries"), key, -np.inf)
    return key


def _always(matrix: FeatureMatrix, need: Need) -> np.ndarray:
    """Rows the bounds do not cover: the need's past partners and rows written since."""
    rows = matrix._rows
    found = {rows[pk] for pk in need.lead_partners | need.member_partners if pk in rows}
    return np.fromiter(found | matrix._dirty, dtype=np.intp)


def _pruned(view: Rows, weights: Weights, limit: int) -> tuple[np.ndarray, ...]:
    """``_best`` over every row, scoring only the rows whose bound reaches the bar.

    A row's key bound comes from ``_Order.keys``. The rows with the best key bounds are
    scored first; the limit-th best key among them is the bar; every other row
    whose key bound reaches the bar is scored too. A row left out cannot
    reach the bar, so the top is the one full scoring gives.
    """
    matrix, need = view.matrix, view.need
    if not NEED_NUMBERS["partners_allowed"](need):
        return _best(view.on(np.zeros(0, dtype=np.intp)), weights, limit)
    order = matrix._order
    dirty = max(_DIRTY_ROWS, len(matrix) // 100)
    if order is None or len(matrix._dirty) > dirty or order.size < len(matrix) - dirty:
        order = matrix._order = _Order(matrix)
    size = len(matrix)
    key = order.keys(need, view.day, weights)[:size]
    if key.size < size:  # rows appended since: dirty, scored anyway
        key = np.concatenate([key, np.zeros(size - key.size, dtype=np.float32)])
    always = _always(matrix, need)
    key[always] = -np.inf  # scored anyway
    count = min(_FIRST_ROWS, size)
    first = np.argpartition(key, size - count)[size - count :]
    first = first[key[first] > -np.inf]
    best = _best(view.on(np.concatenate([always, first])), weights, limit)
    key[first] = -np.inf
    if len(best[0]) < limit:  # fewer eligible rows than the limit so far: every possible row
        rest = np.flatnonzero(key > -np.inf)
        more = _best(view.on(rest), weights, limit)
        return _top(*(np.concatenate(pair) for pair in zip(best, more, strict=True)), limit)
    # The rest that can reach the limit-th key, best bounds first, in growing
    # blocks; the bar rises as they are scored.
    rest = np.flatnonzero(key >= best[1][-1] + 2.0 * best[2][-1] - _MARGIN)
    rest = rest[np.argsort(-key[rest], kind="stable")]
    done, block = 0, _FIRST_ROWS
    while done < rest.size and key[rest[done]] >= best[1][-1] + 2.0 * best[2][-1] - _MARGIN:
        more = _best(view.on(rest[done : done + block]), weights, limit)
        best = _top(*(np.concatenate(pair) for pair in zip(best, more, strict=True)), limit)
        done, block = done + block, 2 * block
    return best


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
    if first is None:
        first = np.zeros(scores.shape, dtype=bool)
    ids, scores, _first = _top(ids, scores, first, limit)
    return [(int(pk), float(total)) for pk, total in zip(ids, scores, strict=True)]
