"""Verify a review database read-only: the chain, the decisions it proves, its triggers.

A check never changes what it checks: the database is opened with SQLite's ``mode=ro`` (a
missing file is an error, never an empty "OK"), no schema statement runs and the journal mode
is left alone, so a dropped append-only trigger stays dropped and is reported.

What is checked (each failure is a finding naming the record or decision row):

- the hash chain (positions, sequence numbers, hashes, links, recording times that never go
  backwards), up to the first broken record;
- with an anchor (a checkpoint, or a head noted earlier): the chain still holds that hash at
  that position; records appended since are listed as not covered by it; a signed checkpoint
  must verify with the trusted public key;
- every decision row is proven by its audit record (same content, same hash), its index
  columns match its content, and every decision record in the chain has its row;
- the four append-only triggers exist exactly as the library creates them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compliance._sqlite import connect_readonly
from compliance.errors import NotFoundError
from compliance.review.audit import (
    AUDIT_TRIGGERS,
    Anchor,
    ChainWalk,
    Finding,
    VerifyReport,
    default_path,
    stored_rows,
    table_exists,
    verify_rows,
)
from compliance.review.checkpoint import Checkpoint, CheckpointError, check_signature
from compliance.review.decisions import (
    DECISIONS_TRIGGERS,
    Decision,
    StoredDecision,
    proof_problem,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class NoAuditTrail(NotFoundError):
    """The database exists but holds no audit trail: there is nothing to call OK."""


def verify_store(
    path: Path | str | None = None,
    *,
    anchor: Anchor | None = None,
    checkpoint: Checkpoint | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> VerifyReport:
    """Verify the review database at ``path`` (default: the default review database).

    ``checkpoint`` (or a bare ``anchor``) pins a position the chain must still hold; with
    ``public_key`` the checkpoint's signature must verify with that key. Raises
    ``StoreNotFoundError`` / ``NoAuditTrail`` (both ``NotFoundError``) when there is no trail.
    """
    target = Path(path) if path is not None else default_path()
    db = connect_readonly(target)
    try:
        if not table_exists(db, "audit_records"):
            raise NoAuditTrail(f"{target}: no audit trail in this database")
        findings: list[Finding] = []
        signed_by: str | None = None
        if checkpoint is not None:
            anchor = checkpoint.anchor()
            if public_key is not None:
                try:
                    signed_by = check_signature(checkpoint, public_key)
                except CheckpointError as exc:
                    findings.append(Finding(what="checkpoint", message=str(exc)))
        walk = ChainWalk()
        report = verify_rows(stored_rows(db), anchor, walk)
        findings = [*report.findings, *findings]
        findings += trigger_findings(db)
        findings += decision_findings(db, walk, chain_ok=report.first_broken is None)
        checked = report.anchor
        if checked is not None and signed_by is not None:
            checked = checked.model_copy(update={"signed_by": signed_by})
        return report.model_copy(
            update={
                "findings": tuple(findings),
                "ok": report.first_broken is None and not findings,
                "anchor": checked,
            }
        )
    finally:
        db.close()


def _normal_sql(sql: str) -> str:
    text = re.sub(r"\s+", " ", sql).strip().rstrip(";").strip()
    return text.replace("IF NOT EXISTS ", "")


def trigger_findings(db: sqlite3.Connection) -> list[Finding]:
    """A missing or altered append-only trigger: UPDATE or DELETE were possible."""
    expected = dict(AUDIT_TRIGGERS)
    if table_exists(db, "decisions"):
        expected.update(DECISIONS_TRIGGERS)
    found = {
        str(name): str(sql)
        for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    findings = []
    for name, sql in expected.items():
        if name not in found:
            findings.append(
                Finding(
                    what="trigger",
                    message=f"append-only trigger {name} is missing: the table could be "
                    "edited or rows deleted (dropped behind the library's back)",
                )
            )
        elif _normal_sql(found[name]) != _normal_sql(sql):
            findings.append(
                Finding(what="trigger", message=f"append-only trigger {name} was altered")
            )
    return findings


def decision_findings(db: sqlite3.Connection, walk: ChainWalk, *, chain_ok: bool) -> list[Finding]:
    """Each decision row proven by its audit record, and each decision record has its row."""
    if not table_exists(db, "decisions"):
        return []
    findings: list[Finding] = []
    linked: dict[int, int] = {}
    rows = db.execute(
        "SELECT seq, record, audit_seq, audit_hash, key_digest, party_fingerprint, list, "
        "entry_id, counterparty_id FROM decisions ORDER BY seq"
    ).fetchall()
    for seq, record, audit_seq, audit_hash, digest, fingerprint, code, entry, cp in rows:
        row = StoredDecision(int(seq), str(record), audit_seq, audit_hash)
        problem = proof_problem(db, row)
        if problem is None:
            problem = _index_problem(row, (digest, fingerprint, code, entry, cp))
        if problem is None and audit_seq is not None and audit_seq in linked:
            problem = (
                f"decision #{seq} names audit record {audit_seq}, which already proves "
                f"decision #{linked[audit_seq]} (row copied)"
            )
        if problem is not None:
            findings.append(
                Finding(
                    what="decision",
                    decision=int(seq),
                    seq=audit_seq,
                    message=f"{problem}: not verifiable, never applied",
                )
            )
        if audit_seq is not None:
            linked.setdefault(int(audit_seq), int(seq))
    for audit_seq, (_digest, payload) in sorted(walk.decisions.items()):
        if audit_seq not in linked:
            findings.append(
                Finding(
                    what="decision",
                    seq=audit_seq,
                    decision=payload.get("seq") if isinstance(payload.get("seq"), int) else None,
                    message=f"audit record {audit_seq} records decision "
                    f"#{payload.get('seq')}, but no decision row is proven by it (row deleted "
                    "or edited): a later decision may be hidden",
                )
            )
    if not chain_ok:  # decisions after the break are not walked; say so instead of guessing
        findings.append(
            Finding(
                what="decision",
                message="the chain is broken, so decisions recorded after the break were not "
                "matched against their records",
            )
        )
    return findings


def _index_problem(
    row: StoredDecision, columns: tuple[object, object, object, object, object]
) -> str | None:
    """The lookup columns must say what the decision's own content says."""
    try:
        decision = Decision.model_validate(json.loads(row.record))
    except (json.JSONDecodeError, ValidationError):
        return f"decision #{row.seq}: unreadable record"
    key = decision.key
    expected = (key.digest, key.party_fingerprint, key.list, key.entry_id)
    if columns[:4] != expected or columns[4] != decision.counterparty_id:
        return f"decision #{row.seq}: its lookup columns do not match its content (edited)"
    return None


