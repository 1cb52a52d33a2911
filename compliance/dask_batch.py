"""Screening batches beyond one machine: a Dask DataFrame of counterparties in, records out.

Each Dask worker process loads its screener once, from the saved index beside the snapshot
store (``persist.load_or_build_screener``, as the CLI and the service do; built and saved
there only when missing or stale), and keeps it for every partition it is given: the
screener never travels with a task. Rows become parties exactly as ``compliance screen`` reads a CSV
(``compliance.io.parties.row_from_values``), are screened with ``Screener.screen_many``,
and come back as the CLI's JSON Lines records (``compliance.io.results_out.result_record``),
so a Dask run and a CLI run of the same file give the same records, row for row.

Needs the optional extra ``compliance[dask]`` (dask, distributed, pandas, pyarrow).
``import compliance`` never imports Dask.

    from compliance.dask_batch import ScreenerSource, screen_dataset
    screen_dataset("parties-*.csv", "screened/", ScreenerSource(list_files=("csl.csv",)))
"""

from __future__ import annotations

import csv
import glob
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.errors import InvalidInputError
from compliance.io.columns import ColumnMap, map_columns
from compliance.io.parties import PartyRow, party_fields, row_from_values
from compliance.io.results_out import jsonl_line
from compliance.screening.results import Thresholds
from compliance.screening.screener import Screener

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

log = logging.getLogger(__name__)

FIRST_DATA_ROW = 2
"""Row number of the first record: the CLI numbers CSV rows by line, the header being 1."""

OUTPUT_COLUMNS = ("row", "id", "status", "record")
"""``record`` is the CLI's JSON Lines record of the row, byte for byte."""


@dataclass(frozen=True)
class ScreenerSource:
    """What every worker screens against; hashable, so each worker loads it once.

    ``list_files``: list files to read (as ``compliance screen --list``); empty means the
    current snapshots of the store in the data directory ``store`` (what
    ``COMPLIANCE_DATA_DIR`` names; that variable, else the user data directory, when None),
    as ``compliance screen`` without ``--list``, through the index saved beside them. Paths
    must be readable on every worker.
    """

    list_files: tuple[str, ...] = ()
    store: str | None = None
    review: float | None = None
    alert: float | None = None

    def thresholds(self) -> Thresholds:
        default = Thresholds()
        return Thresholds(
            review=default.review if self.review is None else self.review,
            alert=default.alert if self.alert is None else self.alert,
        )

    def load(self) -> Screener:
        """This source's screener, once per worker process (:func:`worker_screener`).

        Through :func:`~compliance.screening.persist.load_or_build_screener`, the door every
        other entry point uses: with ``list_files``, built from them; else the saved index
        beside the snapshot store, loaded (its arrays memory-mapped, so the worker processes
        of one machine share the pages) when intact and current, else built once and saved
        there for the next worker. How it was obtained is kept (:func:`worker_loads`), and
        the door's notes (an excerpt in use, a store that could not be saved to) go to the
        worker's log.
        """
        from compliance.screening.persist import load_or_build_screener
        from compliance.watchlists.store import SnapshotStore

        loaded = load_or_build_screener(
            # ``store`` is a data directory, as COMPLIANCE_DATA_DIR (store.default_root)
            SnapshotStore(Path(self.store) / "snapshots") if self.store is not None else None,
            lists=[Path(p) for p in self.list_files],
            thresholds=self.thresholds(),
        )
        for note in loaded.warnings:
            log.warning("screener for %s: %s", self, note)
        _HOW[self] = loaded.how
        return loaded.screener


_SCREENERS: dict[ScreenerSource, Screener] = {}
_HOW: dict[ScreenerSource, str] = {}  # "loaded", "built" or "built-unsaved", per source
_LOCK = threading.Lock()


def worker_loads() -> dict[str, str]:
    """How this process obtained each screener it holds (``repr(source)`` -> ``loaded``,
    ``built`` or ``built-unsaved``): ``client.run(worker_loads)`` asks every worker."""
    with _LOCK:
        return {repr(source): how for source, how in _HOW.items()}


def worker_screener(source: ScreenerSource) -> Screener:
    """The screener of ``source`` in this process, loaded on first use and kept."""
    with _LOCK:
        screener = _SCREENERS.get(source)
        if screener is None:
            screener = _SCREENERS[source] = source.load()
        return screener


