"""A streamed screening run in the audit trail: block records, then one closing record.

A batch of a million rows cannot be one audit record without holding every result in memory,
so ``compliance screen`` records a run as it screens:

- a ``screening_block`` record per block of results: ``{run, block, first_row, results}``,
  appended (and committed) as soon as the block is screened;
- one ``screening_run`` record that closes the run: the run id, the ``(seq, hash)`` of every
  block in order, the row count, the input fingerprint (computed block by block, equal to the
  one a single ``screening`` record holds), the counts by status, the snapshots and library
  version, the input file's SHA-256, and whether the run completed.

Each of these records is a link of the hash chain like any other. On top of the chain,
``RunCheck`` (called by every chain walk: ``verify`` and the check of an exported file)
proves each run whole: blocks numbered 0, 1, 2... in chain order, a closing record that lists
exactly the blocks the chain holds, and rows, counts and fingerprint that the blocks
recompute. A run without its closing record is reported: it was killed, is still running, or
its closing record was removed. Runs written as one ``screening`` record (before streaming,
and by the search page, the service and ``review alerts``) read and verify as before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from compliance.review._canonical import canonical_json
from compliance.review.fingerprint import screened_fields
from compliance.screening.results import Party

BLOCK_KIND = "screening_block"
RUN_KIND = "screening_run"

BLOCK_ROWS = 1024
"""Results per block record: the audit trail's share of memory is one block of results, and
each block is one committed transaction (an fsync), so 1,000,000 rows make ~980 commits."""


class Fingerprint:
    """SHA-256 of the canonical JSON list of the parties' screened fields, fed a party at a
    time: equal to ``audit.input_fingerprint`` of the whole list, in constant memory."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(b"[")
        self._first = True

    def add(self, fields: dict[str, object] | None) -> None:
        if not self._first:
            self._hash.update(b",")
        self._first = False
        self._hash.update(canonical_json(fields).encode("utf-8"))

    def add_party(self, party: Party | None) -> None:
        self.add(screened_fields(party) if party is not None else None)

    def add_dumped(self, party: object) -> None:
        """A party as recorded (its JSON dump); an unreadable one counts as no party."""
        parsed = Party.model_validate(party) if isinstance(party, dict) else None
        self.add_party(parsed)

    def hexdigest(self) -> str:
        final = self._hash.copy()
        final.update(b"]")
        return final.hexdigest()


@dataclass
class _OpenRun:
    """What the walk has seen of one run so far."""

    first_seq: int
    blocks: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    fingerprint: Fingerprint = field(default_factory=Fingerprint)
    problem: str | None = None


@dataclass
class RunCheck:
    """Proves each streamed run whole during a chain walk; ``findings`` are messages with the
    record's position (``see`` once per record in chain order, ``finish`` at the end)."""

    open_runs: dict[str, _OpenRun] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    findings: list[tuple[int | None, str]] = field(default_factory=list)

    def see(self, position: int, digest: str, body: dict[str, Any]) -> None:
        kind = body.get("kind")
        if kind not in (BLOCK_KIND, RUN_KIND):
            return
        payload = body.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        run = str(payload.get("run"))
        if kind == BLOCK_KIND:
            self._block(position, digest, run, payload)
        else:
            self._close(position, run, payload)

    def _block(self, position: int, digest: str, run: str, payload: dict[str, Any]) -> None:
        if run in self.closed:
            self.findings.append(
                (position, f"run {run}: block record {position} comes after the run's closing "
                 "record (appended to a closed run)")
            )  # fmt: skip
            return
        state = self.open_runs.setdefault(run, _OpenRun(first_seq=position))
        expected = len(state.blocks)
        if payload.get("block") != expected and state.problem is None:
            state.problem = (
                f"record {position} is block {payload.get('block')!r} where block {expected} "
                "was expected (blocks removed or reordered)"
            )
        state.blocks.append((position, digest))
        results = payload.get("results")
        for result in results if isinstance(results, list) else []:
            item = result if isinstance(result, dict) else {}
            state.rows += 1
            status = str(item.get("status"))
            state.counts[status] = state.counts.get(status, 0) + 1
            try:
                state.fingerprint.add_dumped(item.get("party"))
            except ValueError:  # pydantic's ValidationError: an edited party
                state.fingerprint.add({"unreadable": True})

    def _close(self, position: int, run: str, payload: dict[str, Any]) -> None:
        state = self.open_runs.pop(run, None) or _OpenRun(first_seq=position)
        self.closed.add(run)
        listed = [
            (b.get("seq"), b.get("hash")) if isinstance(b, dict) else (None, None)
            for b in payload.get("blocks") or []
        ]
        where = f"run {run} (closed by record {position})"
        if listed != state.blocks:
            self.findings.append((position, f"{where}: {_block_difference(listed, state)}"))
        elif state.problem is not None:
            self.findings.append((position, f"{where}: {state.problem}"))
        else:
            problems = []
            if payload.get("rows") != state.rows:
                problems.append(f"says {payload.get('rows')} rows, its blocks hold {state.rows}")
            if payload.get("counts") != dict(sorted(state.counts.items())):
                problems.append("its counts by status do not match its blocks")
            if payload.get("input_fingerprint") != state.fingerprint.hexdigest():
                problems.append("its input fingerprint does not match the parties in its blocks")
            if problems:
                self.findings.append((position, f"{where}: " + "; ".join(problems)))

    def finish(self) -> None:
        """Runs still open at the end of the chain."""
        for run, state in self.open_runs.items():
            first, last = state.blocks[0][0], state.blocks[-1][0]
            self.findings.append(
                (first, f"run {run}: {len(state.blocks)} block records (seq {first}..{last}, "
                 f"{state.rows} rows) and no closing record: the run was killed, is still "
                 "running, or its closing record was removed (once its process is known to "
                 f"be gone: compliance audit close-run {run} --reason ...)")
            )  # fmt: skip
        self.open_runs.clear()


def _block_difference(listed: list[tuple[Any, Any]], state: _OpenRun) -> str:
    seen = dict(state.blocks)
    listed_seqs = {seq for seq, _ in listed}
    missing = [seq for seq, _ in listed if seq not in seen]
    changed = [seq for seq, digest in listed if seq in seen and seen[seq] != digest]
    extra = [seq for seq, _ in state.blocks if seq not in listed_seqs]
    parts = []
    if missing:
        parts.append(f"blocks at seq {_seqs(missing)} are missing (removed)")
    if changed:
        parts.append(f"blocks at seq {_seqs(changed)} do not have the hash it lists (edited)")
    if extra:
        parts.append(f"records {_seqs(extra)} claim to be its blocks but it does not list them")
    if not parts:
        parts.append("its blocks are not in the order it lists (reordered)")
    return "; ".join(parts)


def _seqs(values: list[Any]) -> str:
    return ", ".join(str(v) for v in values)


__all__ = ["BLOCK_KIND", "BLOCK_ROWS", "RUN_KIND", "Fingerprint", "RunCheck"]