__all__ = ["NoAuditTrail", "decision_findings", "trigger_findings", "verify_store"]


class KeptCheckpoint(BaseModel):
    """The site's last checkpoint (a file beside or away from the database) and what the
    chain says about it: shown on the audit page, the same check as ``audit verify
    --checkpoint FILE [--public-key PEM]``."""

    model_config = ConfigDict(frozen=True)

    path: str
    checkpoint: Checkpoint | None = None
    problem: str | None = Field(default=None, description="why it could not be read or checked")
    report: VerifyReport | None = Field(default=None, description="the chain verified against it")
    signature: str = Field(
        description="verified (with the trusted key), failed, unsigned, or not checked (no "
        "trusted key configured)"
    )


def kept_checkpoint_path(db: Path) -> Path:
    """Where a site keeps its last checkpoint by default: beside the review database
    (``review.sqlite`` -> ``review.checkpoint.json``). Unsigned, it only catches accidents
    there; signed (``audit checkpoint --sign-key``), it may stay beside the database."""
    return db.with_name(f"{db.stem}.checkpoint.json")


def verify_kept_checkpoint(
    db: Path, path: Path, public_key_path: Path | None = None
) -> KeptCheckpoint:
    """Read the checkpoint at ``path`` and verify the review database against it (and its
    signature against ``public_key_path`` when given). Never raises for a missing or bad
    file: the problem is reported, since a page must show it rather than fail."""
    from compliance.errors import ComplianceError
    from compliance.review.checkpoint import load_public_key, read_checkpoint

    if not path.is_file():
        return KeptCheckpoint(
            path=str(path), problem="no checkpoint kept yet", signature="unsigned"
        )
    try:
        checkpoint = read_checkpoint(path)
    except (ComplianceError, OSError) as exc:
        return KeptCheckpoint(path=str(path), problem=str(exc), signature="unsigned")
    public_key = None
    problem = None
    if public_key_path is not None:
        try:
            public_key = load_public_key(public_key_path)
        except (ComplianceError, OSError) as exc:
            problem = f"trusted public key not read: {exc}"
    try:
        report = verify_store(db, checkpoint=checkpoint, public_key=public_key)
    except NotFoundError as exc:
        return KeptCheckpoint(
            path=str(path), checkpoint=checkpoint, problem=str(exc), signature="not checked"
        )
    if checkpoint.signature is None:
        signature = "unsigned"
    elif public_key is None:
        signature = "not checked"
    elif report.anchor is not None and report.anchor.signed_by is not None:
        signature = "verified"
    else:
        signature = "failed"
    return KeptCheckpoint(
        path=str(path), checkpoint=checkpoint, problem=problem, report=report, signature=signature
    )


def current_checkpoint(db: Path) -> Checkpoint:
    """The chain's current position, read-only (``NotFoundError`` when there is no trail)."""
    from compliance.review.checkpoint import take_checkpoint

    conn = connect_readonly(db)
    try:
        if not table_exists(conn, "audit_records"):
            raise NoAuditTrail(f"{db}: no audit trail in this database")
        return take_checkpoint(conn)
    finally:
        conn.close()


def keep_checkpoint(db: Path, path: Path) -> Checkpoint:
    """Take the chain's current position (read-only) and write it to ``path`` atomically."""
    import os

    checkpoint = current_checkpoint(db)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(checkpoint.to_json(), encoding="utf-8")
    os.replace(temporary, path)
    return checkpoint
