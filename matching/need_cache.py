"""The process-local cache of open ideas' Needs, for "ideas for an organisation".

Building the Need of every open idea (its codes, its consortium, the call's
verdict from ``projects.eligibility.check``, the keyword buckets of its text)
takes about two seconds at 8,500 open ideas, so each process keeps them: one
``IdeaEntry`` (display fields and the Need, for re-scoring the winners with
reasons) per open idea, and a ``need_matrix.NeedMatrix`` over them for
ranking one organisation against all of them at once.

Which ideas are kept: status open, lead active, closing on or after the
``floor`` date of the last full load. An idea whose closing date passes
needs no change to drop out: ``top`` is given ``today`` and leaves out ideas
closing before it. (A call with a ``today`` before the floor rebuilds.)

It stays current through the change log (``partnerhub.changes``), as
``matching.cache`` does: the log rows new since the last call name the ideas
to rebuild — ideas changed, ideas with an application changed, ideas whose
call changed, ideas whose lead or a consortium member changed — which are
reloaded (or dropped when no longer open, hidden or deleted), and
``NeedMatrix.updated`` replaces their columns, copying the others.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from organisations.models import Organisation
from partnerhub import changes
from partnerhub.changes import Batch, RefreshingCache
from projects.models import (
    CONSORTIUM_STATUSES,
    Call,
    IdeaStatus,
    PartnershipApplication,
    ProjectIdea,
)

from . import need_matrix
from .cache import Records
from .features import Member, build_need, co_partners, idea_codes, idea_queryset
from .scoring import DEFAULT_WEIGHTS, Candidate, Need, Weights

logger = logging.getLogger(__name__)

#: The tables a Need is read from, in stamp order.
_MODELS = (ProjectIdea, PartnershipApplication, Call, Organisation)
#: Above this many changed ideas a refresh reloads everything (one query
#: instead of a long list of ids as parameters).
_MAX_INCREMENTAL = 2_000


@dataclass(frozen=True, slots=True)
class IdeaEntry:
    """One open idea as the cache keeps it: what a suggestion shows, and its Need."""

    id: int
    slug: str
    title: str
    lead_name: str
    lead_country: str
    closes_on: datetime.date
    need: Need


def load_entries(floor: datetime.date, ids: set[int] | None = None) -> dict[int, IdeaEntry]:
    """The open ideas (of ``ids``, or all) closing on or after ``floor``: three queries.

    Built exactly as ``services.suggest_ideas`` built them per call before the
    cache: the idea with its lead, call and language; its codes; its
    consortium (every application in a consortium status, in no set order).
    """
    # Ideas and leads hidden by staff moderation are offered to no one.
    where = Q(
        status=IdeaStatus.OPEN,
        closes_on__gte=floor,
        lead__is_active=True,
        lead__hidden_at__isnull=True,
        hidden_at__isnull=True,
    )
    if ids is not None:
        where &= Q(pk__in=list(ids))
    selected = ProjectIdea.objects.filter(where).values("pk")
    ideas = list(idea_queryset().filter(where).order_by())
    codes = idea_codes(selected)
    partners: dict[int, list[Member]] = defaultdict(list)
    rows = (
        PartnershipApplication.objects.filter(status__in=CONSORTIUM_STATUSES, idea_id__in=selected)
        .order_by()
        .values_list("idea_id", "organisation_id", "organisation__name",
                     "organisation__country", "organisation__kind")
    )  # fmt: skip
    for idea_id, org_id, name, country, kind in rows:
        partners[idea_id].append(Member(org_id, name, str(country), kind))
    # The track records of every lead and partner, in one query.
    history = co_partners(
        {idea.lead_id for idea in ideas} | {m.id for members in partners.values() for m in members}
    )
    return {
        idea.pk: IdeaEntry(
            id=idea.pk,
            slug=idea.slug,
            title=idea.title,
            lead_name=idea.lead.name,
            lead_country=str(idea.lead.country),
            closes_on=idea.closes_on,
            need=build_need(
                idea, codes=codes.get(idea.pk, {}), partners=partners[idea.pk], history=history
            ),
        )
        for idea in ideas
    }


def _affected_ideas(batch: Batch) -> set[int]:
    """The ideas whose Need may have changed, from what the log names: one UNION query."""
    ideas = batch.of(changes.IDEA) | batch.of(changes.APPLICATION)
    calls, organisations = batch.of(changes.CALL), batch.of(changes.ORGANISATION)
    parts = []
    if calls:
        parts.append(ProjectIdea.objects.filter(call_id__in=list(calls)).values_list("pk"))
    if organisations:
        parts.append(ProjectIdea.objects.filter(lead_id__in=list(organisations)).values_list("pk"))
        parts.append(
            PartnershipApplication.objects.filter(
                status__in=CONSORTIUM_STATUSES, organisation_id__in=list(organisations)
            ).values_list("idea_id")
        )
    if parts:
        parts = [part.order_by() for part in parts]
        ideas |= {pk for (pk,) in parts[0].union(*parts[1:])}
    return ideas


class NeedCache(RefreshingCache):
    """The Needs of the open ideas and their NeedMatrix, kept current by the change log."""

    def __init__(self) -> None:
        super().__init__()
        # Packed (``cache.Records``): a forked worker reading one copies no shared page.
        self._entries = Records()
        self._matrix: need_matrix.NeedMatrix | None = None
        self._floor: datetime.date | None = None

    def top(
        self,
        candidate: Candidate,
        *,
        today: datetime.date,
        limit: int,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> list[tuple[IdeaEntry, float]]:
        """The ``limit`` best open ideas for ``candidate`` on ``today``, best first, with totals."""
        with self._lock:
            self._current(today)
            assert self._matrix is not None
            best = need_matrix.top_k(
                self._matrix, candidate, today=today, limit=limit, weights=weights
            )
            return [(self._entries.get(pk), total) for pk, total in best]

    def warm(self, today: datetime.date) -> int:
        """Load (or refresh) now rather than on the first request; returns the size."""
        with self._lock:
            self._current(today)
            return len(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    # --- the refresh protocol ---------------------------------------------------

    def is_built(self) -> bool:
        return self._matrix is not None

    def fits(self, today) -> bool:
        # Ideas closing before the floor were never loaded: an earlier day needs them.
        return self._floor is not None and today is not None and today >= self._floor

    def forget(self) -> None:
        self._entries, self._matrix, self._floor = Records(), None, None

    def build(self, today):
        entries = load_entries(today)
        return Records(entries.values()), _matrix_of(entries.values()), today

    def install(self, snapshot, context=None) -> None:
        self._entries, self._matrix, self._floor = snapshot

    def patch(self, batch: Batch) -> bool:
        assert self._matrix is not None and self._floor is not None
        changed = _affected_ideas(batch)
        if not changed:
            return True
        if len(changed) > _MAX_INCREMENTAL:
            return False  # a bulk change: cheaper to read everything
        fresh = load_entries(self._floor, changed)
        for pk in changed:
            self._entries.drop(pk)
        for entry in fresh.values():
            self._entries.put(entry)
        entries = list(fresh.values())
        self._matrix = self._matrix.updated(
            changed, [e.id for e in entries], [e.need for e in entries],
            [e.closes_on for e in entries],
        )  # fmt: skip
        return True


def _matrix_of(entries) -> need_matrix.NeedMatrix:
    entries = list(entries)
    return need_matrix.NeedMatrix(
        [e.id for e in entries], [e.need for e in entries], [e.closes_on for e in entries]
    )


#: The one cache of this process.
open_ideas = NeedCache()
