"""An attacker with write access to the review database, for the tamper tests.

A careful one: triggers are dropped for the edit and put back exactly as the library creates
them, and re-hashing tampers recompute every later hash and link, so each case is detected (or
not) by what it changes, not by clumsiness.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compliance.review._canonical import canonical_json, sha256_hex
from compliance.review.audit import AUDIT_TRIGGERS
from compliance.review.decisions import DECISIONS_TRIGGERS

Body = dict[str, Any]


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for name in [*AUDIT_TRIGGERS, *DECISIONS_TRIGGERS]:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    return db


def _close(db: sqlite3.Connection) -> None:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for sql in AUDIT_TRIGGERS.values():
        db.execute(sql)
    if "decisions" in tables:
        for sql in DECISIONS_TRIGGERS.values():
            db.execute(sql)
    db.execute("COMMIT")
    db.close()


def run_sql(path: Path, sql: str, params: tuple[object, ...] = ()) -> None:
    db = _open(path)
    db.execute(sql, params)
    _close(db)


def flip_byte(path: Path, seq: int, offset: int = 40) -> None:
    """Flip the lowest bit of one character of record ``seq`` (no re-hash)."""
    db = _open(path)
    (text,) = db.execute("SELECT record FROM audit_records WHERE seq = ?", (seq,)).fetchone()
    flipped = text[:offset] + chr(ord(text[offset]) ^ 1) + text[offset + 1 :]
    db.execute("UPDATE audit_records SET record = ? WHERE seq = ?", (flipped, seq))
    _close(db)


def drop_trigger(path: Path, name: str) -> None:
    db = sqlite3.connect(path)
    db.execute(f"DROP TRIGGER {name}")
    db.commit()
    db.close()


def _relink(db: sqlite3.Connection, start: int) -> None:
    """Recompute hash and prev_hash of every record from ``start`` on (a chain rewrite),
    and point decision rows at their records' new hashes."""
    prev_row = db.execute("SELECT hash FROM audit_records WHERE seq = ?", (start - 1,)).fetchone()
    prev = prev_row[0] if prev_row else "0" * 64
    rows = db.execute(
        "SELECT seq, record FROM audit_records WHERE seq >= ? ORDER BY seq", (start,)
    ).fetchall()
    import json

    has_decisions = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'decisions'"
    ).fetchone()
    for seq, text in rows:
        body = json.loads(text)
        body["prev_hash"] = prev
        new_text = canonical_json(body)
        prev = sha256_hex(new_text)
        db.execute(
            "UPDATE audit_records SET record = ?, hash = ? WHERE seq = ?", (new_text, prev, seq)
        )
        if has_decisions:
            db.execute("UPDATE decisions SET audit_hash = ? WHERE audit_seq = ?", (prev, seq))


def rewrite_from(path: Path, seq: int, mutate: Callable[[Body], Body]) -> None:
    """Change record ``seq`` with ``mutate`` and re-hash the chain from there on."""
    import json

    db = _open(path)
    (text,) = db.execute("SELECT record FROM audit_records WHERE seq = ?", (seq,)).fetchone()
    body = mutate(json.loads(text))
    db.execute("UPDATE audit_records SET record = ? WHERE seq = ?", (canonical_json(body), seq))
    _relink(db, seq)
    _close(db)


def edit_decision(path: Path, decision_seq: int, mutate: Callable[[Body], Body], *, rehash: bool):
    """Change a decision in its row and in its audit record (re-hashing the chain or not)."""
    import json

    db = _open(path)
    text, audit_seq = db.execute(
        "SELECT record, audit_seq FROM decisions WHERE seq = ?", (decision_seq,)
    ).fetchone()
    decision = mutate(json.loads(text))
    db.execute(
        "UPDATE decisions SET record = ? WHERE seq = ?", (canonical_json(decision), decision_seq)
    )
    (audit_text,) = db.execute(
        "SELECT record FROM audit_records WHERE seq = ?", (audit_seq,)
    ).fetchone()
    body = json.loads(audit_text)
    body["payload"] = decision
    db.execute(
        "UPDATE audit_records SET record = ? WHERE seq = ?", (canonical_json(body), audit_seq)
    )
    if rehash:
        _relink(db, audit_seq)
    _close(db)


