"""Review decisions on hits, stored append-only: a new decision supersedes, nothing is edited.

A decision is about one hit key (counterparty id and fingerprint, list, entry id, entry content
hash; see ``fingerprint``). The current decision for a key is the latest one recorded. Decisions
share their SQLite file with the audit trail: each decision and its one audit record are
committed in one transaction, and a decision is applied only when that record proves it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance._sqlite import connect_readonly, transaction
from compliance.errors import ConfigurationError, IntegrityError, PermissionDeniedError
from compliance.review._canonical import canonical_json, parse_utc, sha256_hex, utc_iso
from compliance.review.audit import (
    AuditEvent,
    AuditLog,
    create_table,
    default_path,
    table_exists,
)
from compliance.review.fingerprint import HitKey, hit_key
from compliance.screening.results import Hit, Party

DECISIONS_TABLE = """
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY,
    key_digest TEXT NOT NULL,
    party_fingerprint TEXT NOT NULL,
    list TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    counterparty_id TEXT,
    record TEXT NOT NULL,
    audit_seq INTEGER,
    audit_hash TEXT
)
"""
DECISIONS_INDEXES = (
    "CREATE INDEX decisions_key ON decisions (key_digest, seq)",
    "CREATE INDEX decisions_party_entry ON decisions (party_fingerprint, list, entry_id)",
    "CREATE INDEX decisions_cp_entry ON decisions (counterparty_id, list, entry_id)",
)
DECISIONS_TRIGGERS = {
    "decisions_no_update": "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead'); END",
    "decisions_no_delete": "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead'); END",
}
"""The append-only triggers, exactly as created; ``verify`` reports one missing or altered."""


class Verdict(StrEnum):
    """A reviewer's decision on one hit; only a false positive suppresses later alerts."""

    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"
    ESCALATE = "escalate"


class Decision(BaseModel):
    """A reviewer's verdict on one hit key, with reason and time (UTC ISO-8601)."""

    model_config = ConfigDict(frozen=True)

    key: HitKey
    verdict: Verdict
    reviewer: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    decided_at: str
    expires_at: str | None = Field(
        default=None, description="false positives only: the suppression lapses at this time"
    )
    counterparty_id: str | None = None
    listed_name: str | None = None
    seq: int | None = Field(default=None, description="set by the store: order of recording")

    @model_validator(mode="after")
    def _times(self) -> Decision:
        decided = parse_utc(self.decided_at)
        if self.expires_at is not None:
            if self.verdict is not Verdict.FALSE_POSITIVE:
                raise ValueError("expires_at: only a false-positive decision can expire")
            if parse_utc(self.expires_at) <= decided:
                raise ValueError("expires_at: must be later than decided_at")
        return self

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and parse_utc(self.expires_at) <= now

    def summary(self) -> str:
        tail = f", expires {self.expires_at}" if self.expires_at else ""
        return (
            f"decision #{self.seq} {self.verdict.value} by {self.reviewer} at "
            f"{self.decided_at}{tail}: {self.reason}"
        )


def decide(
    party: Party,
    hit: Hit,
    verdict: Verdict | str,
    *,
    reviewer: str,
    reason: str,
    time: datetime | None = None,
    expires: datetime | None = None,
) -> Decision:
    """Build (not store) a decision on ``hit`` of ``party``; time defaults to now (UTC)."""
    return Decision(
        key=hit_key(party, hit),
        verdict=Verdict(verdict),
        reviewer=reviewer.strip(),
        reason=reason.strip(),
        decided_at=utc_iso(time),
        expires_at=utc_iso(expires) if expires is not None else None,
        counterparty_id=party.id,
        listed_name=hit.listed_name,
    )


class DecisionNotVerifiable(IntegrityError):
    """A stored decision is not proven by the audit chain; it must not be applied."""


