"""Collector handling for batches: screenings per CPU-second under four policies, one process.

The screener's batch path (``Screener.screen_many``) freezes the heap that exists before the
batch and turns the collector off within each block of ``PREFETCH_BLOCK`` parties. This
script compares, interleaved in one process on the same seeded speed mix of the 2026 CSL:

* ``library``: ``screen_many`` as shipped;
* ``collector_on``: the same block loop with the collector left on (freeze only);
* ``high_threshold``: ``collector_on`` with ``gc.set_threshold(50_000, 20, 100)``;
* ``all_off``: the collector off for the whole batch (RSS grows with the batch).

    python benchmarks/gc_ab.py --queries 6000 --reps 3

Reports the median per policy, the ratio to ``collector_on``, and peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import CSL_2026, DEFAULT_DATA, load_snapshot
from benchmarks.speed import build_mix
from compliance._native import native_status
from compliance.screening import screener as screener_module
from compliance.screening.results import Party, ScreeningResult
from compliance.screening.screener import Screener


def _blocks_collector_on(screener: Screener, parties: list[Party]) -> list[ScreeningResult]:
    out: list[ScreeningResult] = []
    gc.freeze()
    try:
        for lo in range(0, len(parties), screener_module.PREFETCH_BLOCK):
            block = parties[lo : lo + screener_module.PREFETCH_BLOCK]
            if len(block) > 1:
                screener._index.prefetch(screener._block_tokens(block))
            out.extend(screener.screen(p) for p in block)
    finally:
        gc.unfreeze()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=6000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260731)
    args = parser.parse_args(argv)

    snapshot = load_snapshot(args.data / CSL_2026)
    parties = [q.party for q in build_mix(snapshot, args.data, args.queries, args.seed)]
    screener = Screener([snapshot])
    screener.screen_many(parties[:500])  # warm caches

    def high_threshold(s: Screener, p: list[Party]) -> list[ScreeningResult]:
        old = gc.get_threshold()
        gc.set_threshold(50_000, 20, 100)
        try:
            return _blocks_collector_on(s, p)
        finally:
            gc.set_threshold(*old)

    def all_off(s: Screener, p: list[Party]) -> list[ScreeningResult]:
        gc.disable()
        try:
            return _blocks_collector_on(s, p)
        finally:
            gc.enable()

    policies: dict[str, Callable[[Screener, list[Party]], list[ScreeningResult]]] = {
        "library": lambda s, p: s.screen_many(p),
        "collector_on": _blocks_collector_on,
        "high_threshold": high_threshold,
        "all_off": all_off,
    }
    runs: dict[str, list[float]] = {k: [] for k in policies}
    names = list(policies)
    for rep in range(args.reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:  # rotate order
            policy = policies[name]
            gc.collect()
            t = time.process_time()
            out = policy(screener, parties)
            runs[name].append(len(parties) / (time.process_time() - t))
            del out
    base = statistics.median(runs["collector_on"])
    print(f"build: {native_status()}; {len(parties)} queries x {args.reps} reps")
    print("| policy | screenings per CPU-second (median) | vs collector_on |")
    print("| --- | --- | --- |")
    for name, values in runs.items():
        med = statistics.median(values)
        print(f"| {name} | {med:,.0f} | {med / base:.2f} |")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak RSS: {rss} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
