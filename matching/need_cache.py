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

Consistency across processes, as in ``matching.cache``: every call first
runs one query (``_stamp``), for each of the tables a Need is built from —
ideas, partnership applications, calls and organisations (the lead and the
consortium members) — ``MAX(updated_at)``, ``COUNT(*)`` (not for
organisations) and ``COUNT(*) WHERE updated_at >= cutoff``. If the answer is
the one stored at the last load, the cache is current. Otherwise the rows of
each table changed since its cutoff (its high-water mark minus ``OVERLAP``)
name the ideas to rebuild: ideas changed, ideas whose call changed, ideas
whose lead changed, ideas with an application changed, ideas with a
consortium member whose profile changed. Those ideas are reloaded (or
dropped if no longer open) and ``NeedMatrix.updated`` replaces their
columns, copying the others. Deletions: the process knows the ids of every idea,
application and call; if after the refresh it knows a different number
than a table's count, rows were deleted and it rebuilds everything.

What moves the stamp: saving an idea, application or call (``auto_now``);
an idea's themes, target groups or fields sought (``matching.signals``
touches the idea's ``updated_at`` on ``m2m_changed``); a profile change of a
lead or member (as for ``matching.cache``); deletions (the counts). Not
seen: ``QuerySet.update()`` or raw SQL without ``updated_at`` (Django's
``SET_NULL`` on deleting a call is such an update, but the call count moves).

The stamp is read before the rows, so data may be newer than its stamp,
never older.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q

from organisations.models import Organisation
from projects.models import (
    CONSORTIUM_STATUSES,
    Call,
    IdeaStatus,
    PartnershipApplication,
    ProjectIdea,
)

from . import need_matrix
from .cache import OVERLAP, Timing, _as_datetime
from .features import Member, build_need, idea_codes, idea_queryset
from .scoring import DEFAULT_WEIGHTS, Candidate, Need, Weights

logger = logging.getLogger(__name__)

#: The tables a Need is read from, in stamp order.
_MODELS = (ProjectIdea, PartnershipApplication, Call, Organisation)
#: Above this many changed ideas a refresh reloads everything (one query
#: instead of a long list of ids as parameters).
_MAX_INCREMENTAL = 2_000


@dataclass(frozen=True, slots=True)
class TableStamp:
    latest: datetime.datetime | None
    total: int
    recent: int
    cutoff: datetime.datetime | None


Stamp = tuple[TableStamp, ...]


def _stamp(cutoffs: tuple[datetime.datetime | None, ...] | None) -> Stamp:
    """One query: per table MAX(updated_at), COUNT(*) and COUNT(*) since its cutoff.

    Ideas, applications and calls have no index on ``updated_at``, so each is
    read in a single scan computing all three; organisations have one, and
    their COUNT(*) (a scan of 100,000 index entries) is not needed: deleting
    a lead or a member deletes ideas or applications, whose counts move.
    """
    connection = connections[router.db_for_read(ProjectIdea)]
    quote = connection.ops.quote_name
    parts: list[str] = []
    params: list = []
    cutoffs = cutoffs or (None,) * len(_MODELS)
    for position, (model, cutoff) in enumerate(zip(_MODELS, cutoffs, strict=True)):
        table = quote(model._meta.db_table)
        updated = quote(model._meta.get_field("updated_at").column)
        since = "0"
        if cutoff is not None:
            params.append(connection.ops.adapt_datetimefield_value(cutoff))
        # Only quoted names from the models' own metadata go into the string.
        if model is Organisation:
            if cutoff is not None:
                since = f"(SELECT COUNT(*) FROM {table} WHERE {updated} >= %s)"  # noqa: S608
            parts.append(
                f"SELECT {position}, (SELECT MAX({updated}) FROM {table}), 0, {since}"  # noqa: S608
            )
        else:
            if cutoff is not None:
                since = f"COUNT(CASE WHEN {updated} >= %s THEN 1 END)"
            parts.append(
                f"SELECT {position}, MAX({updated}), COUNT(*), {since} FROM {table}"  # noqa: S608
            )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = sorted(cursor.fetchall())
    return tuple(
        TableStamp(_as_datetime(latest), int(total), int(recent), cutoff)
        for (_position, latest, total, recent), cutoff in zip(rows, cutoffs, strict=True)
    )


def _cutoffs(stamp: Stamp) -> tuple[datetime.datetime | None, ...]:
    return tuple(None if t.latest is None else t.latest - OVERLAP for t in stamp)


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
    return {
        idea.pk: IdeaEntry(
            id=idea.pk,
            slug=idea.slug,
            title=idea.title,
            lead_name=idea.lead.name,
            lead_country=str(idea.lead.country),
            closes_on=idea.closes_on,
            need=build_need(idea, codes=codes.get(idea.pk, {}), partners=partners[idea.pk]),
        )
        for idea in ideas
    }


