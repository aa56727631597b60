"""The one change log every process-local cache reads: a log the database itself writes.

Every process keeps compact copies of the organisations and open ideas: the
matching caches (``matching.cache``, ``matching.need_cache``), the
directory's facet index (``organisations.directory``) and the idea list's
index (``projects.idea_index``). To stay current without a message bus, each
use asks one cheap question: which rows of the ``partnerhub_change`` log are
new since I last looked? The log is written by database triggers on every
table a cache reads from (organisations, ideas, applications, calls, their
through tables and the taxonomy terms), so no writer can forget it: a
service, the admin, an import, ``QuerySet.update()``, a cascade or raw SQL
all move it, in the same transaction as the change. The "updated 3 days ago"
a visitor reads (``updated_at``) means nothing to the caches.

What a row says (``kind``, ``object_id``):

- ``ORGANISATION``, an organisation's id: its row or one of its relations changed;
- ``IDEA``, an idea's id: its row or relations changed;
- ``APPLICATION``, the idea's id: one of its applications changed (a consortium moved);
- ``CALL``, a call's id: its rules changed (every idea aimed at it);
- ``LEAD``, an organisation's id: an idea it leads (or led, before an update
  moved it) was written — the directory's "has open ideas" and programme filter;
- ``EVERYTHING``: a taxonomy term was renamed or deleted; rebuild.

Each reader takes what it needs from a ``Batch`` and ignores the rest.

A transaction that commits late (PostgreSQL hands out ids at insert time)
leaves a gap in the ids a reader has seen: ``ChangeFeed`` remembers each gap
and asks for it again on later calls until it appears or ``GAP_TIMEOUT``
passes (a rolled-back transaction never fills it). Old rows are pruned after
``KEEP``; a reader that has not looked for longer than that rebuilds.

The triggers are (re)installed after every ``migrate`` (``install_triggers``
on ``post_migrate``), because SQLite drops a table's triggers when a
migration rebuilds the table.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, router, transaction

logger = logging.getLogger(__name__)

ORGANISATION, IDEA, APPLICATION, CALL, LEAD, EVERYTHING = 1, 2, 3, 4, 5, 9

#: How long a gap in the ids is waited for (longer than any transaction that writes these tables).
GAP_TIMEOUT = datetime.timedelta(minutes=10)
#: How long rows are kept; a reader idle for longer rebuilds instead of reading them.
KEEP = datetime.timedelta(days=2)
#: More changes than this in one call: rebuilding is cheaper than following them.
MAX_ROWS = 20_000
#: More missing ids than this between two calls is not transactions in flight: rebuild.
MAX_GAPS = 1_000
#: On a fresh start, the ids just below the newest that are missing may be transactions
#: still running: they are watched as gaps.
START_WINDOW = 1_000

TABLE = "partnerhub_change"


def _tables() -> list[tuple[str, int, str, tuple[str, ...]]]:
    """(table, kind, id column, operations) for every table a cache reads.

    A kind may appear twice for one table (an idea is logged as ``IDEA`` by its
    id and as ``LEAD`` by its lead's id).
    """
    Organisation = apps.get_model("organisations", "Organisation")
    ProjectIdea = apps.get_model("projects", "ProjectIdea")
    PartnershipApplication = apps.get_model("projects", "PartnershipApplication")
    Call = apps.get_model("projects", "Call")
    all_ops = ("INSERT", "UPDATE", "DELETE")
    tables = [
        (Organisation._meta.db_table, ORGANISATION, "id", all_ops),
        (ProjectIdea._meta.db_table, IDEA, "id", all_ops),
        (PartnershipApplication._meta.db_table, APPLICATION, "idea_id", all_ops),
        (Call._meta.db_table, CALL, "id", ("UPDATE", "DELETE")),
        (ProjectIdea._meta.db_table, LEAD, "lead_id", all_ops),
    ]
    for model, kind in ((Organisation, ORGANISATION), (ProjectIdea, IDEA)):
        for relation in model._meta.many_to_many:
            through = relation.remote_field.through
            tables.append((through._meta.db_table, kind, relation.m2m_column_name(), all_ops))
    for name in ("FieldOfActivity", "Theme", "TargetGroup", "Language", "Programme", "Activity"):
        term = apps.get_model("organisations", name)
        tables.append((term._meta.db_table, EVERYTHING, "", ("UPDATE", "DELETE")))
    # Track records: a participation changes its organisation's programme counts
    # (and, inserted with its project, the partner sets of every participant's
    # ideas); a past project changed or deleted afterwards (title, programme,
    # year, participants re-imported, an admin edit) may touch anyone: rebuild.
    PastParticipation = apps.get_model("projects", "PastParticipation")
    PastProject = apps.get_model("projects", "PastProject")
    tables.append((PastParticipation._meta.db_table, ORGANISATION, "organisation_id", all_ops))
    tables.append((PastProject._meta.db_table, EVERYTHING, "", ("UPDATE", "DELETE")))
    return tables


def _trigger_name(table: str, kind: int, operation: str) -> str:
    return f"partnerhub_log_{kind}_{table}_{operation.lower()}"[:63]


def install_triggers(using: str = "default") -> int:
    """Create (or replace) the triggers that write the log; returns how many exist."""
    connection = connections[using]
    quote = connection.ops.quote_name
    statements: list[str] = []
    # Only quoted names from the models' metadata and integer constants go into the SQL.
    if connection.vendor == "postgresql":
        statements.append(
            """
            CREATE OR REPLACE FUNCTION partnerhub_log_change() RETURNS trigger AS $$
            DECLARE row_id bigint := 0;
            DECLARE old_id bigint;
            BEGIN
                IF TG_ARGV[1] <> '' THEN
                    IF TG_OP = 'DELETE' THEN
                        row_id := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
                    ELSE
                        row_id := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
                    END IF;
                END IF;
                IF row_id IS NOT NULL THEN
                    INSERT INTO partnerhub_change (kind, object_id, at)
                    VALUES (TG_ARGV[0]::smallint, row_id, now());
                END IF;
                IF TG_OP = 'UPDATE' AND TG_ARGV[1] <> '' AND TG_ARGV[1] <> 'id' THEN
                    -- A row moved to another owner: the old one changed too.
                    old_id := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
                    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM row_id THEN
                        INSERT INTO partnerhub_change (kind, object_id, at)
                        VALUES (TG_ARGV[0]::smallint, old_id, now());
                    END IF;
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
    for table, kind, column, operations in _tables():
        for operation in operations:
            name = _trigger_name(table, kind, operation)
            if connection.vendor == "postgresql":
                statements.append(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}")
                statements.append(
                    f"CREATE TRIGGER {quote(name)} AFTER {operation} ON {quote(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION partnerhub_log_change('{kind}', '{column}')"
                )
            elif connection.vendor == "sqlite":
                row = "OLD" if operation == "DELETE" else "NEW"
                value = f"{row}.{quote(column)}" if column else "0"
                insert = f"INSERT INTO {TABLE} (kind, object_id, at) SELECT {kind}, "  # noqa: S608
                now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
                body = f"{insert}{value}, {now} WHERE {value} IS NOT NULL;"
                if operation == "UPDATE" and column not in ("", "id"):
                    # A row moved to another owner: the old one changed too.
                    old = f"OLD.{quote(column)}"
                    body += f" {insert}{old}, {now} WHERE {old} IS NOT {value};"
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {quote(name)} AFTER {operation} "
                    f"ON {quote(table)} BEGIN {body} END"
                )
            else:  # pragma: no cover - the project runs on these two
                raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return sum(len(operations) for *_, operations in _tables())


