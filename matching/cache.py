"""The process-local feature cache: every active organisation, ready to rank.

Reading 100,000 organisations and their taxonomies takes a quarter of a
second or more, far too slow per request, so each process keeps them in a
``FeatureMatrix`` (for ``ranking.top_k``) plus one compact ``Record`` per
organisation (for display and for re-scoring the winners with reasons).

Consistency across processes, without a message bus: every call first asks
the database one cheap question (``_stamp``, about 2 ms at 100,000 rows)::

    SELECT (SELECT MAX(updated_at) FROM organisations_organisation),
           (SELECT COUNT(*) FROM organisations_organisation),
           (SELECT COUNT(*) FROM organisations_organisation WHERE updated_at >= :cutoff)

and compares the answer with the one it had when it last loaded. If nothing
moved, the cached matrix is current. Otherwise it reloads only the rows
updated since ``cutoff`` (the high-water mark of its last load minus
``OVERLAP``), upserts the active ones and drops the inactive ones; if the
number of organisations it knows (active and inactive) then still differs
from the count, rows were deleted, and it rebuilds from scratch.

What makes every profile change visible:

- a saved profile moves ``updated_at`` (``auto_now``), and so does a
  deactivation or reactivation through ``save()`` (the form, the admin);
- a change to an organisation's fields, themes, target groups or working
  languages moves it too: ``matching.signals`` touches ``updated_at`` on
  ``m2m_changed`` (the profile form saves the row *before* its relations, so
  without this a reload between the two writes would keep old relations);
- a deletion changes the count (and forces a rebuild);
- a write whose timestamp is older than the high-water mark (a transaction
  that committed late) lands inside the ``OVERLAP`` window and changes its count.

Not seen: ``QuerySet.update()`` or raw SQL that changes a profile without
setting ``updated_at``. Such code must set ``updated_at=now()`` as well.

The stamp is read *before* the rows, so a write that commits while the rows
load shows up as a changed stamp on the next call: data may be newer than
its stamp, never older.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from organisations.models import Organisation

from . import ranking
from .features import Record, load_records
from .scoring import DEFAULT_WEIGHTS, Need, Weights

logger = logging.getLogger(__name__)

#: How far back from the newest ``updated_at`` a late-committing write is
#: still caught: longer than any transaction that saves a profile.
OVERLAP = datetime.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Stamp:
    latest: datetime.datetime | None
    total: int
    recent: int
    cutoff: datetime.datetime | None


def _as_datetime(value) -> datetime.datetime | None:
    # SQLite hands back text from a raw cursor; PostgreSQL an aware datetime.
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


def _stamp(cutoff: datetime.datetime | None) -> Stamp:
    """One query of three index-only scalar subqueries (see the module docstring).

    Written as raw SQL because the ORM would compute the three in a single
    scan of the whole table; as separate subqueries each uses an index and
    the whole answer costs about 2 ms at 100,000 rows.
    """
    connection = connections[router.db_for_read(Organisation)]
    quote = connection.ops.quote_name
    table = quote(Organisation._meta.db_table)
    updated = quote(Organisation._meta.get_field("updated_at").column)
    # Only quoted names from the model's own metadata go into the string; values are parameters.
    sql = f"SELECT (SELECT MAX({updated}) FROM {table}), (SELECT COUNT(*) FROM {table}), "  # noqa: S608
    params: list = []
    if cutoff is None:
        sql += "0"
    else:
        sql += f"(SELECT COUNT(*) FROM {table} WHERE {updated} >= %s)"  # noqa: S608
        params.append(connection.ops.adapt_datetimefield_value(cutoff))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        latest, total, recent = cursor.fetchone()
    return Stamp(latest=_as_datetime(latest), total=int(total), recent=int(recent), cutoff=cutoff)


@dataclass(frozen=True, slots=True)
class Timing:
    """How the last load went, for the benchmark and the staff page."""

    kind: str  # "full" or "incremental"
    rows: int
    seconds: float


class FeatureCache:
    """A FeatureMatrix of the active organisations, kept current by ``_stamp``.

    Thread-safe: one lock guards checking, refreshing and ranking, since a
    FeatureMatrix must not be ranked while it is being updated.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matrix: ranking.FeatureMatrix | None = None
        self._records: dict[int, Record] = {}
        self._inactive: set[int] = set()
        self._stamp: Stamp | None = None
        self.last_load: Timing | None = None

    # --- public ---------------------------------------------------------------

    def top(
        self,
        need: Need,
        *,
        today: datetime.date,
        limit: int,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> list[tuple[Record, float]]:
        """The ``limit`` best eligible organisations for ``need``, best first, with totals."""
        with self._lock:
            self._ensure_current()
            assert self._matrix is not None
            best = ranking.top_k(self._matrix, need, today=today, limit=limit, weights=weights)
            return [(self._records[pk], total) for pk, total in best]

    def records(self, ids: Iterable[int]) -> dict[int, Record]:
        """The current records of ``ids`` (active organisations only)."""
        with self._lock:
            self._ensure_current()
            return {pk: self._records[pk] for pk in ids if pk in self._records}

    def record(self, pk: int) -> Record | None:
        return self.records([pk]).get(pk)

    def warm(self) -> int:
        """Load (or refresh) now rather than on the first request; returns the size."""
        with self._lock:
            self._ensure_current()
            return len(self._records)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def clear(self) -> None:
        """Forget everything; the next call rebuilds (tests, benchmarks)."""
        with self._lock:
            self._matrix, self._records, self._stamp = None, {}, None
            self._inactive = set()

    # --- loading --------------------------------------------------------------

    def _ensure_current(self) -> None:
        if self._stamp is None or self._matrix is None:
            self._rebuild()
            return
        stamp = _stamp(self._stamp.cutoff)
        if stamp != self._stamp:
            self._refresh(stamp)

    def _rebuild(self) -> None:
        started = time.perf_counter()
        latest = _stamp(None).latest
        stamp = _stamp(latest - OVERLAP if latest else None)
        records, inactive, candidates = load_records()
        matrix = ranking.FeatureMatrix()
        matrix.upsert(candidates)
        self._matrix = matrix
        self._records = {record.id: record for record in records}
        self._inactive = set(inactive)
        self._stamp = stamp
        self.last_load = Timing("full", len(records), time.perf_counter() - started)
        logger.info(
            "matching: built features of %d organisations in %.3f s",
            len(records),
            self.last_load.seconds,
        )

    def _refresh(self, seen: Stamp) -> None:
        """Reload rows updated since the old cutoff; rebuild if counts still disagree."""
        assert self._matrix is not None and self._stamp is not None
        started = time.perf_counter()
        since = self._stamp.cutoff
        if since is None or seen.latest is None:
            self._rebuild()
            return
        # The new cutoff's stamp is read before the rows (see the module docstring).
        stamp = _stamp(seen.latest - OVERLAP)
        records, inactive, candidates = load_records(Q(updated_at__gte=since))
        self._matrix.upsert(candidates)
        self._matrix.remove(inactive)
        for pk in inactive:
            self._records.pop(pk, None)
        self._inactive.update(inactive)
        for record in records:
            self._records[record.id] = record
            self._inactive.discard(record.id)
        if len(self._records) + len(self._inactive) != stamp.total:
            self._rebuild()
            return
        self._stamp = stamp
        self.last_load = Timing("incremental", len(records), time.perf_counter() - started)


#: The one cache of this process.
features = FeatureCache()
