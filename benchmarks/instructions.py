"""Instruction counts of ``Screener.screen_many`` on a fixed party set: speed A/B under load.

CPU seconds drift with whatever else the machine runs; instructions do not (callgrind counts
them the same with the other core busy). Two steps:

    python benchmarks/instructions.py parties --count 1500 --out /tmp/parties.json
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        python benchmarks/instructions.py count TREE /tmp/parties.json

``count`` builds the screener from the 2026 CSL with the code of ``TREE`` (with ``--saved``,
saves it as the doors do and counts a screener loaded from those files) (a work tree or a
``git archive`` export, first on ``sys.path``), loads the place table when the tree has one,
then switches instrumentation on (``callgrind_control -i on``) for the batch only. Run it
with ``COMPLIANCE_PURE_PYTHON=1`` (an export has no compiled modules). Read the total with
``callgrind_annotate /tmp/cg.PID | head``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_parties(count: int, out: Path, data: Path, seed: int) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks.quality import CSL_2026, load_snapshot
    from benchmarks.speed import build_mix

    snapshot = load_snapshot(data / CSL_2026)
    parties = [q.party.model_dump(mode="json") for q in build_mix(snapshot, data, count, seed)]
    out.write_text(json.dumps(parties, sort_keys=True), encoding="utf-8")


def count(
    tree: Path, parties_file: Path, data: Path, kernel_off: bool = False, saved: bool = False
) -> None:
    sys.path.insert(0, str(tree))
    from benchmarks.quality import CSL_2026, load_snapshot
    from compliance.screening.results import Party
    from compliance.screening.screener import Screener

    if kernel_off:  # the candidate stage's numpy form, the same build otherwise
        from compliance.screening import index

        index._KERNEL = None  # type: ignore[attr-defined,unused-ignore]

    parties = [Party.model_validate(p) for p in json.loads(parties_file.read_text("utf-8"))]
    screener = Screener([load_snapshot(data / CSL_2026)])
    if saved:  # the doors' path: the index saved beside the store, then loaded
        import tempfile

        from compliance.screening.persist import index_key, load_index, save_index

        key = index_key([r.snapshot_id for r in screener.snapshot_refs])
        tmp = tempfile.mkdtemp(prefix="instructions-")
        save_index(screener, Path(tmp) / "index", key)
        del screener
        screener, _ = load_index(Path(tmp) / "index", key)
    try:  # the place table is read once per process; not part of a batch's cost
        from compliance.screening import places

        places.gazetteer()
    except ImportError:
        pass
    try:  # so is the common-word table (wordfreq): a one-off load, not a batch's cost
        from compliance.screening import common_words

        common_words.zipf("the")
    except ImportError:
        pass
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=False)
    results = screener.screen_many(parties)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=False)
    print(f"{tree}: {len(results)} results, {sum(len(r.hits) for r in results)} hits")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parties", help="write the party set once")
    p.add_argument("--count", type=int, default=1500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("count", help="screen the party set (run under callgrind)")
    c.add_argument("tree", type=Path)
    c.add_argument("parties", type=Path)
    c.add_argument("--no-kernel", action="store_true", help="switch the C candidate kernel off")
    c.add_argument(
        "--saved", action="store_true", help="screen with the index saved and loaded (persist)"
    )
    for q in (p, c):
        q.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    if args.command == "parties":
        write_parties(args.count, args.out, args.data, args.seed)
    else:
        count(args.tree, args.parties, args.data, args.no_kernel, args.saved)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
