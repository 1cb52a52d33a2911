"""Delta re-screening speed: N stored counterparties, a list update of 200 entries.

Usage (from the repository root, with ../shared beside it)::

    python benchmarks/rescreen_speed.py --count 1000000 --workers 2 --db /tmp/rescreen.sqlite

Phases, each timed: build the counterparty store; full screen of every counterparty
against the OLD list; then two delta re-screens, each after a 200-entry update:

* ``names`` (OLD -> NEW): 150 entries added and 50 given a new alias. The list's name
  count changes, so the IDF word weights of the scorer shift, and every counterparty holding
  or meeting a re-weighted word must be re-screened for the result to stay exact;
* ``fields`` (NEW -> NEW'): 200 entries amended outside their names (license text): word
  weights are unchanged, only counterparties sharing a blocking key are re-screened.

NEW is the 2026 CSL from ../shared; OLD is derived from it. Counterparties: 1% treated list
names, 99% company names recombined from the GLEIF and SEC name sets (deterministic seed).
Prints one JSON object with every figure: wall seconds (``_s``) and CPU seconds of this
process and its workers (``_cpu_s``, the honest figure on a shared, loaded machine). Never
run as a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from compliance.rescreen import CounterpartyStore, rescreen
from compliance.rescreen.delta import screen_into
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.watchlists.entry import Alias, ListEntry
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.snapshot import ListSnapshot, SourceFile

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
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
    store: CounterpartyStore, old: ListSnapshot, new: ListSnapshot, workers: int, kind: str
) -> dict[str, object]:
    t0 = time.perf_counter()
    screener = Screener([new])
    build = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), cpu()
    report = rescreen(store, [new], old_snapshots=[old], screener=screener, workers=workers)
    delta, delta_cpu = time.perf_counter() - t0, cpu() - c0
    return {
        f"{kind}.index_build_s": round(build, 1),
        f"{kind}.delta_s": round(delta, 1),
        f"{kind}.delta_cpu_s": round(delta_cpu, 1),
        f"{kind}.delta_screened": report.screened,
        f"{kind}.reweighted_words": report.reweighted_words,
        f"{kind}.entries_added_or_changed": report.entries_added_or_changed,
        f"{kind}.entries_removed": report.entries_removed,
        f"{kind}.new_alerts": len(report.new_alerts),
        f"{kind}.resolved_alerts": len(report.resolved_alerts),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path, default=Path("/tmp/rescreen-bench.sqlite"))
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    figures: dict[str, object] = {"count": args.count, "workers": args.workers}
    new = read_csl_csv(SHARED / "lists" / "csl" / "2026-07-31_compact" / "consolidated.csv")
    old = older(new, args.seed)
    newer = amended(new, args.seed)
    for suffix in ("", "-wal", "-shm"):
        Path(str(args.db) + suffix).unlink(missing_ok=True)
    with CounterpartyStore(args.db) as store:
        t0 = time.perf_counter()
        batch: list[Party] = []
        for party in counterparties(args.count, new, args.seed):
            batch.append(party)
            if len(batch) == 50_000:
                store.add(batch)
                batch = []
        store.add(batch)
        figures["store_build_s"] = round(time.perf_counter() - t0, 1)

        t0 = time.perf_counter()
        screener = Screener([old])
        figures["full.index_build_s"] = round(time.perf_counter() - t0, 1)
        t0, c0 = time.perf_counter(), cpu()
        everyone = {int(r[0]) for r in store.db.execute("SELECT cp FROM counterparties")}
        screen_into(store, screener, everyone, workers=args.workers)
        figures["full.screen_s"] = round(time.perf_counter() - t0, 1)
        figures["full.screen_cpu_s"] = round(cpu() - c0, 1)
        del screener
        print(json.dumps(figures, sort_keys=True), file=sys.stderr, flush=True)

        figures.update(timed_rescreen(store, old, new, args.workers, "names"))
        print(json.dumps(figures, sort_keys=True), file=sys.stderr, flush=True)
        figures.update(timed_rescreen(store, new, newer, args.workers, "fields"))
    print(json.dumps(figures, sort_keys=True, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
