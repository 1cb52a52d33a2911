"""Screen a file's worth of rows as a stream: in blocks, in order, one result per row.

Rows are read, screened and handed back block by block, so memory stays flat whatever the
batch size and the first results can be written within seconds. Bad rows become ``error``
results carrying their row, id and columns; they never stop the batch.

With ``workers > 1`` the blocks are screened by forked processes that share the parent's
index (copy-on-write; nothing is pickled but the parties and the results) and the results
are yielded in input order. The pool is started only when a second block exists, so a
small file never pays for it. Without ``fork`` (Windows, macOS spawn) blocks are screened
in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from compliance._version import __version__
from compliance.errors import InvalidInputError
from compliance.io.parties import PartyRow
from compliance.screening.results import Party, ScreeningResult, SnapshotRef, Status
from compliance.screening.screener import Screener

BLOCK_SIZE = 2048
"""Rows read and screened together: large enough for the screener's block look-ups and
to amortise inter-process traffic, small enough that memory does not grow with the file."""

_IN_FLIGHT_PER_WORKER = 2


def parse_workers(value: str | int) -> int | None:
    """``--workers``: a whole number >= 1, or ``auto`` (None: decided by ``auto_workers``)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"--workers: {value!r} is not a number or 'auto'") from None
    if number < 1:
        raise InvalidInputError(f"--workers: must be at least 1 or 'auto', got {value}")
    return number


def auto_workers() -> int:
    """The processes ``auto`` uses: the cores this process may run on, when it can fork.

    Measured on the 2-core machine (docs/benchmarks.md, "Batch streaming"): 2 workers
    screen a 100,000-row file faster than 1, so ``auto`` uses every available core.
    """
    if not _can_fork():
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def screen_stream(
    screener: Screener,
    rows: Iterable[PartyRow],
    *,
    workers: int = 1,
    block_size: int = BLOCK_SIZE,
) -> Iterator[tuple[PartyRow, ScreeningResult]]:
    """``(row, result)`` for every row of ``rows``, in input order, as they are screened."""
    source = iter(rows)
    first = list(islice(source, block_size))
    if not first:
        return
    second = list(islice(source, block_size))
    if workers <= 1 or not second or not _can_fork():
        for block in _blocks(first, second, source, block_size):
            yield from _finish(screener, block, _screen_here(screener, block))
        return
    yield from _screen_forked(screener, _blocks(first, second, source, block_size), workers)


def screen_rows(
    screener: Screener,
    rows: Iterable[PartyRow],
    *,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> list[ScreeningResult]:
    """Every row's result as a list (for callers that need them all at once)."""
    results: list[ScreeningResult] = []
    for _, result in screen_stream(screener, rows, workers=workers):
        results.append(result)
        if on_progress is not None:
            on_progress(1)
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
    return screener.snapshot_refs  # no decoding of a loaded screener's entries


def _blocks(
    first: list[PartyRow], second: list[PartyRow], rest: Iterator[PartyRow], size: int
) -> Iterator[list[PartyRow]]:
    yield first
    if second:
        yield second
    while block := list(islice(rest, size)):
        yield block


def _screen_here(screener: Screener, block: list[PartyRow]) -> list[ScreeningResult | None]:
    return [_compact(r) for r in screener.screen_many(_parties(block))]


def _parties(block: list[PartyRow]) -> list[Party]:
    return [r.party for r in block if r.party is not None]


def _finish(
    screener: Screener, block: list[PartyRow], screened: list[ScreeningResult | None]
) -> Iterator[tuple[PartyRow, ScreeningResult]]:
    """Pair each row of ``block`` with its result: error rows built here, clear ones
    rebuilt from the compact form, every result stamped with its row and columns."""
    results = iter(screened)
    refs: tuple[SnapshotRef, ...] | None = None
    for row in block:
        if row.party is None:
            yield row, error_result(screener, row)
            continue
        result = next(results)
        if result is None:
            refs = refs if refs is not None else snapshot_refs(screener)
            result = ScreeningResult(
                party=row.party,
                name=row.party.name,
                status=Status.CLEAR,
                thresholds=screener.thresholds,
                snapshots=refs,
                weights_id=screener.weights.weights_id,
                library_version=__version__,
            )
        update: dict[str, object] = {"row": row.row, "passthrough": row.passthrough}
        if result.status is Status.ERROR and result.error is not None:
            update["error"] = f"row {row.row}: {_field_message(result.error)}"
        yield row, result.model_copy(update=update)


def _field_message(error: str) -> str:
    """``ValueError: name: nothing to compare`` -> ``field 'name': nothing to compare``."""
    message = (
        error.split(": ", 1)[1] if error.startswith(("ValueError: ", "TypeError: ")) else error
    )
    field, sep, rest = message.partition(": ")
    if sep and field in Party.model_fields:
        return f"field {field!r}: {rest}"
    return message


def _compact(result: ScreeningResult) -> ScreeningResult | None:
    """None for a plain clear result (rebuilt by ``_finish``), which saves pickling it."""
    if result.status is Status.CLEAR and not result.hits and result.row is None:
        return None
    return result


# -- the forked pool --------------------------------------------------------------------

_SCREENER: Screener | None = None


def _can_fork() -> bool:
    return os.name == "posix" and "fork" in multiprocessing.get_all_start_methods()


def _freeze() -> None:
    """In a forked worker, keep the collector off the inherited index: a full collection
    would touch every object and copy the shared pages."""
    gc.freeze()


def _screen_in_worker(parties: list[Party]) -> list[ScreeningResult | None]:
    if _SCREENER is None:  # pragma: no cover - set before the fork
        raise RuntimeError("screening worker not initialised")
    try:
        return [_compact(r) for r in _SCREENER.screen_many(parties)]
    finally:
        gc.freeze()  # screen_many unfreezes the heap it froze; park it again


def _screen_forked(
    screener: Screener, blocks: Iterator[list[PartyRow]], workers: int
) -> Iterator[tuple[PartyRow, ScreeningResult]]:
    """Blocks go to ``workers`` forked processes, a few in flight each; results come back
    in submission order, so output order is input order."""
    global _SCREENER
    _SCREENER = screener
    gc.collect()  # collect once before forking, so children inherit a settled heap
    ctx = multiprocessing.get_context("fork")
    pending: deque[tuple[list[PartyRow], Future[list[ScreeningResult | None]]]] = deque()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_freeze) as pool:
            for block in blocks:
                pending.append((block, pool.submit(_screen_in_worker, _parties(block))))
                while len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                    done_block, future = pending.popleft()
                    yield from _finish(screener, done_block, future.result())
            while pending:
                done_block, future = pending.popleft()
                yield from _finish(screener, done_block, future.result())
    finally:
        _SCREENER = None
