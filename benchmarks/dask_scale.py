"""Dask batch screening: throughput with 1 and 2 local workers on synthetic counterparties.

Writes N synthetic parties (the seeded speed mix of ``speed.py``: half treated list names,
half innocents) as CSV files, then screens them with ``compliance.dask_batch`` on a
``distributed.LocalCluster`` of 1 and of 2 single-threaded worker processes, against the
2026 CSL. Reports wall time, screenings per second, the workers' CPU seconds (their own
processes, from ``getrusage``: what a busy shared machine cannot take from them) and
screenings per worker CPU-second, and the scaling ratio. The same code
runs on a multi-machine cluster: create ``distributed.Client("tcp://scheduler:8786")``
instead of the local cluster and put the list (or the snapshot store) where every worker
can read it.

    python benchmarks/dask_scale.py --parties 100000
    python benchmarks/dask_scale.py --parties 1000000 --workers 1 2
    python benchmarks/dask_scale.py --store ~/.local/share/compliance   # saved index

With ``--store DATA_DIR`` (a data directory as ``COMPLIANCE_DATA_DIR``, its lists updated or
imported, so its index is saved) every worker loads the saved index instead of building one
from the list file; the table's last column says how each worker got its screener.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import CSL_2026, DEFAULT_DATA, load_snapshot
from benchmarks.speed import build_mix


def write_parties(directory: Path, data: Path, count: int, seed: int, per_file: int) -> int:
    """``count`` parties in CSV files of ``per_file`` rows; returns the number of files."""
    snapshot = load_snapshot(data / CSL_2026)
    mix = [q.party for q in build_mix(snapshot, data, min(count, 20_000), seed)]
    files = 0
    for lo in range(0, count, per_file):
        with (directory / f"parties-{files:05d}.csv").open("w", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["id", "name", "country"])
            for i in range(lo, min(lo + per_file, count)):
                party = mix[i % len(mix)]
                writer.writerow([f"C{i:08d}", party.name, party.country or ""])
        files += 1
    return files


def _cpu_seconds() -> float:
    """This process's user + system CPU seconds (run on each worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--per-file", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20260731)
    parser.add_argument("--store", type=Path, help="data directory whose saved index to load")
    args = parser.parse_args(argv)

    import distributed

    from compliance.dask_batch import ScreenerSource, screen_dataset, worker_loads

    if args.store is not None:
        source = ScreenerSource(store=str(args.store))
    else:
        source = ScreenerSource(list_files=(str(args.data / CSL_2026),))
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        write_parties(inputs, args.data, args.parties, args.seed, args.per_file)
        print(f"{args.parties:,} parties; list: 2026 CSL")
        print(
            "| workers | wall s | screenings/s | vs 1 worker | worker CPU s "
            "| per worker CPU-second | screener per worker |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        first: float | None = None
        for n in args.workers:
            cluster = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
            with distributed.Client(cluster) as client:
                client.run(lambda: None)
                cpu0 = client.run(_cpu_seconds)
                t = time.perf_counter()
                counts = screen_dataset(
                    str(inputs / "*.csv"), Path(tmp) / f"out-{n}", source, blocksize="4MB"
                )
                wall = time.perf_counter() - t
                cpu1 = client.run(_cpu_seconds)
                cpu = sum(cpu1[w] - cpu0.get(w, 0.0) for w in cpu1)
                loads = sorted(
                    h.get(repr(source), "idle") for h in client.run(worker_loads).values()
                )
            cluster.close()
            assert sum(counts.values()) == args.parties, counts
            rate = args.parties / wall
            first = first or rate
            how = ", ".join(loads)
            print(
                f"| {n} | {wall:.1f} | {rate:,.0f} | {rate / first:.2f} | {cpu:.1f} "
                f"| {args.parties / cpu:,.0f} | {how} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
