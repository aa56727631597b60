"""Text for matching: the search pipeline's stems, weighted for a graded similarity.

Words and stems come from ``partnerhub.search`` (diacritics stripped, the
English, Lithuanian and Latvian stemmers, grammar stopwords), the same
pipeline the directory and the idea list search with, so "jauniešiem",
"jaunieši" and "Jaunieši" are one term here as there. Organisation texts are
not stemmed again: their stems are read from ``Organisation.search_text``.

A text becomes a TF-IDF vector: each term weighs (1 + ln count) × idf, with
idf = ln((1 + N) / (1 + df)) + 1 over the organisations' documents (N
documents, df of them with the term; ``Corpus``); only the TERM_SLOTS
heaviest terms are kept, the vector is scaled to length 1 and each weight is
rounded to an integer of WEIGHT_SCALE. Two such vectors compare by their dot
product (``similarity``), an integer sum, so the pure scorer and the NumPy
rankers get the same value to the last bit whatever order they add in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

import numpy as np

from partnerhub.search import normalise, stems, words
from partnerhub.search import stem as search_stem

__all__ = [
    "normalise",
    "Corpus",
    "Postings",
    "Terms",
    "vector",
    "similarity",
    "text_stems",
    "surface_words",
]

#: Terms kept per text, the heaviest: a bound on memory for very long texts.
TERM_SLOTS = 100
#: A unit vector's weights are stored as integers of this scale.
WEIGHT_SCALE = 1 << 15

#: (stem, integer weight) pairs, sorted by stem.
Terms = tuple[tuple[str, int], ...]

#: Words every idea and profile on this site uses, which say nothing about what
#: a particular organisation does (compared by stem, so inflections go too).
_SITE_WORDS = """
    project projects organisation organization partner partners partnership
    activity activities people international
    about also our their this that these those which will were have been more
    most other some such than then there they when where while your
    projekts projekta projektu projekti biedrība biedrības organizācija
    organizācijas partneris partneri aktivitātes
    projektas projekto projektų projektai organizacija organizacijos
    asociacija partneris partneriai veikla veiklos
"""
SITE_STEMS = frozenset(search_stem(word) for word in _SITE_WORDS.split())


def text_stems(*texts: str) -> list[str]:
    """The stems of ``texts`` as search stems them, site-wide words left out."""
    return [s for text in texts for s in stems(text) if s not in SITE_STEMS and not s.isdigit()]


def surface_words(*texts: str) -> dict[str, str]:
    """stem → the first word of ``texts`` with that stem, as written (for reasons)."""
    found: dict[str, str] = {}
    for text in texts:
        for word in words(text):
            for part in stems(word):
                found.setdefault(part, word)
    return found


class Corpus:
    """Document frequencies of terms over the organisations' texts (for idf)."""

    def __init__(self, documents: Iterable[Iterable[str]] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.size = 0
        for document in documents:
            self.df.update(set(document))
            self.size += 1
        #: idf of every known term, and of a term no document has.
        self.idfs = {term: self._idf(count) for term, count in self.df.items()}
        self.unseen = self._idf(0)

    def _idf(self, count: int) -> float:
        return math.log((1 + self.size) / (1 + count)) + 1.0

    def idf(self, term: str) -> float:
        return self.idfs.get(term, self.unseen)


_CORPUS = Corpus()


def corpus() -> Corpus:
    """The corpus of the last full load of the organisations (empty before one)."""
    return _CORPUS


def set_corpus(value: Corpus) -> None:
    global _CORPUS
    _CORPUS = value


def vector(terms: Iterable[str], corpus: Corpus | None = None) -> Terms:
    """The TF-IDF vector of a list of stems, as integer weights of a unit vector."""
    counts = Counter(terms)
    if not counts:
        return ()
    corpus = corpus or _CORPUS
    idfs, unseen, log = corpus.idfs, corpus.unseen, math.log
    weights = {
        term: (1.0 + log(count) if count > 1 else 1.0) * idfs.get(term, unseen)
        for term, count in counts.items()
    }
    top = list(weights.items())
    if len(top) > TERM_SLOTS:
        top = sorted(top, key=lambda item: (-item[1], item[0]))[:TERM_SLOTS]
    norm = math.sqrt(sum(weight * weight for _term, weight in top))
    scaled = ((term, round(WEIGHT_SCALE * weight / norm)) for term, weight in top)
    return tuple(sorted((term, weight) for term, weight in scaled if weight > 0))


def similarity_of(dot: int) -> float:
    """The similarity for an integer dot product of two vectors (0..1)."""
    return min(1.0, dot / (WEIGHT_SCALE * WEIGHT_SCALE))


def similarity(a: Terms, b: Terms) -> float:
    """Cosine similarity of two ``vector``s, from their integer dot product."""
    return similarity_of(shared_dot(a, b))


def shared_dot(a: Terms, b: Terms) -> int:
    other = dict(b)
    return sum(weight * other[term] for term, weight in a if term in other)


def top_shared(a: Terms, b: Terms, count: int = 3) -> list[str]:
    """The terms contributing most to ``similarity(a, b)``, heaviest first."""
    other = dict(b)
    shared = [(weight * other[term], term) for term, weight in a if term in other]
    return [term for _dot, term in sorted(shared, key=lambda item: (-item[0], item[1]))[:count]]


def body_stems(document: str) -> list[str]:
    """The stems of a stored search document's text line (``search.document``)."""
    lines = document.split("\n")
    return lines[2].split() if len(lines) > 2 else []


def stems_of(document: str, *, text: str = "", without: str = "") -> list[str]:
    """A row's text stems: its stored search document, or ``text`` stemmed when the
    document is missing; stems of ``without`` (a city in the document) left out."""
    found = body_stems(document) if document else stems(text)
    if without:
        drop = set(stems(without))
        found = [s for s in found if s not in drop]
    return [s for s in found if s not in SITE_STEMS and not s.isdigit()]


def term_mapping(pairs: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs.items()))


