"""Record a screening run into the audit trail while it is screened (``run_records``).

Memory is one block of results: each block is appended and committed as soon as it is full,
and the closing record is built from running totals. A run that stops early (an error, an
interrupt) is closed as incomplete with the reason, so only a killed process leaves a run
without its closing record (``verify`` reports it).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from compliance._version import __version__
from compliance.review.audit import AuditLog, AuditRecord
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


__all__ = ["RunRecorder"]
