"""Batch streaming: memory above the loaded index, and 1 vs 2 workers, through the library
path ``compliance screen`` uses (PartyFile -> screen_stream -> CsvWriter to a file).

    .venv/bin/python benchmarks/batch_stream.py memory --rows 1000000
    .venv/bin/python benchmarks/batch_stream.py memory --rows 1000000 --audit
    .venv/bin/python benchmarks/batch_stream.py workers --rows 100000 --rounds 2

Input rows are innocent company names from ../shared/data/eval/negatives (cycled, with a
row number appended so no two rows are equal), written to a temporary file. ``memory``
screens against the bundled Entity List excerpt (the growth measured is the stream's, not
the index's) and samples the resident set every 10,000 rows (``--audit``: each result is
also recorded in a fresh audit trail as ``compliance screen`` records it, block records and a
closing record, ``review/run_recorder.py``; the trail is verified afterwards); ``workers``
screens against the 2026 CSL and interleaves 1 and 2 workers (A/B/A/B) in one run, reporting
wall time
and CPU time (parent + forked workers). The machine is shared: read ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from compliance.io.batch import screen_stream
from compliance.io.parties import PartyFile
from compliance.io.results_out import CsvWriter
from compliance.review.audit import AuditLog
from compliance.review.run_recorder import RunRecorder
from compliance.screening.screener import Screener

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NEGATIVES = SHARED / "eval" / "negatives" / "sec_company_tickers.csv"
CSL = SHARED / "lists" / "csl" / "2026-07-31_compact"


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def names() -> list[str]:
    with NEGATIVES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        column = next(c for c in reader.fieldnames or () if "name" in c.lower() or "title" in c)
        return [row[column] for row in reader if row[column].strip()]


def write_input(path: Path, rows: int) -> None:
    pool = names()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country", "erp_account"])
        for i in range(rows):
            writer.writerow(
                [f"P{i}", f"{pool[i % len(pool)]} {i // len(pool) or ''}".strip(), "US", i]
            )


def run(
    screener: Screener,
    src: Path,
    out: Path,
    workers: int,
    sample: bool,
    recorder: RunRecorder | None = None,
) -> dict[str, float]:
    peak = base = rss_mb()
    start_wall, start_cpu = time.perf_counter(), os.times()
    first_result = None
    with out.open("w", encoding="utf-8", newline="") as handle:
        party_file = PartyFile(src)
        writer = CsvWriter(handle, party_file.columns)
        for n, (row, result) in enumerate(screen_stream(screener, party_file, workers=workers)):
            writer.write(result, row)
            if recorder is not None:
                recorder.add(result)
            if first_result is None:
                handle.flush()
                first_result = time.perf_counter() - start_wall
            if sample and n % 10_000 == 0:
                peak = max(peak, rss_mb())
                if n % 100_000 == 0:
                    print(f"  row {n}: RSS {rss_mb() - base:.0f} MB above the index", flush=True)
        writer.close()
        if recorder is not None:
            recorder.close()
    end_cpu = os.times()
    cpu = sum(end_cpu[:4]) - sum(start_cpu[:4])  # user + system, self + waited children
    return {
        "wall": time.perf_counter() - start_wall,
        "cpu": cpu,
        "first": first_result or 0.0,
        "growth_mb": peak - base,
        "base_mb": base,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("memory", "workers"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--audit", action="store_true", help="memory: record the run in an audit trail too"
    )
    args = parser.parse_args()
    if not NEGATIVES.is_file():
        print("needs ../shared/data", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "in.csv", Path(folder) / "out.csv"
        write_input(src, args.rows)
        if args.mode == "memory":
            from compliance.watchlists.bundled import bundled_excerpt

            screener = Screener([bundled_excerpt()])
            trail = Path(folder) / "review.sqlite"
            with AuditLog(trail) as log:
                recorder = RunRecorder(log, actor="benchmark") if args.audit else None
                figures = run(screener, src, out, workers=1, sample=True, recorder=recorder)
            print(
                f"rows {args.rows}{' with the audit trail' if args.audit else ''}: RSS after "
                f"index {figures['base_mb']:.0f} MB, growth while streaming "
                f"{figures['growth_mb']:.0f} MB, first result after {figures['first']:.2f} s, "
                f"total {figures['wall']:.0f} s wall, {figures['cpu']:.0f} s CPU"
            )
            if recorder is not None:
                from compliance.review.verify import verify_store

                report = verify_store(trail)
                size = trail.stat().st_size / 1e6
                print(
                    f"audit trail: {recorder.blocks} blocks + 1 closing record, {size:.0f} MB; "
                    f"verify ok={report.ok} ({report.records} records)"
                )
            return 0
        from compliance.watchlists.load import load_list

        screener = Screener([load_list(next(CSL.iterdir()))])
        walls: dict[int, list[float]] = {1: [], 2: []}
        cpus: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.rounds):
            for workers in (1, 2):
                figures = run(screener, src, out, workers=workers, sample=False)
                walls[workers].append(figures["wall"])
                cpus[workers].append(figures["cpu"])
                print(
                    f"workers {workers}: wall {figures['wall']:.1f} s, cpu {figures['cpu']:.1f} s"
                )
        w1, w2 = statistics.median(walls[1]), statistics.median(walls[2])
        print(
            f"rows {args.rows}, median of {args.rounds}: 1 worker {w1:.1f} s wall "
            f"({statistics.median(cpus[1]):.1f} s cpu), 2 workers {w2:.1f} s wall "
            f"({statistics.median(cpus[2]):.1f} s cpu); speed-up {w1 / w2:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