def _since(cutoff: datetime.datetime | None, prefix: str = "") -> Q:
    """Rows updated since ``cutoff``; every row when it is None (the table was empty)."""
    return Q() if cutoff is None else Q(**{f"{prefix}updated_at__gte": cutoff})


def _changed_ideas(since: tuple[datetime.datetime | None, ...]) -> set[int]:
    """Ideas whose Need may have changed since the cutoffs: one UNION query."""
    ideas, applications, calls, organisations = since
    changed_organisations = Organisation.objects.filter(_since(organisations)).values("pk")
    parts = [
        ProjectIdea.objects.filter(_since(ideas)).values_list("pk"),
        ProjectIdea.objects.filter(
            call_id__in=Call.objects.filter(_since(calls)).values("pk")
        ).values_list("pk"),
        ProjectIdea.objects.filter(lead_id__in=changed_organisations).values_list("pk"),
        PartnershipApplication.objects.filter(_since(applications)).values_list("idea_id"),
        PartnershipApplication.objects.filter(
            status__in=CONSORTIUM_STATUSES, organisation_id__in=changed_organisations
        ).values_list("idea_id"),
    ]
    parts = [part.order_by() for part in parts]
    return {pk for (pk,) in parts[0].union(*parts[1:])}


class NeedCache:
    """The Needs of the open ideas and their NeedMatrix, kept current by ``_stamp``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[int, IdeaEntry] = {}
        self._matrix: need_matrix.NeedMatrix | None = None
        self._known: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        self._stamp: Stamp | None = None
        self._floor: datetime.date | None = None
        self.last_load: Timing | None = None

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
            self._ensure_current(today)
            assert self._matrix is not None
            best = need_matrix.top_k(
                self._matrix, candidate, today=today, limit=limit, weights=weights
            )
            return [(self._entries[pk], total) for pk, total in best]

    def warm(self, today: datetime.date) -> int:
        """Load (or refresh) now rather than on the first request; returns the size."""
        with self._lock:
            self._ensure_current(today)
            return len(self._entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries, self._matrix, self._stamp, self._floor = {}, None, None, None
            self._known = (set(), set(), set())

    # --- loading --------------------------------------------------------------

    def _ensure_current(self, today: datetime.date) -> None:
        if self._stamp is None or self._floor is None or today < self._floor:
            self._rebuild(today)
            return
        stamp = _stamp(tuple(t.cutoff for t in self._stamp))
        if stamp != self._stamp:
            self._refresh(stamp)

    def _rebuild(self, today: datetime.date) -> None:
        started = time.perf_counter()
        stamp = _stamp(_cutoffs(_stamp(None)))
        self._known = (
            set(ProjectIdea.objects.values_list("pk", flat=True)),
            set(PartnershipApplication.objects.values_list("pk", flat=True)),
            set(Call.objects.values_list("pk", flat=True)),
        )
        self._entries = load_entries(today)
        self._matrix = self._build_matrix()
        self._stamp, self._floor = stamp, today
        self.last_load = Timing("full", len(self._entries), time.perf_counter() - started)
        logger.info(
            "matching: built the needs of %d open ideas in %.3f s",
            len(self._entries),
            self.last_load.seconds,
        )

    def _refresh(self, seen: Stamp) -> None:
        assert self._stamp is not None and self._floor is not None
        started = time.perf_counter()
        since = tuple(t.cutoff for t in self._stamp)  # None: the table was empty
        stamp = _stamp(_cutoffs(seen))  # read before the rows (see the module docstring)
        ideas, applications, calls = self._known
        ideas.update(ProjectIdea.objects.filter(_since(since[0])).values_list("pk", flat=True))
        applications.update(PartnershipApplication.objects.filter(_since(since[1]))
                            .values_list("pk", flat=True))  # fmt: skip
        calls.update(Call.objects.filter(_since(since[2])).values_list("pk", flat=True))
        if (len(ideas), len(applications), len(calls)) != tuple(t.total for t in stamp[:3]):
            self._rebuild(self._floor)  # something was deleted
            return
        changed = _changed_ideas(since)
        if len(changed) > _MAX_INCREMENTAL:
            self._rebuild(self._floor)  # a bulk change: cheaper to read everything
            return
        fresh = load_entries(self._floor, changed) if changed else {}
        for pk in changed:
            self._entries.pop(pk, None)
        self._entries.update(fresh)
        assert self._matrix is not None
        entries = list(fresh.values())
        self._matrix = self._matrix.updated(
            changed, [e.id for e in entries], [e.need for e in entries],
            [e.closes_on for e in entries],
        )  # fmt: skip
        self._stamp = stamp
        self.last_load = Timing("incremental", len(fresh), time.perf_counter() - started)

    def _build_matrix(self) -> need_matrix.NeedMatrix:
        entries = list(self._entries.values())
        return need_matrix.NeedMatrix(
            [e.id for e in entries], [e.need for e in entries], [e.closes_on for e in entries]
        )


#: The one cache of this process.
open_ideas = NeedCache()
