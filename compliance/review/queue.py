"""The review queue: hits waiting for a reviewer, in the review database, paged by keyset.

Screening results are added to the queue (``ReviewQueue.add``), and every screening run of
an input file recorded in the same database's audit trail (``compliance screen``, ``review
alerts``, from any process) is taken in by ``sync``; each hit becomes one item
keyed by its hit key (a re-screen of the same counterparty against the same entry version
is the same item). An item's state is never decided here: it is what ``apply_decisions``
says for its hit, refreshed when a decision is recorded (through ``ReviewQueue.decide`` or
elsewhere, caught up by ``sync`` from the decision sequence) and when a false positive
expires. The queue is a derived index over the decisions and the results, so it can be
rebuilt; the decisions and the audit trail stay the record.

Order: alert-level hits first, then review-level, then oldest first; pages are keyset pages
(``after``/``before`` a cursor), so the 2,000th page costs what the first does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from compliance._sqlite import transaction
from compliance.errors import InvalidInputError, NotFoundError
from compliance.review._canonical import canonical_json, parse_utc, sha256_hex
from compliance.review.audit import AuditLog, screening_event
from compliance.review.decisions import Decision, DecisionStore, Verdict, decide
from compliance.review.fingerprint import HitKey
from compliance.review.suppression import (
    NEEDS_REVIEWER,
    HitState,
    ReviewedHit,
    apply_decisions,
)
from compliance.screening.results import Hit, Party, ScreeningResult, Status

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_results (
    result_id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS queue_items (
    item INTEGER PRIMARY KEY,
    key_digest TEXT NOT NULL UNIQUE,
    rank INTEGER NOT NULL,
    level TEXT NOT NULL,
    state TEXT NOT NULL,
    list TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    counterparty_id TEXT,
    party_name TEXT NOT NULL,
    party_fold TEXT NOT NULL,
    listed_name TEXT NOT NULL,
    score REAL NOT NULL,
    first_seen TEXT NOT NULL,
    reviewer TEXT,
    decision_seq INTEGER,
    reopens_at TEXT,
    result_id INTEGER NOT NULL REFERENCES queue_results (result_id),
    hit_pos INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_order ON queue_items (state, rank, first_seen, item);
CREATE INDEX IF NOT EXISTS queue_by_list ON queue_items (list, state, rank, first_seen, item);
CREATE INDEX IF NOT EXISTS queue_by_reviewer
    ON queue_items (reviewer, state, rank, first_seen, item);
CREATE INDEX IF NOT EXISTS queue_by_cp ON queue_items (counterparty_id);
CREATE INDEX IF NOT EXISTS queue_by_party ON queue_items (party_fold);
CREATE INDEX IF NOT EXISTS queue_by_entry ON queue_items (list, entry_id);
CREATE INDEX IF NOT EXISTS queue_reopens ON queue_items (reopens_at) WHERE reopens_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS queue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queue_counts (
    state TEXT NOT NULL,
    list TEXT NOT NULL,
    rank INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (state, list, rank)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS queue_count_insert AFTER INSERT ON queue_items
BEGIN
    INSERT INTO queue_counts (state, list, rank, n) VALUES (NEW.state, NEW.list, NEW.rank, 1)
    ON CONFLICT (state, list, rank) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS queue_count_update AFTER UPDATE OF state, list, rank ON queue_items
WHEN OLD.state != NEW.state OR OLD.list != NEW.list OR OLD.rank != NEW.rank
BEGIN
    UPDATE queue_counts SET n = n - 1
    WHERE state = OLD.state AND list = OLD.list AND rank = OLD.rank;
    INSERT INTO queue_counts (state, list, rank, n) VALUES (NEW.state, NEW.list, NEW.rank, 1)
    ON CONFLICT (state, list, rank) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS queue_count_delete AFTER DELETE ON queue_items
BEGIN
    UPDATE queue_counts SET n = n - 1
    WHERE state = OLD.state AND list = OLD.list AND rank = OLD.rank;
END;
"""

_RANK = {Status.ALERT: 0, Status.REVIEW: 1}
PAGE_LIMIT_MAX = 200


class QueueFilters(BaseModel):
    """What the queue shows: one state (default open), optionally one list, level,
    counterparty (its id, or the start of its name, case-insensitive) and reviewer (who made
    the latest decision, e.g. who escalated)."""

    model_config = ConfigDict(frozen=True)

    state: HitState = HitState.OPEN
    list: str | None = None
    level: Status | None = Field(default=None, description="alert or review")
    counterparty: str | None = None
    reviewer: str | None = None


