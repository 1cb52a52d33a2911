"""Screening results as the audit trail recorded them, so a decision needs no new screening.

Each screening run's audit record holds every result with the party's screened fields, the
input file's SHA-256 and the snapshots: one ``screening`` record, or (``compliance screen``,
streamed) block records and a closing ``screening_run`` record that lists them
(``run_records``). A reviewer deciding on a hit decides on what was
screened and shown: the latest recorded run of that input is read back (its stored text must
hash to its stored hash), and the decision is keyed on that run's party and hit.
"""

from __future__ import annotations

import json
import sqlite3

from pydantic import BaseModel, ConfigDict

from compliance.errors import IntegrityError, NotFoundError
from compliance.review._canonical import sha256_hex
from compliance.review.run_records import BLOCK_KIND, RUN_KIND
from compliance.screening.results import Hit, Party, ScreeningResult


class RecordedRun(BaseModel):
    """One screening run read back from the audit trail."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str
    input_sha256: str
    results: tuple[ScreeningResult, ...]
    complete: bool = True


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
    seq, digest, text = int(row[0]), str(row[1]), str(row[2])
    if sha256_hex(text) != digest:
        raise IntegrityError(
            f"audit record {seq} does not match its hash: run 'compliance audit verify'"
        )
    body = json.loads(text)
    payload = body.get("payload", {})
    kind = body.get("kind")
    if kind not in ("screening", RUN_KIND) or payload.get("input_sha256") != input_sha256:
        raise RunNotFound(f"audit record {seq} is not a screening of this input")
    if kind == RUN_KIND:
        results = tuple(_block_results(db, seq, payload))
    else:
        results = tuple(ScreeningResult.model_validate(r) for r in payload.get("results", []))
    return RecordedRun(
        seq=seq,
        hash=digest,
        input_sha256=input_sha256,
        results=results,
        complete=payload.get("complete", True) is True,
    )


def _block_results(
    db: sqlite3.Connection, closing: int, payload: dict[str, object]
) -> list[ScreeningResult]:
    """The results of a streamed run, from the blocks its closing record lists, each checked
    against the hash listed for it (``IntegrityError`` otherwise)."""
    results: list[ScreeningResult] = []
    blocks = payload.get("blocks")
    for index, listed in enumerate(blocks if isinstance(blocks, list) else []):
        row = db.execute(
            "SELECT hash, record FROM audit_records WHERE seq = ?", (listed.get("seq"),)
        ).fetchone()
        problem = None
        if row is None:
            problem = "is missing"
        elif str(row[0]) != listed.get("hash") or sha256_hex(str(row[1])) != str(row[0]):
            problem = "does not match its hash"
        else:
            body = json.loads(str(row[1]))
            block = body.get("payload", {})
            if (
                body.get("kind") != BLOCK_KIND
                or block.get("run") != payload.get("run")
                or block.get("block") != index
            ):
                problem = "is not the block it lists"
        if problem is not None:
            raise IntegrityError(
                f"screening run {closing}: block record {listed.get('seq')} {problem}: run "
                "'compliance audit verify'"
            )
        results.extend(ScreeningResult.model_validate(r) for r in block.get("results", []))
    return results


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


__all__ = ["HitNotFound", "RecordedRun", "RunNotFound", "find_hit", "recorded_run"]
