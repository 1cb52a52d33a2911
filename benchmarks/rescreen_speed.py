"""Delta re-screening speed: N stored counterparties, a list update of 200 entries.

Usage (from the repository root, with ../shared beside it)::

    python benchmarks/rescreen_speed.py --count 1000000 --workers 2 --db /tmp/rescreen.sqlite

Phases, each timed: build the counterparty store (skipped with ``--reuse`` when ``--db``
already holds ``--count`` counterparties); full screen of every counterparty against the
OLD list (``rescreen`` on a store without results: a new weights epoch); then two delta
re-screens under that pinned epoch, each after a 200-entry update:

* ``names`` (OLD -> NEW): 150 entries added and 50 given a new alias: counterparties
  sharing a blocking key with the added entries or the added aliases are screened against
  those 200 entries only;
* ``fields`` (NEW -> NEW'): 200 entries amended outside their names (license text): only
  the counterparties that hit one of them are screened again.

NEW is the 2026 CSL from ../shared; OLD is derived from it. Counterparties: 1% treated list
names, 99% company names recombined from the GLEIF and SEC name sets (deterministic seed).
Prints one JSON object with every figure: wall seconds (``_s``) and CPU seconds of this
process and its workers (``_cpu_s``, the honest figure on a shared, loaded machine). Never
run as a test.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import pstats
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from compliance.rescreen import CounterpartyStore, RescreenReport, rescreen
from compliance.screening.results import Party
from compliance.watchlists.entry import Alias, ListEntry
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.snapshot import ListSnapshot, SourceFile

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
PROFILE = ""  # the phase to run under cProfile (--profile)
LEGAL = ["Ltd", "LLC", "Co., Ltd.", "GmbH", "S.A.", "Inc.", "JSC", "Pvt Ltd", "", "", ""]


def _words() -> list[str]:
    words: set[str] = set()
    files = [
        (SHARED / "eval" / "negatives" / "gleif_export_sensitive_sectors_dev.csv", "legal_name"),
        (SHARED / "eval" / "negatives" / "sec_company_tickers.csv", "name"),
    ]
    for path, column in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                words.update(w for w in row[column].split() if w.isalpha() and len(w) > 2)
    return sorted(words)


def counterparties(count: int, snap: ListSnapshot, seed: int) -> Iterator[Party]:
    rng = random.Random(seed)
    vocab = _words()
    listed = [e.name for e in snap.entries]
    for i in range(count):
        if i % 100 == 0:
            name = rng.choice(listed)
            if rng.random() < 0.5:
                name = name.upper().replace(",", "")
        else:
            parts = rng.sample(vocab, rng.randint(2, 3))
            name = " ".join([*parts, rng.choice(LEGAL)]).strip()
        yield Party(id=f"CP{i:07d}", name=name)


def older(new: ListSnapshot, seed: int) -> ListSnapshot:
    """OLD such that OLD -> NEW adds 150 entries and gives 50 a new alias (200 entries)."""
    rng = random.Random(seed)
    rows = rng.sample(range(len(new.entries)), 200)
    added, amended = set(rows[:150]), set(rows[150:])
    out = []
    for i, e in enumerate(new.entries):
        if i in added:
            continue
        if i in amended:
            e = e.model_copy(update={"aliases": (*e.aliases, Alias(name=f"Prior Name {i}"))})
        out.append(e)
    return _relabel(new, out, "old")


def amended(snap: ListSnapshot, seed: int) -> ListSnapshot:
    """``snap`` with 200 entries amended outside their names (license requirement)."""
    rows = set(random.Random(seed + 1).sample(range(len(snap.entries)), 200))
    out = [
        e.model_copy(update={"license_requirement": f"amended text {i}"}) if i in rows else e
        for i, e in enumerate(snap.entries)
    ]
    return _relabel(snap, out, "amended")


def _relabel(snap: ListSnapshot, entries: list[ListEntry], tag: str) -> ListSnapshot:
    fake = SourceFile(name="consolidated.csv", sha256=f"{tag:0<64}", size=0)
    return snap.model_copy(update={"entries": tuple(entries), "files": (fake,)})


def cpu() -> float:
    """CPU seconds used so far by this process and its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed_rescreen(
    store: CounterpartyStore, old: ListSnapshot | None, new: ListSnapshot, workers: int, kind: str
) -> dict[str, object]:
    profiler = cProfile.Profile() if kind == PROFILE else None
    t0, c0 = time.perf_counter(), cpu()
    if profiler is not None:
        profiler.enable()
    report = rescreen(store, [new], old_snapshots=None if old is None else [old], workers=workers)
    wall, used = time.perf_counter() - t0, cpu() - c0
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    return {f"{kind}.s": round(wall, 1), f"{kind}.cpu_s": round(used, 1), **_figures(report, kind)}


def _figures(report: RescreenReport, kind: str) -> dict[str, object]:
    return {
        f"{kind}.screened": report.screened,
        f"{kind}.screened_against_changes": report.screened_against_changes,
        f"{kind}.weights_id": report.weights_id,
        f"{kind}.new_epoch": report.new_epoch,
        f"{kind}.entries_added_or_changed": report.entries_added_or_changed,
        f"{kind}.entries_removed": report.entries_removed,
        f"{kind}.new_alerts": len(report.new_alerts),
        f"{kind}.resolved_alerts": len(report.resolved_alerts),
        f"{kind}.unchanged_alerts": len(report.unchanged_alerts),
    }


def build(db: Path, count: int, snap: ListSnapshot, seed: int) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    with CounterpartyStore(db) as store:
        batch: list[Party] = []
        for party in counterparties(count, snap, seed):
            batch.append(party)
            if len(batch) == 50_000:
                store.add(batch)
                batch = []
        store.add(batch)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path, default=Path("/tmp/rescreen-bench.sqlite"))
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the counterparties already in --db (results are dropped first)",
    )
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument(
        "--profile", choices=("full", "names", "fields"), default="", help="cProfile a phase"
    )
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    figures: dict[str, object] = {"count": args.count, "workers": args.workers}
    new = read_csl_csv(SHARED / "lists" / "csl" / "2026-07-31_compact" / "consolidated.csv")
    old = older(new, args.seed)
    newer = amended(new, args.seed)
    reuse = args.reuse and args.db.exists()
    if not reuse:
        figures["store_build_s"] = round(build(args.db, args.count, new, args.seed), 1)
    with CounterpartyStore(args.db) as store:
        if store.count() != args.count:
            raise SystemExit(f"{args.db} holds {store.count()} counterparties, not {args.count}")
        if reuse:
            with store.transaction():
                for table in ("hits", "results", "contexts", "weights"):
                    store.db.execute(f"DELETE FROM {table}")
        figures.update(timed_rescreen(store, None, old, args.workers, "full"))
        print(json.dumps(figures, sort_keys=True), file=sys.stderr, flush=True)
        figures.update(timed_rescreen(store, old, new, args.workers, "names"))
        print(json.dumps(figures, sort_keys=True), file=sys.stderr, flush=True)
        figures.update(timed_rescreen(store, new, newer, args.workers, "fields"))
    print(json.dumps(figures, sort_keys=True, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
