"""Interleaved A/B speed comparison of two versions of the screener on the same machine.

A shared machine drifts: on 2026-11-29 the same commit built its index in 3.7 s at 08:20 and
in 5.5 s at 10:40. A single run of ``speed.py`` per version cannot separate a 10 % change
from that drift. This script alternates the two versions, ``--reps`` times each, every run
in a fresh process, and reports the median of each measure and the ratio of the medians:

* index build, CPU seconds, first in process;
* one by one: ``Screener.screen`` per party, screenings per CPU-second, after a warm-up;
* batch: ``Screener.screen_many`` (one worker) on a fresh screener, screenings per
  CPU-second;
* saved index: the index saved as the CLI, the service and Dask workers save it beside the
  snapshot store (``persist.save_index``), loaded (``load_index``: hash checks, memory
  maps; ``load_cpu_s``) and screened as one batch (``loaded_batch_per_cpu_s``): the path
  every door takes once a store has its index.

    python benchmarks/ab_speed.py --base 5e97762            # base commit vs this work tree
    python benchmarks/ab_speed.py --base 5e97762 --reps 5 --queries 10000 --json ab.json
    python benchmarks/ab_speed.py --base kernel-off    # this tree, C candidate kernel off
    python benchmarks/ab_speed.py --base-tree /tmp/base-checkout   # a built (compiled) tree

``--base kernel-off`` compares this tree with itself, the base side with the C kernel of the
candidate stage switched off in the child (``index._KERNEL = None``: the numpy form runs,
everything else, mypyc modules included, is the same build).

The base is exported with ``git archive`` into a temporary directory (pure Python: an export
has no compiled modules), or ``--base-tree`` names a checkout with its own compiled build
(``pip install -e .`` there) for a compiled A/B; each child process puts its tree first on
``sys.path``. Same seeded query mix as ``speed.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MEASURES = (
    "build_cpu_s",
    "one_by_one_per_cpu_s",
    "batch_per_cpu_s",
    "load_cpu_s",
    "loaded_batch_per_cpu_s",
)


KERNEL_OFF = "kernel-off"


def child(
    tree: str, data: str, queries: int, seed: int, kernel_off: bool = False
) -> dict[str, float]:
    """One measurement of the tree at ``tree`` (runs in its own process)."""
    sys.path.insert(0, tree)
    from benchmarks.quality import CSL_2026, load_snapshot
    from benchmarks.speed import build_mix
    from compliance.screening.persist import index_key, load_index, save_index
    from compliance.screening.screener import Screener

    if kernel_off:
        from compliance.screening import index

        index._KERNEL = None  # type: ignore[attr-defined,unused-ignore]

    snapshot = load_snapshot(Path(data) / CSL_2026)
    parties = [q.party for q in build_mix(snapshot, Path(data), queries, seed)]
    t = time.process_time()
    screener = Screener([snapshot])
    build = time.process_time() - t
    warm, rest = parties[: len(parties) // 5], parties[len(parties) // 5 :]
    for p in warm:
        screener.screen(p)
    t = time.process_time()
    one = [screener.screen(p) for p in rest]
    one_s = time.process_time() - t
    with tempfile.TemporaryDirectory() as tmp:
        key = index_key([snapshot.snapshot_id])
        save_index(screener, Path(tmp) / "index", key)
        del screener
        fresh = Screener([snapshot])
        t = time.process_time()
        batch = fresh.screen_many(parties)
        batch_s = time.process_time() - t
        del fresh
        t = time.process_time()
        loaded, _ = load_index(Path(tmp) / "index", key)
        load_s = time.process_time() - t
        t = time.process_time()
        from_saved = loaded.screen_many(parties)
        loaded_s = time.process_time() - t
    if any(r.error for r in (*one, *batch)):
        raise SystemExit(f"{tree}: a screening returned an error result")
    if [r.model_dump_json() for r in batch] != [r.model_dump_json() for r in from_saved]:
        raise SystemExit(f"{tree}: the saved index screened differently from the built one")
    return {
        "build_cpu_s": round(build, 3),
        "one_by_one_per_cpu_s": round(len(rest) / one_s, 1),
        "batch_per_cpu_s": round(len(parties) / batch_s, 1),
        "load_cpu_s": round(load_s, 3),
        "loaded_batch_per_cpu_s": round(len(parties) / loaded_s, 1),
    }


def run_child(tree: Path, args: argparse.Namespace, kernel_off: bool = False) -> dict[str, float]:
    out = subprocess.run(
        [
            *(sys.executable, __file__, "--child", str(tree), "--data", str(args.data)),
            *("--queries", str(args.queries), "--seed", str(args.seed)),
            *(["--kernel-off"] if kernel_off else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="git revision to compare against (git archive)")
    parser.add_argument(
        "--base-tree", type=Path, help="a checkout to compare against, as it is (its own build)"
    )
    parser.add_argument("--new", type=Path, default=REPO, help="tree to measure (default: .)")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20260731)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--json", dest="out", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kernel-off", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def table(runs: dict[str, list[dict[str, float]]]) -> str:
    """Markdown: per measure, the median of each side and the ratio new / base. A measure
    missing from some run (a tree whose ab_speed predates it) is left out of the table."""
    rows = ["| measure | base (median) | new (median) | new / base |", "| --- | --- | --- | --- |"]
    every = [*runs["base"], *runs["new"]]
    for m in (m for m in MEASURES if all(m in r for r in every)):
        base = statistics.median(r[m] for r in runs["base"])
        new = statistics.median(r[m] for r in runs["new"])
        rows.append(f"| {m} | {base:.3f} | {new:.3f} | {new / base:.2f} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(
            json.dumps(child(args.child, str(args.data), args.queries, args.seed, args.kernel_off))
        )
        return 0
    if not args.base and not args.base_tree:
        raise SystemExit("--base REV or --base-tree DIR is required")
    with tempfile.TemporaryDirectory() as tmp:
        kernel_ab = args.base == KERNEL_OFF
        base_tree = args.new if kernel_ab else args.base_tree or Path(tmp) / "base"
        if not kernel_ab and not args.base_tree:
            base_tree.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", args.base], check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(base_tree)], input=archive, check=True)
        runs: dict[str, list[dict[str, float]]] = {"base": [], "new": []}
        for rep in range(args.reps):
            for side, tree in (("base", base_tree), ("new", args.new)):
                runs[side].append(run_child(tree, args, kernel_ab and side == "base"))
                print(f"rep {rep + 1} {side}: {runs[side][-1]}", file=sys.stderr)
    doc: dict[str, Any] = {
        "base": args.base or str(args.base_tree),
        "new": str(args.new),
        "reps": args.reps,
        "queries": args.queries,
        "runs": runs,
    }
    if args.out:
        args.out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