def screen_records(
    screener: Screener, columns: ColumnMap, rows: Sequence[Sequence[Any]], first_row: int
) -> list[tuple[int, str | None, str, str]]:
    """``(row, id, status, record)`` for each input row, in order (the Dask partition kernel)."""
    from compliance.io.batch import screen_stream

    party_rows: list[PartyRow] = [
        row_from_values(first_row + i, columns, ["" if v is None else str(v) for v in values])
        for i, values in enumerate(rows)
    ]
    out: list[tuple[int, str | None, str, str]] = []
    for party_row, result in screen_stream(screener, party_rows, workers=1):
        ident = result.party.id if result.party is not None else party_row.id
        out.append((party_row.row, ident, result.status.value, jsonl_line(result, party_row)))
    return out


def _screen_partition(
    frame: pd.DataFrame, source: ScreenerSource, header: tuple[str, ...], first_row: int
) -> pd.DataFrame:
    import pandas as pd

    columns = map_columns(header, fields=party_fields())
    rows = frame[list(header)].itertuples(index=False, name=None)
    records = screen_records(worker_screener(source), columns, list(rows), first_row)
    return pd.DataFrame.from_records(records, columns=list(OUTPUT_COLUMNS)).astype(
        {"row": "int64", "id": "string", "status": "string", "record": "string"}
    )


def _meta() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "id": pd.Series(dtype="string"),
            "status": pd.Series(dtype="string"),
            "record": pd.Series(dtype="string"),
        }
    )


def screen_dataframe(frame: dd.DataFrame, source: ScreenerSource) -> dd.DataFrame:
    """Screen every row of a Dask DataFrame of counterparties (text columns, a name column).

    Rows are numbered as the CLI numbers the rows of the same CSV (``FIRST_DATA_ROW`` for
    the first record), across partitions: the partition lengths are counted first.
    """
    import dask.dataframe as dd
    from dask.delayed import delayed

    header = tuple(str(c) for c in frame.columns)
    map_columns(header, fields=party_fields())  # a bad header fails here, before any work
    lengths = frame.map_partitions(len).compute()
    starts: list[int] = []
    position = FIRST_DATA_ROW
    for length in lengths:
        starts.append(position)
        position += int(length)
    parts = [
        delayed(_screen_partition)(part, source, header, start)
        for part, start in zip(frame.to_delayed(), starts, strict=True)
    ]
    return dd.from_delayed(parts, meta=_meta(), verify_meta=False)


def read_dataset(path: str | Sequence[str], *, blocksize: str | int = "16MB") -> dd.DataFrame:
    """Read counterparties from CSV files (glob or list) or a Parquet dataset, as text."""
    import dask.dataframe as dd

    paths = [path] if isinstance(path, str) else list(path)
    if all(str(p).endswith(".parquet") or Path(p).is_dir() for p in paths):
        frame = dd.read_parquet(paths)
        return frame.astype({c: "string" for c in frame.columns}).fillna("")
    if not all(str(p).lower().endswith(".csv") for p in paths):
        raise InvalidInputError(f"{', '.join(map(str, paths))}: expected .csv files or Parquet")
    files = sorted({f for p in paths for f in glob.glob(str(p))})
    if not files:
        raise InvalidInputError(f"{', '.join(map(str, paths))}: no such file")
    for name in files:  # pandas would rename a duplicate column ('name.1'): check as the CLI
        with open(name, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        try:
            map_columns(header, fields=party_fields())
        except InvalidInputError as exc:
            raise type(exc)(f"{name}: {exc}") from exc
    return dd.read_csv(
        paths,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        blocksize=blocksize,
        encoding="utf-8-sig",
    )


def screen_dataset(
    inputs: str | Sequence[str],
    output: str | Path,
    source: ScreenerSource,
    *,
    blocksize: str | int = "16MB",
) -> dict[str, int]:
    """Screen a CSV/Parquet dataset on the current Dask scheduler into a Parquet dataset.

    Returns the counts per status. Point the same call at a multi-machine cluster by
    creating a ``distributed.Client`` for it first (docs/benchmarks.md, Dask section).
    """
    screened = screen_dataframe(read_dataset(inputs, blocksize=blocksize), source)
    screened.to_parquet(str(output), write_index=False)
    import dask.dataframe as dd

    counts = dd.read_parquet(str(output))["status"].value_counts().compute()
    return {str(k): int(v) for k, v in sorted(counts.items())}


__all__ = [
    "FIRST_DATA_ROW",
    "OUTPUT_COLUMNS",
    "ScreenerSource",
    "read_dataset",
    "screen_dataframe",
    "screen_dataset",
    "screen_records",
    "worker_loads",
    "worker_screener",
]