class DecisionStore:
    """Append-only decisions in SQLite, each proven by its record in the audit chain.

    Decisions live in the same file as the audit trail: a decision row and its audit record
    are committed in one transaction, and the row carries the record's sequence number and
    hash. :meth:`current` returns a decision only after checking it against that record, so an
    edited or forged row is never acted on (``DecisionNotVerifiable``).
    """

    def __init__(self, path: Path | str | None = None, *, audit: AuditLog | None = None) -> None:
        if audit is not None and path is not None and not _same_file(Path(path), audit.path):
            raise ConfigurationError(
                f"decisions at {path} but the audit trail at {audit.path}: they must share one "
                "file, so each decision and its audit record are committed together"
            )
        self._own_audit = audit is None
        self.audit: AuditLog | None = audit if audit is not None else AuditLog(path)
        self.path = self.audit.path
        self.db = self.audit.db
        self.readonly = False
        self._table = True
        create_table(
            self.db,
            "decisions",
            [DECISIONS_TABLE, *DECISIONS_INDEXES, *DECISIONS_TRIGGERS.values()],
        )
        _upgrade(self.db)

    @classmethod
    def open_readonly(cls, path: Path | str | None = None) -> DecisionStore:
        """Open an existing review database for reading decisions only (``mode=ro``).

        Raises ``StoreNotFoundError`` if the file does not exist. A database without a
        decisions table reads as having no decisions.
        """
        store = cls.__new__(cls)
        store.path = Path(path) if path is not None else default_path()
        store.db = connect_readonly(store.path)
        store.audit = None
        store._own_audit = False
        store.readonly = True
        store._table = table_exists(store.db, "decisions")
        return store

    def close(self) -> None:
        if self.readonly:
            self.db.close()
        elif self._own_audit and self.audit is not None:
            self.audit.close()

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, decision: Decision, *, actor: str | None = None) -> Decision:
        """Store ``decision`` and its one audit record in one transaction; returns it with
        its ``seq``."""
        if self.audit is None:
            raise PermissionDeniedError(f"{self.path}: opened read-only, cannot record")
        with transaction(self.db, immediate=True):
            row = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions").fetchone()
            stored = decision.model_copy(update={"seq": int(row[0])})
            (audit,) = self.audit.append_in_transaction([_audit_event(stored, actor)])
            key = stored.key
            self.db.execute(
                "INSERT INTO decisions (seq, key_digest, party_fingerprint, list, entry_id, "
                "counterparty_id, record, audit_seq, audit_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.seq,
                    key.digest,
                    key.party_fingerprint,
                    key.list,
                    key.entry_id,
                    stored.counterparty_id,
                    canonical_json(stored.model_dump(mode="json")),
                    audit.seq,
                    audit.hash,
                ),
            )
        return stored

    def _rows(self, where: str, params: tuple[str | None, ...]) -> list[StoredDecision]:
        if not self._table:
            return []
        sql = f"SELECT seq, record, audit_seq, audit_hash FROM decisions WHERE {where}"
        return [
            StoredDecision(int(r[0]), str(r[1]), r[2], r[3]) for r in self.db.execute(sql, params)
        ]

    def _load(self, where: str, params: tuple[str | None, ...]) -> list[Decision]:
        return [Decision.model_validate(json.loads(r.record)) for r in self._rows(where, params)]

    def current(self, key: HitKey) -> Decision | None:
        """The latest decision on exactly this key, proven by the audit chain, or None.

        Raises ``DecisionNotVerifiable`` when the latest decision on the key is not proven
        by its audit record: it is not applied, and no older decision is used instead.
        """
        found = self._rows("key_digest = ? ORDER BY seq DESC LIMIT 1", (key.digest,))
        expected = key
        if not found and key.counterparty_id is not None:
            # recorded before keys held the id: such a decision names its counterparty in
            # its own counterparty_id, and applies to that counterparty only
            expected = key.model_copy(update={"counterparty_id": None})
            found = self._rows(
                "key_digest = ? AND counterparty_id = ? ORDER BY seq DESC LIMIT 1",
                (expected.digest, key.counterparty_id),
            )
        if not found:
            return None
        decision = prove(self.db, found[0])
        if decision.key != expected or decision.counterparty_id != key.counterparty_id:
            raise DecisionNotVerifiable(
                f"decision #{found[0].seq} is filed under this hit but is about another one "
                "(its index columns were edited)"
            )
        return decision

    def history(self, key: HitKey) -> list[Decision]:
        return self._load("key_digest = ? ORDER BY seq", (key.digest,))

    def earlier_versions(self, key: HitKey) -> list[Decision]:
        """Decisions on the same entry for this counterparty under another fingerprint or
        entry hash (or made before keys named the counterparty id).

        They no longer apply; they explain why a once-decided hit is back as an alert.
        Another counterparty's decisions are never among them.
        """
        found = self._load(
            "party_fingerprint = ? AND list = ? AND entry_id = ? ORDER BY seq",
            (key.party_fingerprint, key.list, key.entry_id),
        )
        if key.counterparty_id is not None:
            found += self._load(
                "counterparty_id = ? AND list = ? AND entry_id = ? AND party_fingerprint != ? "
                "ORDER BY seq",
                (key.counterparty_id, key.list, key.entry_id, key.party_fingerprint),
            )
        mine = {None, key.counterparty_id}
        return sorted(
            (d for d in found if d.key != key and d.counterparty_id in mine),
            key=lambda d: d.seq or 0,
        )

    def all(self) -> Iterator[Decision]:
        for row in self._rows("1 ORDER BY seq", ()):
            yield Decision.model_validate(json.loads(row.record))

    def export_jsonl(self, out: TextIO) -> int:
        """Every decision, oldest first, as canonical JSON Lines; returns the count."""
        count = 0
        for decision in self.all():
            out.write(canonical_json(decision.model_dump(mode="json")) + "\n")
            count += 1
        return count