def compact_log(using: str = "default") -> int:
    """Replace the whole log with one "rebuild" row (after a bulk load); returns rows deleted.

    Every reader then rebuilds once, which is what so many changes would cost anyway.
    """
    Change = apps.get_model("partnerhub", "Change")
    with transaction.atomic(using=using):
        deleted = Change.objects.using(using).all().delete()[0]
        log_everything(using)
    return deleted


def log_everything(using: str = "default") -> None:
    """Tell every cache to rebuild (after a bulk load that bypassed nothing, to be cheap)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (kind, object_id, at) VALUES (%s, 0, %s)",  # noqa: S608
            [EVERYTHING, _now_param(using)],
        )


def _now_param(using: str):
    from django.utils import timezone

    return connections[using].ops.adapt_datetimefield_value(timezone.now())


@dataclass(frozen=True, slots=True)
class Timing:
    """How the last load went, for the benchmark and the staff page."""

    kind: str  # "full" or "incremental"
    rows: int
    seconds: float


@dataclass
class Batch:
    """What changed since the last call: ids per kind, or ``everything``."""

    everything: bool = False
    ids: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def __bool__(self) -> bool:
        return self.everything or any(self.ids.values())

    def of(self, kind: int) -> set[int]:
        return self.ids.get(kind, set())


def _runs(ids) -> list[tuple[int, int]]:
    """Sorted ids as (first, last) runs of consecutive ids: {3, 4, 5, 9} → [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs


class ChangeFeed:
    """One reader's position in the log: where it left off, and the gaps it still waits for.

    Not thread-safe by itself: each cache calls it under its own lock.
    """

    def __init__(self) -> None:
        self.last: int | None = None
        self.gaps: dict[int, float] = {}  # id → monotonic time first missed
        self._gap_runs: list[tuple[int, int]] | None = None  # the gaps as runs, until they change
        self.polled_at = 0.0

    @property
    def started(self) -> bool:
        return self.last is not None

    def start(self) -> None:
        """Take the current position; call *before* loading rows, so nothing falls between."""
        connection = connections[router.db_for_read(apps.get_model("partnerhub", "Change"))]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {TABLE}")  # noqa: S608
            (newest,) = cursor.fetchone()
            newest = newest or 0
            cursor.execute(
                f"SELECT id FROM {TABLE} WHERE id > %s",  # noqa: S608
                [newest - START_WINDOW],
            )
            present = {pk for (pk,) in cursor.fetchall()}
        now = time.monotonic()
        self.last = newest
        self.gaps = {
            pk: now for pk in range(max(1, newest - START_WINDOW + 1), newest) if pk not in present
        }
        self._gap_runs = None
        self.polled_at = now

    def poll(self) -> Batch:
        """The changes since the last call (``everything`` when it is time to rebuild)."""
        assert self.last is not None, "start() first"
        now = time.monotonic()
        if now - self.polled_at > KEEP.total_seconds() / 2:
            return Batch(everything=True)
        self.polled_at = now
        timeout = GAP_TIMEOUT.total_seconds()
        if self.gaps and now - min(self.gaps.values()) >= timeout:
            self.gaps = {pk: seen for pk, seen in self.gaps.items() if now - seen < timeout}
            self._gap_runs = None
        if self._gap_runs is None:
            self._gap_runs = _runs(self.gaps)
        sql = f"SELECT id, kind, object_id FROM {TABLE} WHERE id > %s"  # noqa: S608
        params: list = [self.last]
        for first, last in self._gap_runs:
            # Gaps come in runs (a pruned or compacted stretch of the log): one range each,
            # not hundreds of parameters to parse in every poll.
            sql += " OR id BETWEEN %s AND %s"
            params += [first, last]
        sql += f" ORDER BY id LIMIT {MAX_ROWS + 1}"
        connection = connections[router.db_for_read(apps.get_model("partnerhub", "Change"))]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        batch = Batch()
        if not rows:
            return batch
        if len(rows) > MAX_ROWS:
            return Batch(everything=True)
        seen = set()
        for pk, kind, object_id in rows:
            seen.add(pk)
            if self.gaps.pop(pk, None) is not None:
                self._gap_runs = None
            if kind == EVERYTHING:
                batch.everything = True
            else:
                batch.ids[kind].add(object_id)
        newest = max(seen)
        if batch.everything:
            return batch  # the reader rebuilds and starts a new feed: no gaps to follow
        if newest > self.last:
            missing = (newest - self.last - 1) - sum(1 for pk in seen if pk > self.last)
            if missing > MAX_GAPS:
                return Batch(everything=True)  # ids skipped wholesale (a compacted log)
            for pk in range(self.last + 1, newest):
                if pk not in seen:
                    self.gaps[pk] = now
                    self._gap_runs = None
            self.last = newest
        return batch


def prune(using: str = "default") -> int:
    """Delete rows older than ``KEEP``; returns how many."""
    from django.utils import timezone

    Change = apps.get_model("partnerhub", "Change")
    return Change.objects.using(using).filter(at__lt=timezone.now() - KEEP).delete()[0]


class RefreshingCache:
    """The refresh protocol every reader of the log shares: a snapshot, patched or rebuilt.

    Used by the two matching caches, the directory's facet index and the idea index.

    Subclasses say how to ``build`` a snapshot from scratch and how to ``patch``
    one with a ``Batch`` of changes (returning False when only a rebuild will
    do). Every public call runs ``_current()`` under the lock: it polls the log
    (one indexed query) and patches in place, which is quick. A rebuild after
    the first one (a renamed taxonomy term, a bulk change) runs in a background
    thread while requests keep being answered from the previous snapshot, which
    is swapped, never mutated, when the new one is ready.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._feed = ChangeFeed()
        self._rebuilding: threading.Thread | None = None
        self._retry_after = 0.0  # a failed background rebuild is tried again from then
        self.last_load: Timing | None = None
        #: Changes whenever the snapshot does (patched or swapped): what a reader may
        #: memoise from the snapshot holds while this stays the same.
        self.generation = 0

    # --- for subclasses -------------------------------------------------------

    def build(self, context) -> object:
        raise NotImplementedError

    def install(self, snapshot, context) -> None:
        raise NotImplementedError

    def patch(self, batch: Batch) -> bool:
        raise NotImplementedError

    def is_built(self) -> bool:
        raise NotImplementedError

    def fits(self, context) -> bool:
        """Whether the current snapshot serves ``context`` (NeedCache: the date floor)."""
        return True

    def forget(self) -> None:
        raise NotImplementedError

    # --- the protocol ---------------------------------------------------------

    def _current(self, context=None) -> None:
        """Bring the snapshot up to date; call with ``self._lock`` held."""
        if not self.is_built() or not self.fits(context):
            self._rebuild_now(context)
            return
        if self._retry_after and time.monotonic() >= self._retry_after:
            self._retry_after = 0.0
            self._rebuild_later(context)
        batch = self._feed.poll()
        if not batch:
            return
        started = time.perf_counter()
        if batch.everything or not self.patch(batch):
            self._rebuild_later(context)
            return
        self.generation += 1
        self.last_load = Timing("incremental", sum(map(len, batch.ids.values())),
                                time.perf_counter() - started)  # fmt: skip

    def _rebuild_now(self, context) -> None:
        started = time.perf_counter()
        feed = ChangeFeed()
        feed.start()  # before the rows: a change during the load is read again next call
        snapshot = self.build(context)
        self.install(snapshot, context)
        self._feed = feed
        self.generation += 1
        self.last_load = Timing("full", len(self), time.perf_counter() - started)
        logger.info(
            "change log reader: built %s of %d rows in %.3f s",
            type(self).__name__,
            len(self),
            self.last_load.seconds,
        )

    def _rebuild_later(self, context) -> None:
        from django.conf import settings

        if not getattr(settings, "MATCHING_REBUILD_IN_BACKGROUND", True):
            self._rebuild_now(context)
            return
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return

        def run() -> None:
            try:
                started = time.perf_counter()
                feed = ChangeFeed()
                feed.start()
                snapshot = self.build(context)
                with self._lock:
                    self.install(snapshot, context)
                    self._feed = feed
                    self.generation += 1
                    self.last_load = Timing("full", len(self), time.perf_counter() - started)
            except Exception:
                logger.exception(
                    "change log reader: background rebuild of %s failed", type(self).__name__
                )
                self._retry_after = time.monotonic() + 30
            finally:
                connections.close_all()

        self._rebuilding = threading.Thread(target=run, name="cache-rebuild", daemon=True)
        self._rebuilding.start()

    def clear(self) -> None:
        """Forget everything; the next call rebuilds (tests, benchmarks)."""
        with self._lock:
            self.forget()
            self._feed = ChangeFeed()
