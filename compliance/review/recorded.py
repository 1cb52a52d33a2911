"""Screening results as the audit trail recorded them, so a decision needs no new screening.

Each screening run's audit record holds every result with the party's screened fields, the
input file's SHA-256 and the snapshots. A reviewer deciding on a hit decides on what was
screened and shown: the latest recorded run of that input is read back (its stored text must
hash to its stored hash), and the decision is keyed on that run's party and hit.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict

from compliance.errors import IntegrityError, NotFoundError
from compliance.review._canonical import sha256_hex
from compliance.screening.results import Hit, Party, ScreeningResult


class RecordedRun(BaseModel):
    """One screening run read back from the audit trail."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str
    input_sha256: str
    results: tuple[ScreeningResult, ...]


class RunNotFound(NotFoundError):
    """No screening of this input was recorded."""


class HitNotFound(NotFoundError):
    """The recorded run has no such row, counterparty or hit."""


def recorded_run(db: sqlite3.Connection, input_sha256: str) -> RecordedRun:
    """The latest screening run of the input file with this SHA-256.

    Canonical JSON makes ``"input_sha256":"<hex>"`` an exact needle, so the search is a
    substring scan in SQLite, not a parse of every record. The record found must hash to its
    stored hash (``IntegrityError`` otherwise).
    """
    needle = f'"input_sha256":"{input_sha256}"'
    row = db.execute(
        "SELECT seq, hash, record FROM audit_records WHERE instr(record, ?) > 0 "
        "ORDER BY seq DESC LIMIT 1",
        (needle,),
    ).fetchone()
    if row is None:
        raise RunNotFound(
            f"no recorded screening of this input (sha256 {input_sha256[:16]}...): screen it "
            "first ('compliance screen' or 'compliance review alerts')"
        )
    seq, digest = int(row[0]), str(row[1])
    body = _verified(row)
    payload = body.get("payload", {})
    if body.get("kind") != "screening" or payload.get("input_sha256") != input_sha256:
        raise RunNotFound(f"audit record {seq} is not a screening of this input")
    return RecordedRun(
        seq=seq, hash=digest, input_sha256=input_sha256, results=_results_of(payload)
    )


def file_runs_after(db: sqlite3.Connection, seq: int) -> Iterator[RecordedRun]:
    """Every screening run of an input file (``compliance screen``, ``review alerts``)
    recorded after audit record ``seq``, oldest first: what the review queue takes in.

    Runs without an input file (an ad-hoc search, an API call) are not file runs; a door
    that wants their hits reviewed queues them itself. Each record must hash to its stored
    hash (``IntegrityError`` otherwise: a tampered run is never queued as evidence).
    """
    found_seqs = db.execute(
        "SELECT seq FROM audit_records WHERE seq > ? "
        "AND instr(record, ?) > 0 AND instr(record, ?) > 0 ORDER BY seq",
        (seq, '"kind":"screening"', '"input_sha256":"'),
    ).fetchall()
    for (number,) in found_seqs:  # one record in memory at a time; the caller may write
        row = db.execute(
            "SELECT seq, hash, record FROM audit_records WHERE seq = ?", (number,)
        ).fetchone()
        found, digest = int(row[0]), str(row[1])
        body = _verified(row)
        payload = body.get("payload", {})
        sha = payload.get("input_sha256")
        if body.get("kind") != "screening" or not isinstance(sha, str):
            continue  # the needles matched inside another record's text
        yield RecordedRun(seq=found, hash=digest, input_sha256=sha, results=_results_of(payload))


def _verified(row: tuple[Any, ...]) -> dict[str, Any]:
    """The record of a ``(seq, hash, record)`` row, after checking it hashes to its hash."""
    seq, digest, text = int(row[0]), str(row[1]), str(row[2])
    if sha256_hex(text) != digest:
        raise IntegrityError(
            f"audit record {seq} does not match its hash: run 'compliance audit verify'"
        )
    body: dict[str, Any] = json.loads(text)
    return body


def _results_of(payload: dict[str, Any]) -> tuple[ScreeningResult, ...]:
    """The results a screening record's payload holds (one place reads the layout)."""
    return tuple(ScreeningResult.model_validate(r) for r in payload.get("results", []))


def find_hit(
    results: tuple[ScreeningResult, ...] | list[ScreeningResult],
    list_code: str,
    entry_id: str,
    *,
    row: int | None = None,
    counterparty_id: str | None = None,
) -> tuple[Party, Hit]:
    """The party and its hit on ``list_code:entry_id``, found by input row or counterparty id."""
    if (row is None) == (counterparty_id is None):
        raise ValueError("give exactly one of row and counterparty_id")
    where = f"row {row}" if row is not None else f"counterparty {counterparty_id}"
    for result in results:
        party = result.party
        if (row is not None and result.row == row) or (
            counterparty_id is not None and party is not None and party.id == counterparty_id
        ):
            if party is None:
                raise HitNotFound(f"{where}: not screened ({result.error}); nothing to decide")
            for hit in result.hits:
                if hit.list == list_code and hit.entry_id == entry_id:
                    return party, hit
            found = ", ".join(f"{h.list}:{h.entry_id}" for h in result.hits) or "none"
            raise HitNotFound(f"{where}: no hit on {list_code}:{entry_id} (hits: {found})")
    raise HitNotFound(f"{where}: not found")


__all__ = [
    "HitNotFound",
    "RecordedRun",
    "RunNotFound",
    "file_runs_after",
    "find_hit",
    "recorded_run",
]