class Postings:
    """Many texts' vectors as posting lists: term → (rows, weights), sorted by term.

    Ranking reads only the lists of the query's terms, so its cost follows how
    common those terms are, not the number of terms per text. Rows written
    since the lists were built wait in an overlay until ``rebuild``; a row's
    stale entries in the lists are then overridden by the overlay.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self._install(np.empty(0, np.int32), np.empty(0, np.int64), np.empty(0, np.int64))
        self._overlay: dict[int, tuple[list[int], list[int]]] = {}
        self._flat: tuple[np.ndarray, ...] | None = None  # the overlay as three arrays

    def _install(self, term: np.ndarray, row: np.ndarray, weight: np.ndarray) -> None:
        # int32 throughout: a weight is at most WEIGHT_SCALE, a product of two 2**30.
        order = np.argsort(term, kind="stable")
        self._term = term[order].astype(np.int32, copy=False)
        self._row = row[order].astype(np.int32, copy=False)
        self._weight = weight[order].astype(np.int32, copy=False)
        self._starts = np.searchsorted(self._term, np.arange(len(self.index) + 1))
        self._span = int(self._row.max()) + 1 if len(self._row) else 0
        # Each term's largest weight (``best_similarity``).
        self._top = np.zeros(len(self.index) + 1, dtype=np.int64)
        lists = np.flatnonzero(self._starts[:-1] < self._starts[1:])
        if lists.size:
            self._top[lists] = np.maximum.reduceat(self._weight, self._starts[lists])
        # The same entries by row, for the dot products of a few rows (``dots_at``).
        self._by_row = np.argsort(self._row, kind="stable").astype(np.int32)
        self._row_starts = np.searchsorted(self._row[self._by_row], np.arange(self._span + 1))

    def __len__(self) -> int:
        """Entries in the lists (the overlay not counted)."""
        return len(self._term)

    @property
    def pending(self) -> int:
        return len(self._overlay)

    def set(self, row: int, terms: Terms) -> None:
        """Row ``row`` now holds ``terms``."""
        index = self.index
        ids = [index.setdefault(term, len(index)) for term, _weight in terms]
        self._overlay[row] = (ids, [weight for _term, weight in terms])
        self._flat = None

    def drop(self, row: int) -> None:
        """Row ``row`` is gone (the last row, removed): its pending text with it."""
        if self._overlay.pop(row, None) is not None:
            self._flat = None

    def move(self, source: int, target: int) -> None:
        """Row ``target`` now holds what ``source`` held (``source`` is dropped)."""
        if source in self._overlay:
            self._overlay[target] = self._overlay.pop(source)
        else:
            mine = self._row == source
            self._overlay[target] = (self._term[mine].tolist(), self._weight[mine].tolist())
        self._flat = None

    def flat(self, rows: Sequence[int], vectors: Iterable[Terms]) -> tuple[np.ndarray, ...]:
        """Many rows' vectors as three flat arrays (term ids, rows, weights) for ``replace``."""
        index = self.index
        counts, ids, weights = [], [], []
        for terms in vectors:
            counts.append(len(terms))
            for term, weight in terms:
                ids.append(index.setdefault(term, len(index)))
                weights.append(weight)
        return (
            np.array(ids, np.int32),
            np.repeat(np.asarray(rows, np.int32), counts),
            np.array(weights, np.int32),
        )

    def replace(self, parts: Sequence[tuple[np.ndarray, ...]]) -> None:
        """Rows now hold the vectors of ``parts`` (from ``flat``): one sort for them all."""
        rows = np.concatenate([part[1] for part in parts])
        for row in np.unique(rows).tolist():
            self._overlay.pop(row, None)
        self._flat = None
        keep = ~np.isin(self._row, rows)
        self._install(
            np.concatenate([self._term[keep], *(part[0] for part in parts)]),
            np.concatenate([self._row[keep], rows]),
            np.concatenate([self._weight[keep], *(part[2] for part in parts)]),
        )

    def rebuild(self, size: int) -> None:
        """Merge the overlay into the lists, dropping rows from ``size`` on."""
        keep = self._row < size
        if self._overlay:
            keep &= ~np.isin(self._row, np.fromiter(self._overlay, np.int64))
        rows, ids, weights = self._flattened()
        self._overlay, self._flat = {}, None
        self._install(
            np.concatenate([self._term[keep], ids.astype(np.int32)]),
            np.concatenate([self._row[keep], rows]),
            np.concatenate([self._weight[keep], weights]),
        )

    def _flattened(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The overlay as three arrays: rows, term ids, weights."""
        if self._flat is None:
            overlay = self._overlay.values()
            count = sum(len(ids) for ids, _weights in overlay)
            self._flat = (
                np.repeat(
                    np.fromiter(self._overlay, np.int64, len(self._overlay)),
                    [len(ids) for ids, _weights in overlay],
                ),
                np.fromiter(chain.from_iterable(ids for ids, _w in overlay), np.int64, count),
                np.fromiter(chain.from_iterable(w for _ids, w in overlay), np.int64, count),
            )
        return self._flat

    def merged(self, keep: np.ndarray, other: Postings) -> Postings:
        """The rows of ``self`` where ``keep`` (renumbered in order), then ``other``'s."""
        assert not self._overlay and not other._overlay
        result = Postings()
        result.index = dict(self.index)
        remap = np.array(
            [result.index.setdefault(term, len(result.index)) for term in other.index] or [0],
            np.int32,
        )
        live = keep[self._row] if len(self._row) else np.zeros(0, bool)
        new_row = np.cumsum(keep) - 1
        result._install(
            np.concatenate([self._term[live], remap[other._term]]),
            np.concatenate([new_row[self._row[live]], other._row + int(keep.sum())]),
            np.concatenate([self._weight[live], other._weight]),
        )
        return result

    def best_similarity(self, query: Terms) -> float:
        """An upper bound of ``similarity`` of ``query`` to any row: each query term
        times the largest weight the term has in any row."""
        top = self._top
        if self._overlay:
            _rows, ids, weights = self._flattened()
            top = np.zeros(len(self.index) + 1, dtype=np.int64)
            top[: len(self._top)] = self._top
            np.maximum.at(top, ids, weights)
        dot = 0
        for term, weight in query:
            index = self.index.get(term)
            if index is not None and index < len(top):
                dot += weight * int(top[index])
        return similarity_of(dot)

    def dots_at(self, query: Terms, rows: np.ndarray) -> np.ndarray:
        """``dots`` of ``rows`` only: reads those rows' entries, not the query's lists."""
        weights = np.zeros(len(self.index) + 1, dtype=np.int64)
        for term, weight in query:
            index = self.index.get(term)
            if index is not None:
                weights[index] = weight
        known = np.minimum(rows, self._span)
        starts, ends = self._row_starts[known], self._row_starts[np.minimum(known + 1, self._span)]
        lengths = ends - starts
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        entries = self._by_row[at]
        products = weights[self._term[entries]] * self._weight[entries]
        # Float sums of integers below 2**53: exact.
        owner = np.repeat(np.arange(len(rows)), lengths)
        dots = np.bincount(owner, weights=products, minlength=len(rows)).astype(np.int64)
        if self._overlay:
            for i, row in enumerate(rows.tolist()):
                if row in self._overlay:
                    ids, row_weights = self._overlay[row]
                    dots[i] = sum(
                        int(weights[t]) * w for t, w in zip(ids, row_weights, strict=True)
                    )
        return dots

    def dots(self, query: Terms, size: int) -> np.ndarray:
        """Per row below ``size``, the integer dot product of its vector with ``query``."""
        dots = np.zeros(max(size, self._span), dtype=np.int64)
        wanted: dict[int, int] = {}
        for term, weight in query:
            index = self.index.get(term)
            if index is None:
                continue
            wanted[index] = weight
            if index + 1 < len(self._starts):
                lo, hi = self._starts[index], self._starts[index + 1]
                dots[self._row[lo:hi]] += weight * self._weight[lo:hi]
        if self._overlay:
            rows, ids, weights = self._flattened()
            query_weights = np.zeros(len(self.index) + 1, dtype=np.int64)
            query_weights[list(wanted)] = list(wanted.values())
            dots[np.fromiter(self._overlay, np.int64)] = 0
            np.add.at(dots, rows, query_weights[ids] * weights)
        return dots[:size]
