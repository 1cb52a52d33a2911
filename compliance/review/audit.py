"""The audit trail: append-only, hash-chained records of screening runs and decisions.

Each record is canonical JSON holding its sequence number, kind, time, actor, payload and the
hash of the record before it; its own hash is the SHA-256 of that JSON. SQLite triggers refuse
UPDATE and DELETE through any connection, and ``verify`` re-walks the chain so that an edit made
behind the library's back (triggers dropped, file patched) is still found. Removing records from
the *end* of the chain can only be found against a head hash kept elsewhere (``expected_head``):
publish the head after each run, as an auditor would.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from compliance._version import __version__
from compliance.review._canonical import canonical_json, data_dir, sha256_hex, utc_iso
from compliance.review.fingerprint import screened_fields
from compliance.screening.results import Party, ScreeningResult

GENESIS = "0" * 64
"""``prev_hash`` of the first record."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_records (
    seq INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only: DELETE refused'); END;
"""


def open_database(path: Path | str | None) -> tuple[Path, sqlite3.Connection]:
    """The review database (``default_path()`` when ``path`` is None), made durable.

    Autocommit with explicit transactions, WAL and ``synchronous=FULL``: an audit record or
    decision that was reported written must survive a crash.
    """
    resolved = Path(path) if path is not None else default_path()
    if str(resolved) != ":memory:":
        resolved.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(resolved), isolation_level=None, timeout=30.0)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return resolved, db


def default_path() -> Path:
    """``$COMPLIANCE_DATA_DIR/review.sqlite`` (shared with the decision store by default)."""
    return data_dir() / "review.sqlite"


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


class AuditEvent(BaseModel):
    """A record to append: what happened; time and actor default to now and the login name."""

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
    time: str
    actor: str
    prev_hash: str
    payload: dict[str, Any]
    hash: str

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"hash"})

    def line(self) -> str:
        """The JSON Lines form written by ``export``: canonical JSON including ``hash``."""
        return canonical_json(self.model_dump(mode="json"))


class BrokenRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    position: int = Field(description="1-based position in the chain where the check failed")
    seq: int | None
    reason: str


class VerifyReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    records: int = Field(description="records that passed before the first break")
    head: str = Field(description="hash of the last good record (GENESIS if none)")
    first_broken: BrokenRecord | None = None


def _seal(seq: int, prev_hash: str, event: AuditEvent) -> tuple[AuditRecord, str]:
    """Build the record and its canonical text; raises if the payload is not plain JSON."""
    body = {
        "seq": seq,
        "kind": event.kind,
        "time": utc_iso(event.time),
        "actor": event.actor if event.actor is not None else default_actor(),
        "prev_hash": prev_hash,
        "payload": event.payload,
    }
    text = canonical_json(body)
    record = AuditRecord.model_validate({**json.loads(text), "hash": sha256_hex(text)})
    return record, text


class AuditLog:
    """An append-only, hash-chained audit trail in its own SQLite table."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path, self.db = open_database(path)
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
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
        """Append a batch in one transaction: all records are committed, or none."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            records = self.append_in_transaction(events)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return records

    def append_in_transaction(self, events: Iterable[AuditEvent]) -> list[AuditRecord]:
        """Append inside a transaction the caller opened on ``self.db`` (and will commit)."""
        row = self.db.execute(
            "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
        records: list[AuditRecord] = []
        for event in events:
            seq += 1
            record, text = _seal(seq, prev, event)
            self.db.execute(
                "INSERT INTO audit_records (seq, hash, record) VALUES (?, ?, ?)",
                (seq, record.hash, text),
            )
            records.append(record)
            prev = record.hash
        return records

    def head(self) -> str:
        row = self.db.execute("SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else GENESIS

    def _rows(self) -> Iterator[tuple[int, str, str]]:
        for seq, digest, text in self.db.execute(
            "SELECT seq, hash, record FROM audit_records ORDER BY seq"
        ):
            yield int(seq), str(digest), str(text)

    def records(self) -> Iterator[AuditRecord]:
        """Stored records in chain order, as stored (run ``verify`` to trust them)."""
        for _seq, digest, text in self._rows():
            yield AuditRecord.model_validate({**json.loads(text), "hash": digest})

    def verify(self, expected_head: str | None = None) -> VerifyReport:
        return verify_rows(self._rows(), expected_head)

    def export_jsonl(self, out: TextIO) -> VerifyReport:
        """Write every record as canonical JSON Lines after verifying the chain.

        Refuses (``AuditChainError``) to export a broken chain: an auditor must never receive
        a file that looks whole but is not.
        """
        report = self.verify()
        if not report.ok:
            raise AuditChainError(report)
        for record in self.records():
            out.write(record.line() + "\n")
        return report


class AuditChainError(RuntimeError):
    """The stored chain does not verify, so it must not be exported as if it did."""

    def __init__(self, report: VerifyReport) -> None:
        broken = report.first_broken
        detail = f"record {broken.position}: {broken.reason}" if broken else "chain broken"
        super().__init__(f"audit chain broken at {detail}")
        self.report = report


def verify_rows(
    rows: Iterable[tuple[int, str, str]], expected_head: str | None = None
) -> VerifyReport:
    """Check positions, sequence numbers, hashes and links; name the first broken record."""
    prev = GENESIS
    position = 0
    for position, (seq, digest, text) in enumerate(rows, start=1):
        reason = _check(position, seq, digest, text, prev)
        if reason is not None:
            return VerifyReport(
                ok=False,
                records=position - 1,
                head=prev,
                first_broken=BrokenRecord(position=position, seq=seq, reason=reason),
            )
        prev = digest
    if expected_head is not None and expected_head != prev:
        return VerifyReport(
            ok=False,
            records=position,
            head=prev,
            first_broken=BrokenRecord(
                position=position + 1,
                seq=None,
                reason=f"chain ends at {prev[:16]}..., expected head {expected_head[:16]}...: "
                "records were removed from the end or the chain was rewritten",
            ),
        )
    return VerifyReport(ok=True, records=position, head=prev)


def _check(position: int, seq: int, digest: str, text: str, prev: str) -> str | None:
    if seq < 0:  # from verify_jsonl: a line that is not a record at all
        return f"line {-seq} is not a JSON record with 'seq' and 'hash'"
    if seq != position:
        return f"sequence number {seq} where {position} was expected (record removed or moved)"
    if sha256_hex(text) != digest:
        return "content does not match its hash (record edited)"
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"record is not valid JSON ({exc.msg})"
    if not isinstance(body, dict):
        return "record is not a JSON object"
    if body.get("seq") != position:
        return f"record says seq {body.get('seq')!r} at position {position} (record moved)"
    if body.get("prev_hash") != prev:
        return "prev_hash does not match the previous record (record removed, inserted or moved)"
    return None


def verify_jsonl(lines: Iterable[str], expected_head: str | None = None) -> VerifyReport:
    """Verify an exported JSON Lines file, so an auditor needs only this function and the file."""

    def rows() -> Iterator[tuple[int, str, str]]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                digest = str(data.pop("hash"))
                seq = int(data.get("seq", -1))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                yield (-number, "", line)
                continue
            yield seq, digest, canonical_json(data)

    return verify_rows(rows(), expected_head)


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
