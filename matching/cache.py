"""The process-local feature cache: every active organisation, ready to rank.

Reading 100,000 organisations and their taxonomies takes a quarter of a
second or more, far too slow per request, so each process keeps them in a
``FeatureMatrix`` (for ``ranking.top_k``) plus one compact ``Record`` per
organisation (for display and for re-scoring the winners with reasons).

It stays current through the change log (``partnerhub.changes``): every call
reads the log rows that are new since the last call (one indexed query, no
rows when nothing changed) and reloads exactly the organisations they name,
dropping those that were deleted, deactivated or hidden. The log is written by
database triggers, so every writer is seen: a verification, a relation, a
deletion, ``QuerySet.update()``, a transaction that commits late. A renamed or
deleted taxonomy term rebuilds the whole cache in the background.
"""

from __future__ import annotations

import datetime
import logging
import pickle
from collections.abc import Iterable

import numpy as np
from django.db.models import Q

from partnerhub import changes
from partnerhub.changes import Batch, RefreshingCache, Timing  # noqa: F401  (Timing: re-exported)

from . import ranking
from .features import Record, load_records
from .scoring import DEFAULT_WEIGHTS, Need, Weights

logger = logging.getLogger(__name__)

#: How far back from the newest ``updated_at`` a late-committing write is
#: still caught: longer than any transaction that saves a profile.
OVERLAP = datetime.timedelta(minutes=5)


class Records:
    """Every record (anything with an ``id``: a ``Record``, an ``IdeaEntry``),
    pickled into one ``bytes`` with its offsets: no Python object per row. A forked worker that reads a record writes to no shared
    page (reference counts of per-record objects would copy them, page by page,
    into every worker), and a million records take about 0.6 kB each. The few
    asked for are unpickled per call; records written since are kept as objects.
    """

    def __init__(self, records: Iterable[Record] = ()) -> None:
        ordered = sorted(records, key=lambda record: record.id)
        blobs = [pickle.dumps(record, pickle.HIGHEST_PROTOCOL) for record in ordered]
        self._ids = np.fromiter((record.id for record in ordered), np.int64, len(ordered))
        self._ends = np.cumsum([len(blob) for blob in blobs], dtype=np.int64)
        self._data = b"".join(blobs)
        self._changed: dict[int, Record | None] = {}  # None: gone
        self._size = len(ordered)

    def _packed(self, pk: int) -> Record | None:
        at = int(np.searchsorted(self._ids, pk))
        if at == len(self._ids) or self._ids[at] != pk:
            return None
        start = int(self._ends[at - 1]) if at else 0
        packed = memoryview(self._data)[start : int(self._ends[at])]
        return pickle.loads(packed)  # noqa: S301  (bytes this process pickled itself)

    def get(self, pk: int) -> Record | None:
        if pk in self._changed:
            return self._changed[pk]
        return self._packed(pk)

    def __getitem__(self, pk: int):
        found = self.get(pk)
        if found is None:
            raise KeyError(pk)
        return found

    def put(self, record: Record) -> None:
        if self.get(record.id) is None:
            self._size += 1
        self._changed[record.id] = record

    def drop(self, pk: int) -> None:
        if self.get(pk) is not None:
            self._size -= 1
            self._changed[pk] = None

    def __len__(self) -> int:
        return self._size


class FeatureCache(RefreshingCache):
    """A FeatureMatrix of the active organisations, kept current by the change log.

    Thread-safe: one lock guards polling, patching and ranking, since a
    FeatureMatrix must not be ranked while it is being patched; a rebuild
    happens outside the lock and is swapped in.
    """

    def __init__(self) -> None:
        super().__init__()
        self._matrix: ranking.FeatureMatrix | None = None
        self._records = Records()

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
            self._current()
            assert self._matrix is not None
            best = ranking.top_k(self._matrix, need, today=today, limit=limit, weights=weights)
            return [(self._records.get(pk), total) for pk, total in best]

    def records(self, ids: Iterable[int]) -> dict[int, Record]:
        """The current records of ``ids`` (active organisations only)."""
        with self._lock:
            self._current()
            found = {pk: self._records.get(pk) for pk in ids}
            return {pk: record for pk, record in found.items() if record is not None}

    def record(self, pk: int) -> Record | None:
        return self.records([pk]).get(pk)

    def warm(self) -> int:
        """Load (or refresh) now rather than on the first request; returns the size."""
        with self._lock:
            self._current()
            return len(self._records)

    def __len__(self) -> int:
        return len(self._records)

    # --- the refresh protocol ---------------------------------------------------

    def is_built(self) -> bool:
        return self._matrix is not None

    def forget(self) -> None:
        self._matrix, self._records = None, Records()

    def build(self, context=None):
        records, _inactive = load_records()
        matrix = ranking.FeatureMatrix()
        matrix.upsert(record.candidate() for record in records)  # a chunk at a time
        matrix.prepare()
        return matrix, Records(records)

    def install(self, snapshot, context=None) -> None:
        self._matrix, self._records = snapshot

    def patch(self, batch: Batch) -> bool:
        ids = batch.of(changes.ORGANISATION)
        if not ids:
            return True
        assert self._matrix is not None
        records, _inactive = load_records(Q(pk__in=list(ids)))
        gone = ids - {record.id for record in records}  # deleted, deactivated or hidden
        self._matrix.upsert(record.candidate() for record in records)
        self._matrix.remove(gone)
        for pk in gone:
            self._records.drop(pk)
        for record in records:
            self._records.put(record)
        return True


#: The one cache of this process.
features = FeatureCache()
