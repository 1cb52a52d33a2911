"""The audit trail: append-only, hash-chained records of screening runs and decisions.

Each record is canonical JSON holding its sequence number, kind, time, actor, payload and the
hash of the record before it; its own hash is the SHA-256 of that JSON. SQLite triggers refuse
UPDATE and DELETE through any connection, and ``verify`` re-walks the chain so that an edit made
behind the library's back (triggers dropped, file patched) is still found. Removing records from
the *end* of the chain, or rewriting it, can only be found against a position noted elsewhere
(an ``Anchor``: a checkpoint, optionally signed, see ``checkpoint``). Each record carries the
caller's event time and, apart from it, the machine's recording time, which never goes back.
"""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from compliance._sqlite import connect, readable, transaction
from compliance._version import __version__
from compliance.errors import IntegrityError
from compliance.review._canonical import (
    canonical_json,
    data_dir,
    parse_utc,
    sha256_hex,
    utc_iso,
    utc_iso_micro,
)
from compliance.review.fingerprint import screened_fields
from compliance.review.run_records import RunCheck
from compliance.screening.results import Party, ScreeningResult

GENESIS = "0" * 64
"""``prev_hash`` of the first record."""

AUDIT_TABLE = """
CREATE TABLE audit_records (
    seq INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    record TEXT NOT NULL
)
"""
AUDIT_TRIGGERS = {
    "audit_records_no_update": "CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON "
    "audit_records BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused'); "
    "END",
    "audit_records_no_delete": "CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON "
    "audit_records BEGIN SELECT RAISE(ABORT, 'audit records are append-only: DELETE refused'); "
    "END",
}
"""The append-only triggers, exactly as created; ``verify`` reports one missing or altered."""


