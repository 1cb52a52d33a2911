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
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from compliance.errors import IntegrityError, NotFoundError
from compliance.review._canonical import sha256_hex
from compliance.review.run_records import BLOCK_KIND, RUN_KIND
from compliance.screening.results import Hit, Party, ScreeningResult

RUN_KINDS = ("screening", RUN_KIND)
"""Record kinds that describe a whole run: one record, or a streamed run's closing record."""


class RecordedRun(BaseModel):
    """One screening run read back from the audit trail.

    ``results`` holds every result when read with ``load=True``; a streamed run read with
    ``load=False`` keeps only its block list, and ``recorded_results`` reads it a block at a
    time (a million-row run never sits in memory to find one hit)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str
    input_sha256: str
    results: tuple[ScreeningResult, ...] = ()
    complete: bool = True
    run: str | None = Field(default=None, description="streamed run id; None: one record")
    blocks: tuple[tuple[int | None, str | None], ...] = Field(
        default=(), description="(seq, hash) of each block record, as the closing record lists"
    )


class RunNotFound(NotFoundError):
    """No screening of this input was recorded."""


class HitNotFound(NotFoundError):
    """The recorded run has no such row, counterparty or hit."""


def recorded_run(db: sqlite3.Connection, input_sha256: str, *, load: bool = True) -> RecordedRun:
    """The latest screening run of the input file with this SHA-256.

    Canonical JSON makes ``"input_sha256":"<hex>"`` an exact needle, so the search is a
    substring scan in SQLite, not a parse of every record. The record found must hash to its
    stored hash (``IntegrityError`` otherwise), and so must each block of a streamed run.
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
    if body.get("kind") not in RUN_KINDS or payload.get("input_sha256") != input_sha256:
        raise RunNotFound(f"audit record {seq} is not a screening of this input")
    return _run_of(db, seq, digest, input_sha256, body, load=load)


def file_runs_after(db: sqlite3.Connection, seq: int) -> Iterator[RecordedRun]:
    """Every screening run of an input file (``compliance screen``, ``review alerts``)
    recorded after audit record ``seq``, oldest first: what the review queue takes in.

    A streamed run is found by its closing record and yielded without its results (read
    them a block at a time with ``recorded_results``); a single-record run holds them.
    Runs without an input file (an ad-hoc search, an API call) are not file runs; a door
    that wants their hits reviewed queues them itself. Each record must hash to its stored
    hash (``IntegrityError`` otherwise: a tampered run is never queued as evidence).
    """
    found_seqs = db.execute(
        "SELECT seq FROM audit_records WHERE seq > ? "
        "AND (instr(record, ?) > 0 OR instr(record, ?) > 0) AND instr(record, ?) > 0 "
        "ORDER BY seq",
        (seq, '"kind":"screening"', f'"kind":"{RUN_KIND}"', '"input_sha256":"'),
    ).fetchall()
    for (number,) in found_seqs:  # one record in memory at a time; the caller may write
        row = db.execute(
            "SELECT seq, hash, record FROM audit_records WHERE seq = ?", (number,)
        ).fetchone()
        found, digest = int(row[0]), str(row[1])
        body = _verified(row)
        sha = body.get("payload", {}).get("input_sha256")
        if body.get("kind") not in RUN_KINDS or not isinstance(sha, str):
            continue  # the needles matched inside another record's text
        yield _run_of(db, found, digest, sha, body, load=False)


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


def _run_of(
    db: sqlite3.Connection,
    seq: int,
    digest: str,
    input_sha256: str,
    body: dict[str, Any],
    *,
    load: bool,
) -> RecordedRun:
    """The run a verified screening or closing record describes."""
    payload = body.get("payload", {})
    complete = payload.get("complete", True) is True
    if body.get("kind") != RUN_KIND:  # one record holds the whole run
        return RecordedRun(
            seq=seq,
            hash=digest,
            input_sha256=input_sha256,
            results=_results_of(payload),
            complete=complete,
        )
    listed = payload.get("blocks")
    blocks = tuple(  # an entry that is not a (seq, hash) fails its lookup in _block
        (_int_or_none(b.get("seq")), _str_or_none(b.get("hash")))
        if isinstance(b, dict)
        else (None, None)
        for b in (listed if isinstance(listed, list) else [])
    )
    run = RecordedRun(
        seq=seq,
        hash=digest,
        input_sha256=input_sha256,
        complete=complete,
        run=str(payload.get("run")),
        blocks=blocks,
    )
    if load:
        run = run.model_copy(update={"results": tuple(recorded_results(db, run))})
    return run


def recorded_results(
    db: sqlite3.Connection,
    run: RecordedRun,
    *,
    row: int | None = None,
    counterparty_id: str | None = None,
) -> Iterator[ScreeningResult]:
    """The run's results in input order (only those of ``row`` / ``counterparty_id`` when
    given), a block at a time; each block checked against the hash its closing record lists
    (``IntegrityError`` otherwise)."""

    def wanted(result: dict[str, Any]) -> bool:
        if row is not None and result.get("row") != row:
            return False
        party = result.get("party")
        if counterparty_id is not None:
            return isinstance(party, dict) and party.get("id") == counterparty_id
        return True

    if run.run is None:
        for result in run.results:
            dumped = {"row": result.row, "party": {"id": result.party.id} if result.party else None}
            if wanted(dumped):
                yield result
        return
    for index, (block_seq, block_hash) in enumerate(run.blocks):
        block = _block(db, run, index, block_seq, block_hash)
        for result in block.get("results", []):
            if isinstance(result, dict) and wanted(result):
                yield ScreeningResult.model_validate(result)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _block(
    db: sqlite3.Connection,
    run: RecordedRun,
    index: int,
    block_seq: int | None,
    block_hash: str | None,
) -> dict[str, Any]:
    found = db.execute(
        "SELECT hash, record FROM audit_records WHERE seq = ?", (block_seq,)
    ).fetchone()
    problem = None
    block: dict[str, Any] = {}
    if found is None:
        problem = "is missing"
    elif str(found[0]) != block_hash or sha256_hex(str(found[1])) != str(found[0]):
        problem = "does not match its hash"
    else:
        body = json.loads(str(found[1]))
        block = body.get("payload", {})
        if (
            body.get("kind") != BLOCK_KIND
            or block.get("run") != run.run
            or block.get("block") != index
        ):
            problem = "is not the block it lists"
    if problem is not None:
        raise IntegrityError(
            f"screening run {run.seq}: block record {block_seq} {problem}: run "
            "'compliance audit verify'"
        )
    return block


def find_hit(
    results: Iterable[ScreeningResult],
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
    "recorded_results",
    "recorded_run",
]
