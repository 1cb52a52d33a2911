"""Record a screening run into the audit trail while it is screened (``run_records``).

Memory is one block of results: each block is appended and committed as soon as it is full,
and the closing record is built from running totals. A run that stops early (an error, an
interrupt) is closed as incomplete with the reason, so only a killed process leaves a run
without its closing record (``verify`` reports it). ``close_abandoned_run`` closes such a run
afterwards, as incomplete, from the blocks the verified chain holds, naming who closed it
and why: the finding is answered in the trail instead of standing for ever.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from compliance._version import __version__
from compliance.errors import IntegrityError, InvalidInputError, NotFoundError
from compliance.review._canonical import parse_utc
from compliance.review.audit import AuditLog, AuditRecord, default_actor
from compliance.review.run_records import BLOCK_KIND, BLOCK_ROWS, RUN_KIND, Fingerprint
from compliance.screening.results import ScreeningResult


class RunRecorder:
    """Feed results in input order with ``add``; ``close`` once (complete or not)."""

    def __init__(
        self,
        log: AuditLog,
        *,
        input_sha256: str | None = None,
        actor: str | None = None,
        time: datetime | None = None,
        block_rows: int | None = None,
    ) -> None:
        block_rows = BLOCK_ROWS if block_rows is None else block_rows
        if block_rows < 1:
            raise ValueError("block_rows must be >= 1")
        self.log = log
        self.run = uuid.uuid4().hex
        self.input_sha256 = input_sha256
        self.actor = actor
        self.time = time
        self.block_rows = block_rows
        self._pending: list[ScreeningResult] = []
        self._blocks: list[dict[str, Any]] = []
        self._fingerprint = Fingerprint()
        self._counts: dict[str, int] = {}
        self._snapshots: dict[str, dict[str, Any]] = {}
        self._versions: set[str] = set()
        self.rows = 0
        self.closed: AuditRecord | None = None

    def add(self, result: ScreeningResult) -> None:
        if self.closed is not None:
            raise RuntimeError(f"run {self.run} is closed")
        self._pending.append(result)
        self.rows += 1
        self._fingerprint.add_party(result.party)
        status = result.status.value
        self._counts[status] = self._counts.get(status, 0) + 1
        for snapshot in result.snapshots:
            if snapshot.snapshot_id not in self._snapshots:
                self._snapshots[snapshot.snapshot_id] = snapshot.model_dump(mode="json")
        self._versions.add(result.library_version)
        if len(self._pending) >= self.block_rows:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        payload = {
            "run": self.run,
            "block": len(self._blocks),
            "first_row": self._pending[0].row,
            "results": [r.model_dump(mode="json") for r in self._pending],
        }
        record = self.log.append(BLOCK_KIND, payload, actor=self.actor, time=self.time)
        self._blocks.append({"seq": record.seq, "hash": record.hash})
        self._pending.clear()

    @property
    def blocks(self) -> int:
        return len(self._blocks)

    def close(self, *, complete: bool = True, interrupted: str | None = None) -> AuditRecord:
        """Write the last block and the closing record; ``complete=False`` says the run
        stopped early (``interrupted``: why), so no reader takes it for the whole input."""
        if self.closed is not None:
            return self.closed
        self._flush()
        versions = sorted(self._versions or {__version__})
        payload: dict[str, Any] = {
            "run": self.run,
            "blocks": self._blocks,
            "rows": self.rows,
            "complete": complete,
            "input_fingerprint": self._fingerprint.hexdigest(),
            "input_sha256": self.input_sha256,
            "snapshots": [s for _, s in sorted(self._snapshots.items())],
            "library_version": versions[0] if len(versions) == 1 else versions,
            "counts": dict(sorted(self._counts.items())),
        }
        if not complete:
            payload["interrupted"] = interrupted or "stopped before the end of the input"
        self.closed = self.log.append(RUN_KIND, payload, actor=self.actor, time=self.time)
        return self.closed


ABANDONED_AFTER = timedelta(minutes=10)
"""A run whose last block is younger than this may still be running: ``close_abandoned_run``
refuses it unless told otherwise (a live run writes a block every second or so)."""


def close_abandoned_run(
    log: AuditLog,
    run: str,
    *,
    reason: str,
    actor: str | None = None,
    now: datetime | None = None,
    idle: timedelta = ABANDONED_AFTER,
) -> AuditRecord:
    """Close a streamed run that lost its process (killed, machine lost) as incomplete.

    The chain must verify first: a closing record computed from edited blocks would vouch for
    them. Rows, counts, fingerprint, snapshots and versions are recomputed from the run's
    blocks, so ``verify`` checks the closing record like any other; the payload says it was
    closed afterwards (``closed_afterwards``: by whom, why) and the input file's SHA-256 is
    unknown (null). Raises ``NotFoundError`` (no open run of that id), ``InvalidInputError``
    (no reason, or the run wrote a block within ``idle``), ``IntegrityError`` (broken chain).
    """
    reason = reason.strip()
    if not reason:
        raise InvalidInputError("a reason is required: say why the run stopped")
    report = log.verify()
    if report.first_broken is not None:
        raise IntegrityError(
            f"the audit chain is broken at record {report.first_broken.position} "
            f"({report.first_broken.reason}); nothing appended"
        )
    blocks: list[AuditRecord] = []
    for record in log.records():
        if record.payload.get("run") != run:
            continue
        if record.kind == RUN_KIND:
            raise InvalidInputError(f"run {run} is already closed (record {record.seq})")
        if record.kind == BLOCK_KIND:
            blocks.append(record)
    if not blocks:
        raise NotFoundError(f"no streamed run {run} in the audit trail")
    last = blocks[-1].recorded_at
    moment = now if now is not None else datetime.now(UTC)
    if last is not None and moment - parse_utc(last) < idle:
        raise InvalidInputError(
            f"run {run} wrote its last block at {last}, less than {idle} ago: it may still be "
            "running; close it when its process is known to be gone"
        )
    fingerprint = Fingerprint()
    counts: dict[str, int] = {}
    snapshots: dict[str, Any] = {}
    versions: set[str] = set()
    rows = 0
    for block in blocks:
        for item in block.payload.get("results") or []:
            rows += 1
            fingerprint.add_dumped(item.get("party"))
            status = str(item.get("status"))
            counts[status] = counts.get(status, 0) + 1
            for snapshot in item.get("snapshots") or []:
                snapshots.setdefault(str(snapshot.get("snapshot_id")), snapshot)
            if item.get("library_version") is not None:
                versions.add(str(item["library_version"]))
    ordered = sorted(versions) or ["unknown"]
    closer = actor if actor is not None else default_actor()
    payload: dict[str, Any] = {
        "run": run,
        "blocks": [{"seq": b.seq, "hash": b.hash} for b in blocks],
        "rows": rows,
        "complete": False,
        "interrupted": f"closed afterwards: {reason}",
        "closed_afterwards": {"by": closer, "reason": reason},
        "input_fingerprint": fingerprint.hexdigest(),
        "input_sha256": None,
        "snapshots": [s for _, s in sorted(snapshots.items())],
        "library_version": ordered[0] if len(ordered) == 1 else ordered,
        "counts": dict(sorted(counts.items())),
    }
    return log.append(RUN_KIND, payload, actor=closer)


__all__ = ["ABANDONED_AFTER", "RunRecorder", "close_abandoned_run"]
