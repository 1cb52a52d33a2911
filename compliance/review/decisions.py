"""Review decisions on hits, stored append-only: a new decision supersedes, nothing is edited.

A decision is about one hit key (counterparty fingerprint, list, entry id, entry content hash;
see ``fingerprint``). The current decision for a key is the latest one recorded. When the
decision store shares its SQLite file with an ``AuditLog``, each decision and its audit record
are committed in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance.review._canonical import canonical_json, parse_utc, utc_iso
from compliance.review.audit import AuditEvent, AuditLog, open_database
from compliance.review.fingerprint import HitKey, hit_key
from compliance.screening.results import Hit, Party

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY,
    key_digest TEXT NOT NULL,
    party_fingerprint TEXT NOT NULL,
    list TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    counterparty_id TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_key ON decisions (key_digest, seq);
CREATE INDEX IF NOT EXISTS decisions_party_entry ON decisions (party_fingerprint, list, entry_id);
CREATE INDEX IF NOT EXISTS decisions_cp_entry ON decisions (counterparty_id, list, entry_id);
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead'); END;
"""


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


class DecisionStore:
    """Append-only decisions in SQLite; ``audit`` (optional) gets a record for each one."""

    def __init__(self, path: Path | str | None = None, *, audit: AuditLog | None = None) -> None:
        self.audit = audit
        if audit is not None and (path is None or _same_file(Path(path), audit.path)):
            self.path = audit.path
            self.db = audit.db
            self._owns_db = False
        else:
            self.path, self.db = open_database(path)
            self._owns_db = True
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        if self._owns_db:
            self.db.close()

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, decision: Decision, *, actor: str | None = None) -> Decision:
        """Store ``decision`` (and its audit record); returns it with its ``seq``."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            stored = self._insert(decision)
            if self.audit is not None and not self._owns_db:
                self.audit.append_in_transaction([_audit_event(stored, actor)])
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        if self.audit is not None and self._owns_db:  # separate files: not one transaction
            self.audit.append_many([_audit_event(stored, actor)])
        return stored

    def _insert(self, decision: Decision) -> Decision:
        row = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions").fetchone()
        stored = decision.model_copy(update={"seq": int(row[0])})
        key = stored.key
        self.db.execute(
            "INSERT INTO decisions (seq, key_digest, party_fingerprint, list, entry_id, "
            "counterparty_id, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                stored.seq,
                key.digest,
                key.party_fingerprint,
                key.list,
                key.entry_id,
                stored.counterparty_id,
                canonical_json(stored.model_dump(mode="json")),
            ),
        )
        return stored

    def _load(self, sql: str, params: tuple[str | None, ...]) -> list[Decision]:
        return [Decision.model_validate(json.loads(r[0])) for r in self.db.execute(sql, params)]

    def current(self, key: HitKey) -> Decision | None:
        """The latest decision on exactly this key, or None."""
        found = self._load(
            "SELECT record FROM decisions WHERE key_digest = ? ORDER BY seq DESC LIMIT 1",
            (key.digest,),
        )
        return found[0] if found else None

    def history(self, key: HitKey) -> list[Decision]:
        return self._load(
            "SELECT record FROM decisions WHERE key_digest = ? ORDER BY seq", (key.digest,)
        )

    def earlier_versions(self, key: HitKey, counterparty_id: str | None) -> list[Decision]:
        """Decisions on the same entry for this party under another fingerprint or entry hash.

        They no longer apply; they explain why a once-decided hit is back as an alert.
        """
        found = self._load(
            "SELECT record FROM decisions WHERE party_fingerprint = ? AND list = ? "
            "AND entry_id = ? ORDER BY seq",
            (key.party_fingerprint, key.list, key.entry_id),
        )
        if counterparty_id is not None:
            found += self._load(
                "SELECT record FROM decisions WHERE counterparty_id = ? AND list = ? "
                "AND entry_id = ? AND party_fingerprint != ? ORDER BY seq",
                (counterparty_id, key.list, key.entry_id, key.party_fingerprint),
            )
        return sorted((d for d in found if d.key != key), key=lambda d: d.seq or 0)

    def all(self) -> Iterator[Decision]:
        for (text,) in self.db.execute("SELECT record FROM decisions ORDER BY seq"):
            yield Decision.model_validate(json.loads(text))

    def export_jsonl(self, out: TextIO) -> int:
        """Every decision, oldest first, as canonical JSON Lines; returns the count."""
        count = 0
        for decision in self.all():
            out.write(canonical_json(decision.model_dump(mode="json")) + "\n")
            count += 1
        return count


def _audit_event(decision: Decision, actor: str | None) -> AuditEvent:
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
