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

from matching.ranking import _BUCKET_WORDS, _mask_words, _popcount_and, _split_words, best_of
from matching.scoring import (
    COMPLEMENTARY_SECTORS,
    DEFAULT_WEIGHTS,
    ENGLISH,
    EXPERIENCE_CAP,
    EXPERIENCE_CURVE,
    EXPERIENCE_FIT,
    EXPERIENCE_LEVELS,
    MIN_TEXT_KEYWORDS,
    UNSTATED,
    Candidate,
    Need,
    Weights,
    country_credit,
    freshness,
    goals_value,
    language_value,
    programme_experience,
    sector_value,
    theme_focus,
    track_credit,
    trust_value,
    weighted_total,
)
from matching.text import WORD_BUCKETS

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
    # Organisation ids (the membership index takes any hashable code).
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


#: Per-need arrays, concatenated as they are when needs are replaced.
_COLUMNS = (
    "ids",
    "closes",
    "lead",
    "countries_needed",
    "lead_experience",
    "word_count",
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
        self._sets = {name: _Membership([getattr(n, name) for n in needs]) for name in _SETS}
        self._sets["language"] = _Membership(
            [frozenset() if n.language is None else frozenset({n.language}) for n in needs]
        )
        self._sets["programme"] = _Membership(
            [frozenset({n.programme}) if n.programme else frozenset() for n in needs]
        )
        self.countries_needed = np.array([n.countries_needed > 0 for n in needs], dtype=bool)
        self.partners_allowed = np.array([n.partners_allowed for n in needs], dtype=bool)
        self.lead_experience = np.array(
            [_EXPERIENCE_INDEX[n.lead_experience] for n in needs], dtype=np.intp
        )
        self.word_count = np.array([len(n.words) for n in needs], dtype=np.int64)
        self.words = _split_words(
            [sum(1 << bucket for bucket in n.words) for n in needs], _BUCKET_WORDS
        )
        # (organisation, row) for the lead and every member of each need: the
        # organisations that must never see that need.
        pairs = [(pk, row) for row, n in enumerate(needs) for pk in n.member_ids | {n.lead_id}]
        self.member_org = np.array([pk for pk, _ in pairs], dtype=np.int64)
        self.member_row = np.array([row for _, row in pairs], dtype=np.intp)

    def __len__(self) -> int:
        return len(self.ids)

    def attribute(self, name: str) -> _Membership:
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
        kept = int(keep.sum())
        result = object.__new__(NeedMatrix)
        result.dated = self.dated
        for name in _COLUMNS:
            setattr(result, name, np.concatenate([getattr(self, name)[keep], getattr(other, name)]))
        result.words = np.concatenate([self.words[:, keep], other.words], axis=1)
        result._sets = {
            name: membership.merged(keep, other._sets[name])
            for name, membership in self._sets.items()
        }
        new_row = np.cumsum(keep) - 1  # old row -> row in the result, where kept
        still = keep[self.member_row]
        result.member_org = np.concatenate([self.member_org[still], other.member_org])
        result.member_row = np.concatenate(
            [new_row[self.member_row[still]], other.member_row + kept]
        )
        return result


# --- scoring ------------------------------------------------------------------


def eligible(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    """The hard filters of ``scoring.is_eligible`` as a boolean mask over the needs."""
    ok = matrix.lead != candidate.id
    ok[matrix.member_row[matrix.member_org == candidate.id]] = False
    countries = matrix.attribute("eligible_countries")
    ok &= ~countries.stated | countries.has(candidate.country)
    kinds = matrix.attribute("allowed_kinds")
    ok &= ~kinds.stated | kinds.has(candidate.kind)
    ok &= matrix.partners_allowed
    if candidate.region:
        # scoring.outside_area: a stated region must lie within the call's area
        # (a NUTS code lies within each of its prefixes).
        regions = matrix.attribute("eligible_regions")
        inside = np.zeros(len(matrix), dtype=bool)
        for end in range(2, len(candidate.region) + 1):
            inside |= regions.has(candidate.region[:end])
        ok &= ~matrix.attribute("region_countries").has(candidate.country) | inside
    return ok


def _keyword_similarity(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    # scoring.similarity_from_counts(shared, len(candidate.words), len(need.words)), elementwise.
    size = len(candidate.words)
    bits = sum(1 << bucket for bucket in candidate.words)
    shared = _popcount_and(matrix.words, _mask_words(bits, _BUCKET_WORDS))
    sizes = matrix.word_count
    expected = size * sizes / WORD_BUCKETS
    room = np.maximum(np.minimum(sizes, size), MIN_TEXT_KEYWORDS) - expected
    similarity = np.zeros(len(matrix))
    np.divide(shared - expected, room, out=similarity, where=room > 0)
    return np.clip(similarity, 0.0, 1.0, out=similarity)


def _goals(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    themes = matrix.attribute("themes")
    theme_share = themes.share(candidate.themes)
    focus = theme_focus(len(candidate.themes))
    theme_share[themes.stated] *= focus
    return goals_value(theme_share, _keyword_similarity(matrix, candidate))


def _sector(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    kinds = matrix.attribute("kinds_sought")
    kind_part = np.where(kinds.stated, kinds.has(candidate.kind).astype(np.float64), UNSTATED)
    if candidate.sector in COMPLEMENTARY_SECTORS:
        complement = (~matrix.attribute("member_sectors").has(candidate.sector)).astype(np.float64)
    else:
        complement = np.zeros(len(matrix))
    # Complementarity is the lead's choice: UNSTATED where no kinds are sought.
    complement = np.where(kinds.stated, complement, UNSTATED)
    return sector_value(
        matrix.attribute("fields_sought").share(candidate.fields), kind_part, complement
    )


def _country(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    country = candidate.country
    sought = matrix.attribute("countries_sought")
    parts = {
        "required": matrix.attribute("required_countries").has(country).astype(np.float64),
        "sought": np.where(sought.stated, sought.has(country).astype(np.float64), UNSTATED),
        "new": (~matrix.attribute("member_countries").has(country)).astype(np.float64),
    }
    credit = np.where(
        matrix.countries_needed,
        country_credit(**parts, countries_needed=True),
        country_credit(**parts, countries_needed=False),
    )
    return np.minimum(credit, 1.0)


def _language(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    # Four cases per need (speaks its language?, has it a language?); the value
    # of each comes from scoring.language_value itself.
    speaks_english = ENGLISH in candidate.languages
    language = matrix.attribute("language")
    stated = language.stated
    speaks_idea_language = language.shared(candidate.languages) > 0
    table = np.array(
        [
            language_value(
                speaks_idea_language=si, speaks_english=speaks_english, idea_language_set=st
            )
            for si in (False, True)
            for st in (False, True)
        ]
    )
    return table[speaks_idea_language.astype(np.intp) * 2 + stated.astype(np.intp)]


def _experience(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    fit = np.array([EXPERIENCE_FIT[level][candidate.experience] for level in EXPERIENCE_LEVELS])
    return fit[matrix.lead_experience]


def _track_record(matrix: NeedMatrix, candidate: Candidate) -> np.ndarray:
    # The candidate's experience per programme is a handful of scalars; each
    # need picks the one of its programme (all projects when it names none).
    programme = matrix.attribute("programme")
    total = candidate.past_projects
    in_programme = np.full(len(matrix), programme_experience(total))
    in_programme[programme.stated] = programme_experience(0)
    for code, count, _since in candidate.past_programmes:
        in_programme[programme.has(code)] = programme_experience(count)
    with_lead = matrix.attribute("lead_partners").has(candidate.id)
    shared = with_lead.astype(np.intp)
    pairs = matrix.attribute("lead_shared")
    for count in range(2, EXPERIENCE_CAP + 1):  # ascending: the largest wins
        shared[with_lead & pairs.has((candidate.id, count))] = count
    credit = track_credit(
        lead=np.take(np.array(EXPERIENCE_CURVE), shared),
        member=matrix.attribute("member_partners").has(candidate.id).astype(np.float64),
        programme=in_programme,
        anywhere=programme_experience(total),
    )
    return np.minimum(credit, 1.0)


def _trust(candidate: Candidate, today: date) -> float:
    completeness = min(1.0, max(0.0, candidate.completeness))
    return trust_value(
        float(candidate.verified), freshness(candidate.updated_on, today), completeness
    )


def totals(
    matrix: NeedMatrix,
    candidate: Candidate,
    *,
    today: date,
    weights: Weights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """The candidate's total against every need, as ``scoring.score`` computes it."""
    components = {
        "goals": _goals(matrix, candidate),
        "sector": _sector(matrix, candidate),
        "country": _country(matrix, candidate),
        "target_groups": matrix.attribute("target_groups").share(candidate.target_groups),
        "language": _language(matrix, candidate),
        "experience": _experience(matrix, candidate),
        "trust": _trust(candidate, today),
        "track_record": _track_record(matrix, candidate),
    }
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
