"""Saved screening index: cold build, load, and a one-name ``compliance screen`` call.

Usage (from the repository root, with ../shared beside it)::

    python benchmarks/index_speed.py --store /tmp/bench-store [--loads 5] [--cli 3]

The store is filled (once) with the full 2026 CSL and the 2021 OFAC SDN set from
../shared/data/lists through ``import_files`` (the path of ``compliance lists import``).
Phases: ``cold_build`` (no saved index: parse the lists, build, save), ``load`` (the saved
index, hash-checked and memory-mapped; median of ``--loads``), ``cli_one_name_indexed``
(a fresh ``compliance screen one.csv`` process; median of ``--cli``) and
``cli_one_name_rebuild`` (the same call with ``--list`` files, which never uses the saved
index: the cost before this change). Wall seconds (``_s``) and CPU seconds (``_cpu_s``:
the honest figure on a shared, loaded machine). Prints one JSON object. Never a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compliance.screening.persist import index_root, load_or_build_screener
from compliance.watchlists.store import SnapshotStore
from compliance.watchlists.update import import_files

LISTS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "lists"
CSL = LISTS / "csl/2026-07-31_compact/consolidated.csv"
SDN_DIR = LISTS / "ofac/sdn_2021-07-07"
SDN = [SDN_DIR / n for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")]


def fill(store: SnapshotStore) -> None:
    if store.current_manifests():
        return
    for source, fmt, paths in (("trade.gov-csl", "csl-csv", [CSL]), ("ofac-sdn", "ofac-csv", SDN)):
        outcome = import_files(store, source=source, label=source, fmt=fmt, paths=paths)
        if not outcome.ok:
            raise SystemExit(f"{source}: {outcome.outcome} {outcome.problems}")


def timed(fn: object) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu, value


def cli_call(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--cli", type=int, default=3)
    parser.add_argument("--no-rebuild-cli", action="store_true")
    args = parser.parse_args()
    root = args.store or Path(tempfile.mkdtemp(prefix="index-bench-"))
    store = SnapshotStore(root / "snapshots")
    fill(store)
    shutil.rmtree(index_root(store), ignore_errors=True)
    out: dict[str, object] = {}

    wall, cpu, loaded = timed(lambda: load_or_build_screener(store))
    assert loaded.how == "built", loaded.how  # type: ignore[attr-defined]
    out["names"] = loaded.screener.name_count  # type: ignore[attr-defined]
    out["cold_build_s"], out["cold_build_cpu_s"] = round(wall, 3), round(cpu, 3)
    size = sum(p.stat().st_size for p in index_root(store).rglob("*") if p.is_file())
    out["index_mb"] = round(size / 1e6, 1)

    walls, cpus = [], []
    for _ in range(args.loads):
        wall, cpu, again = timed(lambda: load_or_build_screener(store))
        assert again.how == "loaded"  # type: ignore[attr-defined]
        walls.append(wall)
        cpus.append(cpu)
    out["load_s_median"], out["load_cpu_s_median"] = (
        round(statistics.median(walls), 3),
        round(statistics.median(cpus), 3),
    )
    out["load_s_all"] = [round(w, 3) for w in walls]

    work = Path(tempfile.mkdtemp(prefix="index-bench-cli-"))
    (work / "one.csv").write_text("name,country\nHuawei Technologies Co Ltd,CN\n", "utf-8")
    env = {**os.environ, "COMPLIANCE_DATA_DIR": str(root)}
    exe = [sys.executable, "-m", "compliance", "screen", str(work / "one.csv"), "--no-audit"]
    exe += ["--format", "jsonl", "--output", str(work / "out.jsonl")]
    runs = [cli_call(exe, env) for _ in range(args.cli)]
    assert all(code == 16 for _, _, code in runs), runs  # Huawei alerts: exit code 16
    out["cli_one_name_indexed_s_median"] = round(statistics.median(r[0] for r in runs), 3)
    out["cli_one_name_indexed_cpu_s_median"] = round(statistics.median(r[1] for r in runs), 3)
    if not args.no_rebuild_cli:
        lists = ["--list", str(CSL), "--list", str(SDN_DIR)]
        wall, cpu, _ = cli_call(exe + lists, env)
        out["cli_one_name_rebuild_s"], out["cli_one_name_rebuild_cpu_s"] = (
            round(wall, 3),
            round(cpu, 3),
        )
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