class QueueItem(BaseModel):
    """One row of the queue page."""

    model_config = ConfigDict(frozen=True)

    item: int
    level: Status
    state: HitState
    list: str
    entry_id: str
    listed_name: str
    party_name: str
    counterparty_id: str | None
    score: float
    first_seen: str
    reviewer: str | None
    decision_seq: int | None

    @property
    def cursor(self) -> str:
        """This item's position in the queue order, for keyset paging."""
        return f"{_RANK[self.level]}|{self.first_seen}|{self.item}"


class QueuePage(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: tuple[QueueItem, ...]
    next_cursor: str | None = Field(description="pass as 'after' for the next page")
    prev_cursor: str | None = Field(description="pass as 'before' for the previous page")


class QueueCounts(BaseModel):
    """Items per state and level (all lists), and open items per list."""

    model_config = ConfigDict(frozen=True)

    by_state_level: dict[str, dict[str, int]]
    open_by_list: dict[str, int]

    def total(self, state: HitState) -> int:
        return sum(self.by_state_level.get(state.value, {}).values())

    def totals(self) -> dict[str, int]:
        """Items per state, every state named (zero when none)."""
        return {s.value: self.total(s) for s in HitState}


class QueueEntry(BaseModel):
    """One item in full: the screening result it came from and its hit, reviewed now."""

    model_config = ConfigDict(frozen=True)

    item: QueueItem
    result: ScreeningResult
    hit_pos: int
    reviewed: ReviewedHit

    @property
    def party(self) -> Party:
        assert self.result.party is not None  # only results with a party are queued
        return self.result.party

    @property
    def hit(self) -> Hit:
        return self.result.hits[self.hit_pos]

    @property
    def key(self) -> HitKey:
        return self.reviewed.key


def parse_cursor(text: str) -> tuple[int, str, int]:
    """``rank|first_seen|item`` as written by ``QueueItem.cursor``."""
    parts = text.split("|")
    try:
        if len(parts) != 3:
            raise ValueError
        rank, seen, item = int(parts[0]), parts[1], int(parts[2])
        datetime.fromisoformat(seen.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(f"cursor {text[:80]!r} is not a queue position") from None
    return rank, seen, item


class ReviewQueue:
    """The queue table of one review database, with the decisions and audit trail beside it."""

    def __init__(self, path: Path | str) -> None:
        self.audit = AuditLog(path)
        self.decisions = DecisionStore(path, audit=self.audit)
        self.db = self.audit.db
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.decisions.close()
        self.audit.close()

    def __enter__(self) -> ReviewQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- filling ---------------------------------------------------------------------------

    def add(self, results: Iterable[ScreeningResult], *, now: datetime | None = None) -> int:
        """Queue every hit of ``results`` with its state under the current decisions.

        A hit already queued (same hit key) keeps its place (its ``first_seen``) and gets
        the newer result. Returns how many of the given hits are open or escalated.
        """
        moment = now if now is not None else datetime.now(UTC)
        seen = _stamp(moment)
        waiting = 0
        with transaction(self.db, immediate=True):  # joins the caller's, if one is open
            for result in results:
                if result.party is None or not result.hits:
                    continue
                reviewed = apply_decisions(result, self.decisions, now=moment)
                result_id = self._store_result(result)
                for pos, rh in enumerate(reviewed.hits):
                    self._upsert(result, result_id, pos, rh, seen)
                    waiting += rh.state in NEEDS_REVIEWER
        return waiting

    def _store_result(self, result: ScreeningResult) -> int:
        body = canonical_json(result.model_dump(mode="json"))
        digest = sha256_hex(body)
        self.db.execute(
            "INSERT OR IGNORE INTO queue_results (digest, body) VALUES (?, ?)", (digest, body)
        )
        row = self.db.execute(
            "SELECT result_id FROM queue_results WHERE digest = ?", (digest,)
        ).fetchone()
        return int(row[0])

    def _upsert(
        self, result: ScreeningResult, result_id: int, pos: int, rh: ReviewedHit, seen: str
    ) -> None:
        party = result.party
        assert party is not None
        hit = rh.hit
        decision = rh.decision
        self.db.execute(
            "INSERT INTO queue_items (key_digest, rank, level, state, list, entry_id, "
            "counterparty_id, party_name, party_fold, listed_name, score, first_seen, reviewer, "
            "decision_seq, reopens_at, result_id, hit_pos) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (key_digest) DO UPDATE SET rank = excluded.rank, "
            "level = excluded.level, state = excluded.state, score = excluded.score, "
            "reviewer = excluded.reviewer, decision_seq = excluded.decision_seq, "
            "reopens_at = excluded.reopens_at, result_id = excluded.result_id, "
            "hit_pos = excluded.hit_pos, counterparty_id = excluded.counterparty_id, "
            "party_name = excluded.party_name, party_fold = excluded.party_fold",
            (
                rh.key.digest,
                _RANK.get(hit.status, 1),
                hit.status.value,
                rh.state.value,
                hit.list,
                hit.entry_id,
                party.id,
                party.name,
                party.name.casefold(),
                hit.listed_name,
                hit.score,
                seen,
                decision.reviewer if decision is not None else None,
                decision.seq if decision is not None else None,
                _reopens_at(rh),
                result_id,
                pos,
            ),
        )

    # -- reading ---------------------------------------------------------------------------

    def page(
        self,
        filters: QueueFilters | None = None,
        *,
        after: str | None = None,
        before: str | None = None,
        limit: int = 50,
        now: datetime | None = None,
    ) -> QueuePage:
        """One page of items in queue order, after or before a cursor (not both)."""
        if after is not None and before is not None:
            raise InvalidInputError("give 'after' or 'before', not both")
        if not 1 <= limit <= PAGE_LIMIT_MAX:
            raise InvalidInputError(f"limit: must be 1..{PAGE_LIMIT_MAX}, got {limit}")
        self.sync(now=now)
        where, params = _where(filters or QueueFilters())
        backwards = before is not None
        cursor = after if after is not None else before
        if cursor is not None:
            where.append(f"(rank, first_seen, item) {'<' if backwards else '>'} (?, ?, ?)")
            params.extend(parse_cursor(cursor))
        order = "DESC" if backwards else "ASC"
        rows = self.db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM queue_items WHERE {' AND '.join(where)} "
            f"ORDER BY rank {order}, first_seen {order}, item {order} LIMIT ?",
            (*params, limit + 1),
        ).fetchall()
        more = len(rows) > limit
        items = [_item(r) for r in rows[:limit]]
        if backwards:
            items.reverse()
        has_next = (not backwards and more) or (backwards and bool(items))
        has_prev = (backwards and more) or (after is not None and bool(items))
        return QueuePage(
            items=tuple(items),
            next_cursor=items[-1].cursor if items and has_next else None,
            prev_cursor=items[0].cursor if items and has_prev else None,
        )

    def counts(self, *, now: datetime | None = None) -> QueueCounts:
        """Items per state and level, open items per list: read from counters the table's
        triggers keep, so the cost does not grow with the queue."""
        self.sync(now=now)
        by_state: dict[str, dict[str, int]] = defaultdict(dict)
        by_list: dict[str, int] = {}
        for state, lst, rank, count in self.db.execute(
            "SELECT state, list, rank, n FROM queue_counts WHERE n > 0 ORDER BY list"
        ):
            level = Status.ALERT.value if rank == 0 else Status.REVIEW.value
            levels = by_state[str(state)]
            levels[level] = levels.get(level, 0) + int(count)
            if state == HitState.OPEN.value:
                by_list[str(lst)] = by_list.get(str(lst), 0) + int(count)
        return QueueCounts(by_state_level=dict(by_state), open_by_list=by_list)

    def lists(self) -> list[str]:
        """The list codes that have ever had an item (for the filter choices)."""
        return [str(r[0]) for r in self.db.execute("SELECT DISTINCT list FROM queue_counts")]

    def get(self, item: int, *, now: datetime | None = None) -> QueueEntry:
        """One item with its result, and its hit reviewed under the decisions as of now."""
        self.sync(now=now)
        row = self.db.execute(
            f"SELECT {_ITEM_COLUMNS}, hit_pos, q.body FROM queue_items "
            "JOIN queue_results q USING (result_id) WHERE item = ?",
            (item,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"queue item {item} does not exist")
        queued = _item(row[:-2])
        pos = int(row[-2])
        result = ScreeningResult.model_validate_json(row[-1])
        reviewed = apply_decisions(result, self.decisions, now=now).hits[pos]
        return QueueEntry(item=queued, result=result, hit_pos=pos, reviewed=reviewed)

    def related(self, entry: QueueEntry, *, limit: int = 50) -> list[QueueItem]:
        """Decided items on the same counterparty (any entry) or the same entry (any party)."""
        item = entry.item
        rows = self.db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM queue_items WHERE item != ? AND decision_seq IS NOT NULL "
            "AND ((list = ? AND entry_id = ?) OR (counterparty_id IS NOT NULL AND "
            "counterparty_id = ?) OR party_fold = ?) ORDER BY decision_seq DESC LIMIT ?",
            (
                item.item,
                item.list,
                item.entry_id,
                item.counterparty_id,
                item.party_name.casefold(),
                limit,
            ),
        ).fetchall()
        return [_item(r) for r in rows]

    def first_open(self, filters: QueueFilters | None = None) -> QueueItem | None:
        """The item a reviewer works next under ``filters`` (None when the queue is clear)."""
        page = self.page(filters, limit=1)
        return page.items[0] if page.items else None

    # -- deciding --------------------------------------------------------------------------

    def decide(
        self,
        item: int,
        verdict: Verdict | str,
        *,
        reviewer: str,
        reason: str,
        expires: datetime | None = None,
        now: datetime | None = None,
    ) -> Decision:
        """Record a decision on an item's hit (with its audit record) and refresh the item.

        ``reviewer`` is the signed-in user: a door passes its principal, never a form field.
        """
        moment = now if now is not None else datetime.now(UTC)
        entry = self.get(item, now=moment)
        try:
            decision = decide(
                entry.party,
                entry.hit,
                verdict,
                reviewer=reviewer,
                reason=reason,
                time=moment,
                expires=expires,
            )
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise InvalidInputError(_first_message(exc)) from exc
        stored = self.decisions.record(decision, actor=reviewer)
        self._refresh_keys([stored], moment)
        return stored

    # -- keeping states current ------------------------------------------------------------

    def sync(self, *, now: datetime | None = None) -> int:
        """Catch up with decisions recorded elsewhere and with expired false positives.

        Returns how many items were re-reviewed. Cheap when nothing changed: one look at the
        decision sequence and one index probe for expiries.
        """
        moment = now if now is not None else datetime.now(UTC)
        mark_row = self.db.execute(
            "SELECT value FROM queue_meta WHERE key = 'decisions_seen'"
        ).fetchone()
        mark = int(mark_row[0]) if mark_row else 0
        latest_row = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM decisions").fetchone()
        latest = int(latest_row[0])
        touched = 0
        if latest > mark:
            fresh = list(self._decisions_after(mark))
            touched += self._refresh_keys(fresh, moment)
            self.db.execute(
                "INSERT INTO queue_meta (key, value) VALUES ('decisions_seen', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(latest),),
            )
        touched += self._take_in_file_runs(moment)
        expired = self.db.execute(
            "SELECT item FROM queue_items WHERE reopens_at IS NOT NULL AND reopens_at <= ?",
            (_stamp(moment),),
        ).fetchall()
        if expired:
            touched += self._refresh_items([int(r[0]) for r in expired], moment)
        return touched

    def _take_in_file_runs(self, now: datetime) -> int:
        """Queue the hits of screening runs of input files recorded since the last look
        (``compliance screen`` from any process writing this review database)."""
        from compliance.review.recorded import file_runs_after, recorded_results
        from compliance.review.run_records import BLOCK_ROWS

        def marks() -> tuple[int, int]:
            row = self.db.execute(
                "SELECT value FROM queue_meta WHERE key = 'audit_seen'"
            ).fetchone()
            latest = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_records")
            return (int(row[0]) if row else 0), int(latest.fetchone()[0])

        mark, latest = marks()
        if latest <= mark:  # the usual case: one look, no lock
            return 0
        taken = 0
        with transaction(self.db, immediate=True):
            mark, latest = marks()  # another process may have taken them in meanwhile
            for run in file_runs_after(self.db, mark):
                if run.seq > latest:
                    break  # recorded after the look: the next sync takes it in
                # a streamed run a block at a time: a million-row run is never in memory
                for block in _batches(recorded_results(self.db, run), BLOCK_ROWS):
                    self.add(block, now=now)
                    taken += sum(len(r.hits) for r in block)
            self.db.execute(
                "INSERT INTO queue_meta (key, value) VALUES ('audit_seen', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(latest),),
            )
        return taken

    def _decisions_after(self, seq: int) -> Iterator[Decision]:
        for (text,) in self.db.execute(
            "SELECT record FROM decisions WHERE seq > ? ORDER BY seq", (seq,)
        ):
            yield Decision.model_validate(json.loads(text))

    def _refresh_keys(self, decisions: Sequence[Decision], now: datetime) -> int:
        items: set[int] = set()
        for d in decisions:
            items.update(
                int(r[0])
                for r in self.db.execute(
                    "SELECT item FROM queue_items WHERE key_digest = ? OR "
                    "(counterparty_id IS NOT NULL AND counterparty_id = ? "
                    "AND list = ? AND entry_id = ?)",
                    (d.key.digest, d.counterparty_id, d.key.list, d.key.entry_id),
                )
            )
        return self._refresh_items(sorted(items), now)

    def _refresh_items(self, items: Sequence[int], now: datetime) -> int:
        """Re-review items under the decisions as of ``now`` (the library decides the state)."""
        if not items:
            return 0
        by_result: dict[int, list[tuple[int, int]]] = defaultdict(list)
        bodies: dict[int, str] = {}
        for item in items:
            row = self.db.execute(
                "SELECT i.result_id, i.hit_pos, q.body FROM queue_items i "
                "JOIN queue_results q USING (result_id) WHERE i.item = ?",
                (item,),
            ).fetchone()
            by_result[int(row[0])].append((item, int(row[1])))
            bodies[int(row[0])] = str(row[2])
        with transaction(self.db, immediate=True):
            for result_id, members in by_result.items():
                result = ScreeningResult.model_validate_json(bodies[result_id])
                reviewed = apply_decisions(result, self.decisions, now=now)
                for item, pos in members:
                    rh = reviewed.hits[pos]
                    decision = rh.decision
                    self.db.execute(
                        "UPDATE queue_items SET state = ?, reviewer = ?, decision_seq = ?, "
                        "reopens_at = ? WHERE item = ?",
                        (
                            rh.state.value,
                            decision.reviewer if decision is not None else None,
                            decision.seq if decision is not None else None,
                            _reopens_at(rh),
                            item,
                        ),
                    )
        return len(items)


def screen_into_queue(
    path: Path | str,
    results: Sequence[ScreeningResult],
    *,
    actor: str,
    now: datetime | None = None,
) -> int:
    """The audit record of a screening run, then its hits queued: the search page's workflow.

    Returns how many hits are waiting for a decision.
    """
    with ReviewQueue(path) as queue:
        queue.audit.append_many([screening_event(results, actor=actor, time=now)])
        return queue.add(results, now=now)


def _batches(results: Iterator[ScreeningResult], size: int) -> Iterator[list[ScreeningResult]]:
    batch: list[ScreeningResult] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_ITEM_COLUMNS = (
    "item, level, state, list, entry_id, listed_name, party_name, counterparty_id, score, "
    "first_seen, reviewer, decision_seq"
)


def _item(row: Sequence[object]) -> QueueItem:
    names = [c.strip() for c in _ITEM_COLUMNS.split(",")]
    return QueueItem.model_validate(dict(zip(names, row, strict=True)))


def _where(filters: QueueFilters) -> tuple[list[str], list[object]]:
    where = ["state = ?"]
    params: list[object] = [filters.state.value]
    if filters.list:
        where.append("list = ?")
        params.append(filters.list)
    if filters.level is not None:
        if filters.level not in _RANK:
            raise InvalidInputError(f"level: must be alert or review, not {filters.level.value}")
        where.append("rank = ?")
        params.append(_RANK[filters.level])
    if filters.counterparty:
        fold = filters.counterparty.casefold()
        # two index look-ups, then the few matches are sorted (an OR would walk the queue)
        where.append(
            "item IN (SELECT item FROM queue_items WHERE counterparty_id = ? UNION "
            "SELECT item FROM queue_items WHERE party_fold >= ? AND party_fold < ?)"
        )
        params.extend([filters.counterparty, fold, fold + "\U0010ffff"])
    if filters.reviewer:
        where.append("reviewer = ?")
        params.append(filters.reviewer)
    return where, params


def _reopens_at(rh: ReviewedHit) -> str | None:
    d = rh.decision
    if rh.state is HitState.SUPPRESSED and d is not None and d.expires_at is not None:
        return _stamp(parse_utc(d.expires_at))
    return None


def _first_message(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            first = found[0]
            loc = ".".join(str(p) for p in first.get("loc", ())) or "decision"
            return f"{loc}: {str(first.get('msg', exc)).removeprefix('Value error, ')}"
    return str(exc)


def _stamp(moment: datetime) -> str:
    """Fixed-width UTC time, so that text order is time order (``utc_iso`` drops zero
    microseconds, which would sort ``...:00Z`` after ``...:00.5Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