def table_exists(db: sqlite3.Connection, name: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def create_table(db: sqlite3.Connection, table: str, statements: Iterable[str]) -> None:
    """Create ``table`` and its triggers if the table is new.

    An existing table is left exactly as found: re-creating a dropped append-only trigger
    would erase the evidence that someone dropped it (``verify`` reports it instead).
    """
    with transaction(db, immediate=True):
        if not table_exists(db, table):
            for sql in statements:
                db.execute(sql)


def open_database(path: Path | str | None) -> tuple[Path, sqlite3.Connection]:
    """The review database (``default_path()`` when ``path`` is None), made durable.

    WAL and ``synchronous=FULL``: an audit record or decision reported written must survive a
    crash.
    """
    resolved = Path(path) if path is not None else default_path()
    return resolved, connect(resolved, synchronous="FULL")


def default_path() -> Path:
    """``$COMPLIANCE_DATA_DIR/review.sqlite`` (shared with the decision store by default)."""
    return data_dir() / "review.sqlite"


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


class AuditEvent(BaseModel):
    """A record to append: what happened; time and actor default to now and the login name.

    ``time`` is the time the caller states for the event (a decision's time); the record's
    ``recorded_at`` is always the machine's clock at insertion and cannot be set by a caller.
    """

    model_config = ConfigDict(frozen=True)

    kind: str = Field(min_length=1)
    payload: dict[str, Any]
    actor: str | None = None
    time: datetime | None = None


class AuditRecord(BaseModel):
    """One stored record. ``hash`` is SHA-256 of the canonical JSON of every other field."""

    model_config = ConfigDict(frozen=True)

    seq: int
    kind: str
    time: str = Field(description="the event's time as the caller stated it (UTC)")
    recorded_at: str | None = Field(
        default=None,
        description="the machine's UTC clock when the record was inserted; None only in "
        "records written before recording times existed",
    )
    actor: str
    prev_hash: str
    payload: dict[str, Any]
    hash: str

    def body(self) -> dict[str, Any]:
        """The hashed fields (a record without ``recorded_at`` was hashed without it)."""
        body = self.model_dump(mode="json", exclude={"hash"})
        if body["recorded_at"] is None:
            del body["recorded_at"]
        return body

    def line(self) -> str:
        """The JSON Lines form written by ``export``: canonical JSON including ``hash``."""
        return canonical_json({**self.body(), "hash": self.hash})


class BrokenRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    position: int = Field(description="1-based position in the chain where the check failed")
    seq: int | None = Field(default=None, description="the record's stored sequence number")
    line: int | None = Field(default=None, description="line of an exported file, if any")
    reason: str


class Finding(BaseModel):
    """A problem found besides a break of the chain itself (a decision, a trigger, a time)."""

    model_config = ConfigDict(frozen=True)

    what: str = Field(
        description="'decision', 'trigger', 'recorded_at', 'checkpoint', 'run' (a streamed "
        "screening run that is not whole)"
    )
    message: str
    seq: int | None = Field(default=None, description="audit record concerned, if any")
    decision: int | None = Field(default=None, description="decision row concerned, if any")


class Appended(BaseModel):
    """A record appended after the checkpoint or head being checked: not covered by it."""

    model_config = ConfigDict(frozen=True)

    seq: int
    kind: str
    actor: str
    recorded_at: str | None


class AnchorCheck(BaseModel):
    """What a checkpoint (or a noted head) proved: the chain up to ``seq`` is unchanged."""

    model_config = ConfigDict(frozen=True)

    seq: int | None
    hash: str
    held: bool
    signed_by: str | None = Field(default=None, description="key id of a checked signature")
    appended: tuple[Appended, ...] = ()


class VerifyReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    records: int = Field(description="records that passed before the first break")
    head: str = Field(description="hash of the last good record (GENESIS if none)")
    first_broken: BrokenRecord | None = None
    findings: tuple[Finding, ...] = ()
    anchor: AnchorCheck | None = None
    legacy_records: int = Field(default=0, description="records without a recording time")


class Anchor(BaseModel):
    """A position the chain must still hold: ``hash`` at ``seq`` (``seq`` None: anywhere)."""

    model_config = ConfigDict(frozen=True)

    hash: str
    seq: int | None = None


def _seal(seq: int, prev_hash: str, event: AuditEvent, recorded_at: str) -> tuple[AuditRecord, str]:
    """Build the record and its canonical text; raises if the payload is not plain JSON."""
    body = {
        "seq": seq,
        "kind": event.kind,
        "time": utc_iso(event.time),
        "recorded_at": recorded_at,
        "actor": event.actor if event.actor is not None else default_actor(),
        "prev_hash": prev_hash,
        "payload": event.payload,
    }
    text = canonical_json(body)
    record = AuditRecord.model_validate({**json.loads(text), "hash": sha256_hex(text)})
    return record, text


_TAIL = re.compile(r'"recorded_at":"([^"]+)","seq":-?\d+,"time":"[^"]*"\}$')


def recorded_at_in_tail(tail: str) -> str | None:
    """The recording time from the last ~200 characters of a canonical record.

    Its keys are sorted, so ``recorded_at``, ``seq`` and ``time`` close it: reading the tail
    avoids parsing a screening record of a million results to learn one time.
    """
    found = _TAIL.search(tail)
    return found.group(1) if found else None


def recording_time(previous: str | None) -> str:
    """Now (UTC, microseconds), never earlier than the previous record's recording time.

    If the machine's clock steps back, the previous time is repeated, so an honest chain's
    recording times never go backwards and ``verify`` can treat a step back as tampering.
    """
    now = utc_iso_micro(datetime.now(UTC))
    if previous is not None and parse_utc(previous) > parse_utc(now):
        return previous
    return now


class AuditLog:
    """An append-only, hash-chained audit trail in its own SQLite table.

    ``db`` shares an open connection (the decision store does, so a decision and its audit
    record commit in one transaction).
    """

    def __init__(self, path: Path | str | None = None, *, db: sqlite3.Connection | None = None):
        if db is None:
            self.path, self.db = open_database(path)
            self._owns_db = True
        else:
            self.path = Path(path) if path is not None else default_path()
            self.db = db
            self._owns_db = False
        create_table(self.db, "audit_records", [AUDIT_TABLE, *AUDIT_TRIGGERS.values()])

    def close(self) -> None:
        if self._owns_db:
            self.db.close()

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        actor: str | None = None,
        time: datetime | None = None,
    ) -> AuditRecord:
        return self.append_many([AuditEvent(kind=kind, payload=payload, actor=actor, time=time)])[0]

    def append_many(self, events: Iterable[AuditEvent]) -> list[AuditRecord]:
        """Append a batch in one transaction: all records are committed, or none.

        ``StoreUnreadableError`` (an ``IntegrityError``) when the file is damaged."""
        with readable(self.path), transaction(self.db, immediate=True):
            return self.append_in_transaction(events)

    def append_in_transaction(self, events: Iterable[AuditEvent]) -> list[AuditRecord]:
        """Append inside a transaction the caller opened on ``self.db`` (and will commit)."""
        row = self.db.execute(
            "SELECT seq, hash, substr(record, -200) FROM audit_records ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
        recorded = recorded_at_in_tail(str(row[2])) if row else None
        records: list[AuditRecord] = []
        for event in events:
            seq += 1
            recorded = recording_time(recorded)
            record, text = _seal(seq, prev, event, recorded)
            self.db.execute(
                "INSERT INTO audit_records (seq, hash, record) VALUES (?, ?, ?)",
                (seq, record.hash, text),
            )
            records.append(record)
            prev = record.hash
        return records

    def head(self) -> str:
        return head_of(self.db)[1]

    def records(self) -> Iterator[AuditRecord]:
        """Stored records in chain order, as stored (run ``verify`` to trust them)."""
        return stored_records(self.db)

    def verify(self, anchor: Anchor | None = None) -> VerifyReport:
        """Walk the chain (only the chain: ``verify_store`` also checks decisions, triggers)."""
        return verify_rows(stored_rows(self.db), anchor)

    def export_jsonl(self, out: TextIO) -> VerifyReport:
        """Write every record as canonical JSON Lines after verifying the chain.

        Refuses (``AuditChainError``) to export a broken chain: an auditor must never receive
        a file that looks whole but is not.
        """
        return export_jsonl(self.db, out)


def head_of(db: sqlite3.Connection) -> tuple[int, str]:
    """(seq, hash) of the last stored record; (0, GENESIS) for an empty trail."""
    row = db.execute("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


@dataclass(frozen=True)
class ChainRow:
    """One stored (or exported) record: its sequence number, stored hash and canonical text.

    ``seq`` is None for an exported line that is not a record at all (``line`` names it).
    """

    seq: int | None
    digest: str
    text: str
    line: int | None = None


def stored_rows(db: sqlite3.Connection) -> Iterator[ChainRow]:
    for seq, digest, text in db.execute("SELECT seq, hash, record FROM audit_records ORDER BY seq"):
        yield ChainRow(int(seq), str(digest), str(text))


def stored_records(db: sqlite3.Connection) -> Iterator[AuditRecord]:
    for row in stored_rows(db):
        yield AuditRecord.model_validate({**json.loads(row.text), "hash": row.digest})


def export_jsonl(db: sqlite3.Connection, out: TextIO) -> VerifyReport:
    """Verify the chain on ``db``, then write it as JSON Lines (refused if broken)."""
    report = verify_rows(stored_rows(db))
    if not report.ok:
        raise AuditChainError(report)
    for record in stored_records(db):
        out.write(record.line() + "\n")
    return report


class AuditChainError(IntegrityError):
    """The stored chain does not verify, so it must not be exported as if it did."""

    def __init__(self, report: VerifyReport) -> None:
        broken = report.first_broken
        detail = f"record {broken.position}: {broken.reason}" if broken else "chain broken"
        super().__init__(f"audit chain broken at {detail}")
        self.report = report


@dataclass
class ChainWalk:
    """What one pass over the chain saw: the decision records, for the decision checks."""

    decisions: dict[int, tuple[str, dict[str, Any]]] = field(default_factory=dict)


def verify_rows(
    rows: Iterable[ChainRow], anchor: Anchor | None = None, walk: ChainWalk | None = None
) -> VerifyReport:
    """Check positions, sequence numbers, hashes, links and recording times, and that every
    streamed screening run is whole (``run_records.RunCheck``).

    Names the first broken record. With an ``anchor`` (a checkpoint or a noted head), also
    checks that the chain still holds that hash at that position, and lists the records
    appended after it: they are not covered by it.
    """
    prev = GENESIS
    position = 0
    last_recorded: str | None = None
    legacy = 0
    findings: list[Finding] = []
    empty_anchor = anchor is not None and anchor.seq == 0 and anchor.hash == GENESIS
    anchored_at: int | None = 0 if empty_anchor else None
    appended: list[Appended] = []
    runs = RunCheck()
    for position, row in enumerate(rows, start=1):
        body, reason = _check(position, row, prev)
        if reason is not None or body is None:
            return VerifyReport(
                ok=False,
                records=position - 1,
                head=prev,
                first_broken=BrokenRecord(
                    position=position, seq=row.seq, line=row.line, reason=reason or ""
                ),
                findings=(*findings, *_run_findings(runs)),
                legacy_records=legacy,
            )
        runs.see(position, row.digest, body)
        recorded = body.get("recorded_at")
        if recorded is None:
            if last_recorded is not None:
                findings.append(
                    Finding(
                        what="recorded_at",
                        seq=position,
                        message=f"record {position} has no recording time after records "
                        "that have one (inserted behind the library's back)",
                    )
                )
            legacy += 1
        else:
            if last_recorded is not None and _later(last_recorded, str(recorded)):
                findings.append(
                    Finding(
                        what="recorded_at",
                        seq=position,
                        message=f"record {position} was recorded at {recorded}, before record "
                        f"{position - 1} ({last_recorded}): recording times go backwards",
                    )
                )
            last_recorded = str(recorded)
        if anchor is not None:
            if anchored_at is None and row.digest == anchor.hash:
                if anchor.seq is None or anchor.seq == position:
                    anchored_at = position
            elif anchored_at is not None:
                appended.append(
                    Appended(
                        seq=position,
                        kind=str(body.get("kind")),
                        actor=str(body.get("actor")),
                        recorded_at=None if recorded is None else str(recorded),
                    )
                )
        if walk is not None and body.get("kind") == "decision":
            payload = body.get("payload")
            walk.decisions[position] = (row.digest, payload if isinstance(payload, dict) else {})
        prev = row.digest
    runs.finish()
    findings += _run_findings(runs)
    anchor_check = None
    if anchor is not None:
        anchor_check = AnchorCheck(
            seq=anchor.seq, hash=anchor.hash, held=anchored_at is not None, appended=tuple(appended)
        )
        if anchored_at is None:
            findings.append(Finding(what="checkpoint", message=_anchor_failure(anchor, position)))
    return VerifyReport(
        ok=not findings,
        records=position,
        head=prev,
        findings=tuple(findings),
        anchor=anchor_check,
        legacy_records=legacy,
    )


def _run_findings(runs: RunCheck) -> list[Finding]:
    return [Finding(what="run", seq=seq, message=message) for seq, message in runs.findings]


def _anchor_failure(anchor: Anchor, length: int) -> str:
    short = anchor.hash[:16]
    if anchor.seq is None:
        return (
            f"no record of the chain has hash {short}...: records were removed from the end, "
            "or the chain was rewritten"
        )
    if anchor.seq > length:
        return (
            f"the checkpoint is at seq {anchor.seq} but the chain has only {length} records: "
            "records were removed from the end"
        )
    return (
        f"record {anchor.seq} does not have the checkpoint's hash {short}...: the chain was "
        f"rewritten at or before seq {anchor.seq}"
    )


def _later(a: str, b: str) -> bool:
    """True if time ``a`` is after time ``b``; an unreadable time counts as out of order."""
    try:
        return parse_utc(a) > parse_utc(b)
    except ValueError:
        return True


def _check(position: int, row: ChainRow, prev: str) -> tuple[dict[str, Any] | None, str | None]:
    if row.seq is None:  # from verify_jsonl: a line that is not a record at all
        return None, f"line {row.line} is not a JSON record with 'seq' and 'hash'"
    if row.seq != position:
        why = "records removed before it" if row.seq > position else "record inserted or moved"
        return None, f"sequence number {row.seq} where {position} was expected ({why})"
    if sha256_hex(row.text) != row.digest:
        return None, "content does not match its hash (record edited)"
    try:
        body = json.loads(row.text)
    except json.JSONDecodeError as exc:
        return None, f"record is not valid JSON ({exc.msg})"
    if not isinstance(body, dict):
        return None, "record is not a JSON object"
    if body.get("seq") != position:
        return None, f"record says seq {body.get('seq')!r} at position {position} (record moved)"
    if body.get("prev_hash") != prev:
        return (
            None,
            "prev_hash does not match the previous record (record removed, inserted or moved)",
        )
    return body, None


def verify_jsonl(lines: Iterable[str], anchor: Anchor | None = None) -> VerifyReport:
    """Verify an exported JSON Lines file, so an auditor needs only this function and the file."""

    def rows() -> Iterator[ChainRow]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                digest = str(data.pop("hash"))
                seq = data["seq"]
                if not isinstance(seq, int):
                    raise TypeError("seq is not a number")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                yield ChainRow(None, "", line, line=number)
                continue
            yield ChainRow(seq, digest, canonical_json(data), line=number)

    return verify_rows(rows(), anchor)


# -- what a screening run records ----------------------------------------------------------


def input_fingerprint(parties: Sequence[Party | None]) -> str:
    """SHA-256 of the screened fields of every input party, in input order."""
    fields = [screened_fields(p) if p is not None else None for p in parties]
    return sha256_hex(canonical_json(fields))


def screening_event(
    results: Sequence[ScreeningResult],
    *,
    input_sha256: str | None = None,
    actor: str | None = None,
    time: datetime | None = None,
) -> AuditEvent:
    """The audit record of one screening run: input fingerprint, snapshots, results, version.

    ``input_sha256`` is the hash of the input file when there is one; the fingerprint of the
    parties' screened fields is recorded always.
    """
    snapshots = sorted(
        {s.snapshot_id: s.model_dump(mode="json") for r in results for s in r.snapshots}.items()
    )
    versions = sorted({r.library_version for r in results} or {__version__})
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    payload: dict[str, Any] = {
        "input_fingerprint": input_fingerprint([r.party for r in results]),
        "input_sha256": input_sha256,
        "snapshots": [s for _, s in snapshots],
        "library_version": versions[0] if len(versions) == 1 else versions,
        "counts": dict(sorted(counts.items())),
        "results": [r.model_dump(mode="json") for r in results],
    }
    return AuditEvent(kind="screening", payload=payload, actor=actor, time=time)