@dataclass(frozen=True)
class StoredDecision:
    """A decision row as stored: its text and the audit record that must prove it."""

    seq: int
    record: str
    audit_seq: int | None
    audit_hash: str | None


def proof_problem(db: sqlite3.Connection, row: StoredDecision) -> str | None:
    """Why ``row`` is not proven by its audit record, or None if it is.

    Proven means: the row names an audit record; that record is stored under the hash the row
    names; its text hashes to it; it is a decision record; and its payload is exactly the row.
    (That the record itself sits in an intact chain is what ``verify`` checks.)
    """
    if row.audit_seq is None or row.audit_hash is None:
        return f"decision #{row.seq} names no audit record"
    try:
        found = db.execute(
            "SELECT hash, record FROM audit_records WHERE seq = ?", (row.audit_seq,)
        ).fetchone()
    except sqlite3.OperationalError as exc:  # no audit table at all
        return f"decision #{row.seq}: the audit trail cannot be read ({exc})"
    if found is None:
        return f"decision #{row.seq}: its audit record {row.audit_seq} is missing"
    digest, text = str(found[0]), str(found[1])
    if digest != row.audit_hash or sha256_hex(text) != row.audit_hash:
        return f"decision #{row.seq}: audit record {row.audit_seq} does not have the hash it names"
    try:
        body = json.loads(text)
        stored = json.loads(row.record)
    except json.JSONDecodeError:
        return f"decision #{row.seq}: unreadable record"
    if not isinstance(body, dict) or body.get("kind") != "decision":
        return f"decision #{row.seq}: audit record {row.audit_seq} is not a decision record"
    if body.get("payload") != stored:
        return (
            f"decision #{row.seq} differs from its audit record {row.audit_seq} "
            "(the decision row was edited)"
        )
    return None


def prove(db: sqlite3.Connection, row: StoredDecision) -> Decision:
    """The decision in ``row`` if its audit record proves it; else ``DecisionNotVerifiable``."""
    problem = proof_problem(db, row)
    if problem is not None:
        raise DecisionNotVerifiable(problem)
    return Decision.model_validate(json.loads(row.record))


def _upgrade(db: sqlite3.Connection) -> None:
    """Give a decisions table written before decisions were chained its audit references.

    A legacy row is linked to the decision audit record whose payload is exactly the row; a
    row no record matches stays unlinked and is therefore never applied.
    """
    columns = {str(r[1]) for r in db.execute("PRAGMA table_info(decisions)")}
    if "audit_seq" in columns:
        return
    with transaction(db, immediate=True):
        db.execute("ALTER TABLE decisions ADD COLUMN audit_seq INTEGER")
        db.execute("ALTER TABLE decisions ADD COLUMN audit_hash TEXT")
        by_payload: dict[str, tuple[int, str]] = {}
        for seq, digest, text in db.execute(
            "SELECT seq, hash, record FROM audit_records "
            'WHERE instr(record, \'"kind":"decision"\') > 0 ORDER BY seq'
        ):
            body = json.loads(text)
            if body.get("kind") == "decision" and sha256_hex(str(text)) == digest:
                by_payload.setdefault(canonical_json(body.get("payload")), (int(seq), digest))
        links = []
        for seq, text in db.execute("SELECT seq, record FROM decisions").fetchall():
            link = by_payload.get(canonical_json(json.loads(text)))
            if link is not None:
                links.append((link[0], link[1], seq))
        if not links:
            return
        # the append-only trigger refuses UPDATE: this one-time link lifts it inside the same
        # transaction, and puts it back only if it was there (a missing one stays evidence)
        had_trigger = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'decisions_no_update'"
        ).fetchone()
        db.execute("DROP TRIGGER IF EXISTS decisions_no_update")
        db.executemany("UPDATE decisions SET audit_seq = ?, audit_hash = ? WHERE seq = ?", links)
        if had_trigger:
            db.execute(DECISIONS_TRIGGERS["decisions_no_update"])


def _audit_event(decision: Decision, actor: str | None) -> AuditEvent:
    """The decision's audit record: ``time`` is the decision time the caller states."""
    return AuditEvent(
        kind="decision",
        payload=decision.model_dump(mode="json"),
        actor=actor if actor is not None else decision.reviewer,
        time=parse_utc(decision.decided_at),
    )


def _same_file(a: Path, b: Path) -> bool:
    if str(a) == ":memory:" or str(b) == ":memory:":
        return False
    return a.resolve() == b.resolve()
