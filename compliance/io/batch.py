"""Screen a file's worth of rows: valid rows in batches, bad rows as ``error`` results.

Output order is input order, one result per input row, whatever happened to the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from compliance._version import __version__
from compliance.io.parties import PartyRow
from compliance.screening.results import ScreeningResult, SnapshotRef, Status
from compliance.screening.screener import Screener

BATCH_SIZE = 512


def screen_rows(
    screener: Screener,
    rows: Iterable[PartyRow],
    *,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> list[ScreeningResult]:
    results: list[ScreeningResult] = []
    pending: list[PartyRow] = []

    def flush() -> None:
        good = [r for r in pending if r.party is not None]
        screened = iter(
            screener.screen_many([r.party for r in good if r.party is not None], workers=workers)
        )
        for r in pending:
            if r.party is None:
                results.append(error_result(screener, r))
            else:
                result = next(screened)
                results.append(
                    result.model_copy(update={"row": r.row, "passthrough": r.passthrough})
                )
        if on_progress is not None:
            on_progress(len(pending))
        pending.clear()

    for row in rows:
        pending.append(row)
        if len(pending) >= BATCH_SIZE:
            flush()
    if pending:
        flush()
    return results


def error_result(screener: Screener, row: PartyRow) -> ScreeningResult:
    """The result of a row that could not be screened: status ``error`` with the reason."""
    return ScreeningResult(
        row=row.row,
        party=None,
        name=row.name,
        status=Status.ERROR,
        error=f"row {row.row}: {row.error}",
        passthrough=row.passthrough,
        thresholds=screener.thresholds,
        snapshots=snapshot_refs(screener),
        library_version=__version__,
    )


def snapshot_refs(screener: Screener) -> tuple[SnapshotRef, ...]:
    return screener.snapshot_refs
