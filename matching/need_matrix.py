"""Score ONE candidate against MANY needs: the mirror image of ``ranking.FeatureMatrix``.

"Ideas for an organisation" scores one organisation against every open idea.
``scoring.score`` does that one idea at a time (about 0.4 ms each, with
reasons); here the open ideas' Needs live in a ``NeedMatrix`` (one array per
attribute) and ``totals`` computes the organisation's total against every
idea with whole-array operations. The caller re-scores only the final few
with ``scoring.score`` for their reasons.

The totals are the same to the last bit as ``scoring.score``'s: the
arithmetic-only formulas are shared (``goals_value``, ``sector_value``,
``country_credit``, ``language_value``, ``trust_value``, ``theme_focus``,
``freshness``), each evaluated on the same operands in the same order, and the
components are summed in COMPONENTS order. tests/matching/test_need_matrix.py
checks it over random needs and candidates.

With a single candidate, a set-valued need attribute reduces to "which needs
contain this code": each such attribute is stored as a boolean membership
matrix (codes × needs) with its own code index, and a candidate's
overlap with every need is the sum of the rows of the codes it has. Keyword
buckets are bitmasks, as in ``ranking``.

A NeedMatrix is immutable: build a new one when the needs change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from matching import scoring, text
from matching.ranking import best_of
from matching.scoring import (
    CANDIDATE_NUMBERS,
    DEFAULT_WEIGHTS,
    EXPERIENCE_CAP,
    EXPERIENCE_LEVELS,
    UNSTATED,
    Candidate,
    Need,
    Weights,
    need_set,
    weighted_total,
)

#: Need attributes that are sets of codes, each stored as a membership matrix.
_SETS = (
    "themes",
    "target_groups",
    "fields_sought",
    "kinds_sought",
    "countries_sought",
    "member_countries",
    "member_sectors",
    "eligible_countries",
    "allowed_kinds",
    "required_countries",
    "eligible_regions",
    "region_countries",
    "programme_themes",
    "language",
)
#: Need attributes whose codes are organisation ids (many, each in few needs),
#: stored as (code, need) pairs rather than a codes × needs matrix.
_PAIRS = (
    "member_ids",
    "lead_partners",
    "member_partners",
    "lead_shared",  # (organisation id, shared projects) pairs
)
_EXPERIENCE_INDEX = {level: i for i, level in enumerate(EXPERIENCE_LEVELS)}


class _Membership:
    """One set attribute of every need: a (codes, needs) boolean matrix and set sizes."""

    def __init__(self, sets: Sequence[frozenset[str]]) -> None:
        index: dict[str, int] = {}
        codes_at: list[int] = []
        sizes: list[int] = []
        for codes in sets:
            sizes.append(len(codes))
            codes_at.extend(index.setdefault(code, len(index)) for code in codes)
        self.index = index
        self.matrix = np.zeros((len(index), len(sets)), dtype=bool)
        self.sizes = np.array(sizes, dtype=np.int64)
        self.matrix[codes_at, np.repeat(np.arange(len(sets)), self.sizes)] = True

    @property
    def stated(self) -> np.ndarray:
        return self.sizes > 0

    def merged(self, keep: np.ndarray, other: _Membership) -> _Membership:
        """The needs of ``self`` where ``keep``, followed by those of ``other``."""
        index = dict(self.index)
        for code in other.index:
            index.setdefault(code, len(index))
        kept = int(keep.sum())
        matrix = np.zeros((len(index), kept + other.matrix.shape[1]), dtype=bool)
        matrix[: len(self.index), :kept] = self.matrix[:, keep]
        rows = [index[code] for code in other.index]
        matrix[rows, kept:] = other.matrix
        result = object.__new__(_Membership)
        result.index, result.matrix = index, matrix
        result.sizes = np.concatenate([self.sizes[keep], other.sizes])
        return result

    def has(self, code: str) -> np.ndarray:
        """Per need, whether its set contains ``code``."""
        index = self.index.get(code)
        if index is None:
            return np.zeros(self.matrix.shape[1], dtype=bool)
        return self.matrix[index]

    def shared(self, codes: frozenset[str]) -> np.ndarray:
        """Per need, how many of ``codes`` its set contains."""
        indices = [i for i in (self.index.get(code) for code in codes) if i is not None]
        return self.matrix[indices].sum(axis=0, dtype=np.int64)

    def share(self, codes: frozenset[str]) -> np.ndarray:
        """``scoring._share(codes, need set)`` per need: UNSTATED where the need states none."""
        out = np.full(self.matrix.shape[1], UNSTATED)
        np.divide(self.shared(codes), self.sizes, out=out, where=self.stated)
        return out


class _Pairs:
    """One id-valued set attribute of every need, as (code, need row) pairs."""

    def __init__(self, sets: Sequence[frozenset]) -> None:
        self.index: dict = {}
        codes: list[int] = []
        rows: list[int] = []
        for row, found in enumerate(sets):
            for code in found:
                codes.append(self.index.setdefault(code, len(self.index)))
                rows.append(row)
        self.codes = np.array(codes, dtype=np.int64)
        self.rows = np.array(rows, dtype=np.intp)
        self.size = len(sets)

    def has(self, code) -> np.ndarray:
        """Per need, whether its set contains ``code``."""
        found = np.zeros(self.size, dtype=bool)
        index = self.index.get(code)
        if index is not None:
            found[self.rows[self.codes == index]] = True
        return found

    def merged(self, keep: np.ndarray, other: _Pairs) -> _Pairs:
        """The needs of ``self`` where ``keep``, followed by those of ``other``."""
        result = object.__new__(_Pairs)
        result.index = dict(self.index)
        remap = [result.index.setdefault(code, len(result.index)) for code in other.index]
        still, kept = keep[self.rows], int(keep.sum())
        result.codes = np.concatenate(
            [self.codes[still], np.array(remap or [0], dtype=np.int64)[other.codes]]
        )
        result.rows = np.concatenate([(np.cumsum(keep) - 1)[self.rows[still]], other.rows + kept])
        result.size = kept + other.size
        return result


#: Per-need arrays, concatenated as they are when needs are replaced.
_COLUMNS = (
    "ids",
    "closes",
    "lead",
    "countries_needed",
    "lead_experience",
    "partners_allowed",
)


class NeedMatrix:
    """Needs as columns, with the id (an idea's) of each and its closing date.

    Immutable: ``updated`` returns a new matrix with some needs dropped and
    others appended, copying the unchanged columns rather than rebuilding
    them from Need objects.
    """

    def __init__(
        self,
        ids: Sequence[int],
        needs: Sequence[Need],
        closes_on: Sequence[date] | None = None,
    ) -> None:
        if len(ids) != len(needs) or (closes_on is not None and len(closes_on) != len(needs)):
            raise ValueError("one id (and closing date) per need")
        self.ids = np.array(ids, dtype=np.int64)
        # No closing dates: the needs never close.
        self.closes = np.array(
            [d.toordinal() for d in closes_on] if closes_on is not None else [0] * len(needs),
            dtype=np.int64,
        )
        self.dated = closes_on is not None
        self.lead = np.array([n.lead_id for n in needs], dtype=np.int64)
        self._sets = {name: _Membership([need_set(n, name) for n in needs]) for name in _SETS}
        self._sets.update({name: _Pairs([getattr(n, name) for n in needs]) for name in _PAIRS})
        self._sets["programme"] = _Membership(
            [frozenset({n.programme}) if n.programme else frozenset() for n in needs]
        )
        self.countries_needed = np.array([n.countries_needed > 0 for n in needs], dtype=bool)
        self.partners_allowed = np.array([n.partners_allowed for n in needs], dtype=bool)
        self.lead_experience = np.array(
            [_EXPERIENCE_INDEX[n.lead_experience] for n in needs], dtype=np.intp
        )
        # Text: every need's terms as posting lists.
        self.postings = text.Postings()
        for row, n in enumerate(needs):
            self.postings.set(row, n.terms)
        self.postings.rebuild(len(needs))

    def __len__(self) -> int:
        return len(self.ids)

    def attribute(self, name: str) -> _Membership | _Pairs:
        return self._sets[name]

    def updated(
        self,
        remove: Iterable[int],
        ids: Sequence[int],
        needs: Sequence[Need],
        closes_on: Sequence[date] | None = None,
    ) -> NeedMatrix:
        """A new matrix: these needs without the ids in ``remove``, then ``needs`` appended.

        An id both removed and appended is replaced. The result ranks exactly
        as a matrix built from scratch over the same needs (row order differs,
        which ranking ignores: ties are broken by id).
        """
        other = NeedMatrix(ids, needs, closes_on if self.dated else None)
        gone = np.isin(self.ids, np.fromiter(set(remove) | set(ids), dtype=np.int64))
        keep = ~gone
        result = object.__new__(NeedMatrix)
        result.dated = self.dated
        result.postings = self.postings.merged(keep, other.postings)
        for name in _COLUMNS:
            setattr(result, name, np.concatenate([getattr(self, name)[keep], getattr(other, name)]))
        result._sets = {
            name: membership.merged(keep, other._sets[name])
            for name, membership in self._sets.items()
        }
        return result


# --- scoring ------------------------------------------------------------------

#: The needs' numbers the rules read (``scoring.NEED_NUMBERS``), as NeedMatrix columns.
_NEED_COLUMNS = {
    "countries_needed": "countries_needed",
    "lead_experience": "lead_experience",
    "partners_allowed": "partners_allowed",
}


class Needs:
    """The view of one candidate against every need of a matrix (``scoring``'s rules).

    With a single candidate, a need set reduces to "which needs contain this
    code": a membership matrix row, or the sum of the rows of its codes.
    """

    def __init__(self, matrix: NeedMatrix, candidate: Candidate, today: date) -> None:
        self.matrix, self.candidate, self.today = matrix, candidate, today.toordinal()
        self._relevance: np.ndarray | None = None

    def stated(self, name: str) -> np.ndarray:
        return self.matrix.attribute(name).stated

    def share(self, have: str, wanted: str) -> np.ndarray:
        return self.matrix.attribute(wanted).share(getattr(self.candidate, have))

    def isin(self, code: str, name: str) -> np.ndarray:
        return self.matrix.attribute(name).has(getattr(self.candidate, code))

    def has(self, name: str, code: str) -> np.bool_:
        return np.bool_(code in getattr(self.candidate, name))

    def cand(self, name: str):
        return CANDIDATE_NUMBERS[name](self.candidate)

    def need_value(self, name: str) -> np.ndarray:
        return getattr(self.matrix, _NEED_COLUMNS[name])

    def id_in(self, name: str) -> np.ndarray:
        return self.matrix.attribute(name).has(self.candidate.id)

    def is_member(self) -> np.ndarray:
        return (self.matrix.lead == self.candidate.id) | self.id_in("member_ids")

    def lead_shared(self) -> np.ndarray:
        with_lead = self.id_in("lead_partners")
        shared = with_lead.astype(np.intp)
        pairs = self.matrix.attribute("lead_shared")
        for count in range(2, EXPERIENCE_CAP + 1):  # ascending: the largest wins
            if (self.candidate.id, count) in pairs.index:
                shared[with_lead & pairs.has((self.candidate.id, count))] = count
        return shared

    def past_in_programme(self) -> np.ndarray:
        programme = self.matrix.attribute("programme")
        counts = np.where(programme.stated, 0, self.candidate.past_projects)
        for code, count, _since in self.candidate.past_programmes:
            counts[programme.has(code)] = count
        return counts

    def relevance(self) -> np.ndarray:
        """``text.similarity`` to every need, from integer dot products (once per view)."""
        if self._relevance is None:
            dots = self.matrix.postings.dots(self.candidate.terms, len(self.matrix))
            self._relevance = np.minimum(dots / (text.WEIGHT_SCALE * text.WEIGHT_SCALE), 1.0)
        return self._relevance

    def outside_area(self) -> np.ndarray:
        """``scoring.outside_area``: a stated region must lie within the call's area
        (a NUTS code lies within each of its prefixes)."""
        region, matrix = self.candidate.region, self.matrix
        if not region:
            return np.zeros(len(matrix), dtype=bool)
        inside = np.zeros(len(matrix), dtype=bool)
        for end in range(2, len(region) + 1):
            inside |= matrix.attribute("eligible_regions").has(region[:end])
        return matrix.attribute("region_countries").has(self.candidate.country) & ~inside


def eligible(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    """The hard filters of ``scoring.eligible`` as a boolean mask over the needs."""
    return scoring.eligible(Needs(matrix, candidate, date.min))


def totals(
    matrix: NeedMatrix,
    candidate: Candidate,
    *,
    today: date,
    weights: Weights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """The candidate's total against every need, as ``scoring.score`` computes it."""
    components = scoring.values(Needs(matrix, candidate, today))
    return weighted_total(components, weights, start=np.zeros(len(matrix), dtype=np.float64))


def top_k(
    matrix: NeedMatrix,
    candidate: Candidate,
    *,
    today: date,
    limit: int,
    weights: Weights = DEFAULT_WEIGHTS,
    mask: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """(need id, total) of the ``limit`` best needs the candidate is eligible for, best first.

    Order as ``scoring.rank`` orders candidates: total descending, then id
    ascending. With closing dates, needs closing before ``today`` are left
    out; ``mask`` (a boolean array over the needs) leaves out more.
    """
    if limit <= 0 or not len(matrix):
        return []
    keep = eligible(matrix, candidate)
    if matrix.dated:
        keep &= matrix.closes >= today.toordinal()
    if mask is not None:
        keep &= mask
    rows = np.flatnonzero(keep)
    if not rows.size:
        return []
    scores = totals(matrix, candidate, today=today, weights=weights)[rows]
    return best_of(matrix.ids[rows], scores, limit)