def forge_append(path: Path, fields: Body, decision: Body | None = None) -> None:
    """Append a correctly chained record (and, for a decision, its decision row)."""
    import json

    db = _open(path)
    seq, prev, last = db.execute(
        "SELECT seq, hash, record FROM audit_records ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    body = {
        "seq": seq + 1,
        "time": json.loads(last)["time"],
        "recorded_at": json.loads(last)["recorded_at"],
        "prev_hash": prev,
        **fields,
    }
    if decision is not None:
        (next_decision,) = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions").fetchone()
        decision = {**decision, "seq": next_decision}
        body["payload"] = decision
    text = canonical_json(body)
    digest = sha256_hex(text)
    db.execute(
        "INSERT INTO audit_records (seq, hash, record) VALUES (?, ?, ?)", (seq + 1, digest, text)
    )
    if decision is not None:
        from compliance.review.decisions import Decision

        parsed = Decision.model_validate(decision)
        key = parsed.key
        db.execute(
            "INSERT INTO decisions (seq, key_digest, party_fingerprint, list, entry_id, "
            "counterparty_id, record, audit_seq, audit_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                decision["seq"],
                key.digest,
                key.party_fingerprint,
                key.list,
                key.entry_id,
                parsed.counterparty_id,
                canonical_json(decision),
                seq + 1,
                digest,
            ),
        )
    _close(db)


def _renumber(db: sqlite3.Connection, seq: int, text: str) -> str:
    import json

    body = json.loads(text)
    body["seq"] = seq
    return canonical_json(body)


def delete_and_rechain(path: Path, seq: int) -> None:
    """Remove record ``seq``, move every later record down one place and re-hash from there:
    the chain alone no longer shows that anything is missing."""
    db = _open(path)
    db.execute("DELETE FROM audit_records WHERE seq = ?", (seq,))
    later = db.execute(
        "SELECT seq, record FROM audit_records WHERE seq > ? ORDER BY seq", (seq,)
    ).fetchall()
    for old, text in later:
        db.execute(
            "UPDATE audit_records SET seq = ?, record = ? WHERE seq = ?",
            (old - 1, _renumber(db, old - 1, text), old),
        )
    _relink(db, seq)
    _close(db)


def swap_and_rechain(path: Path, a: int, b: int) -> None:
    """Exchange the contents of records ``a`` < ``b`` (each keeps its place's seq) and
    re-hash from ``a`` on."""
    db = _open(path)
    (text_a,) = db.execute("SELECT record FROM audit_records WHERE seq = ?", (a,)).fetchone()
    (text_b,) = db.execute("SELECT record FROM audit_records WHERE seq = ?", (b,)).fetchone()
    db.execute("UPDATE audit_records SET record = ? WHERE seq = ?", (_renumber(db, a, text_b), a))
    db.execute("UPDATE audit_records SET record = ? WHERE seq = ?", (_renumber(db, b, text_a), b))
    _relink(db, a)
    _close(db)


def rewrite_run(path: Path, block_seq: int, closing_seq: int, mutate: Callable[[Body], Body]):
    """Edit a block of a streamed run and rewrite its closing record to agree (the block
    hashes it lists, its counts by status), re-hashing the chain: a whole-run forgery."""
    import json

    db = _open(path)
    (text,) = db.execute("SELECT record FROM audit_records WHERE seq = ?", (block_seq,)).fetchone()
    body = mutate(json.loads(text))
    db.execute(
        "UPDATE audit_records SET record = ? WHERE seq = ?", (canonical_json(body), block_seq)
    )
    _relink(db, block_seq)
    (closing_text,) = db.execute(
        "SELECT record FROM audit_records WHERE seq = ?", (closing_seq,)
    ).fetchone()
    closing = json.loads(closing_text)
    counts: dict[str, int] = {}
    for listed in closing["payload"]["blocks"]:
        digest, block_text = db.execute(
            "SELECT hash, record FROM audit_records WHERE seq = ?", (listed["seq"],)
        ).fetchone()
        listed["hash"] = digest
        for result in json.loads(block_text)["payload"]["results"]:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
    closing["payload"]["counts"] = dict(sorted(counts.items()))
    db.execute(
        "UPDATE audit_records SET record = ? WHERE seq = ?",
        (canonical_json(closing), closing_seq),
    )
    _relink(db, closing_seq)
    _close(db)
