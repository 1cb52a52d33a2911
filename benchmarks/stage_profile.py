"""Where a batch's CPU time goes, by stage of the screening hot path (cProfile, CPU clock).

Screens the seeded speed mix (``speed.py``) with ``Screener.screen_many`` on a fresh screener
of the 2026 CSL under ``cProfile`` timed by ``time.process_time`` (so a loaded machine does
not inflate it), and prints each stage's cumulative share of the profiled time. The profiler
adds per-call overhead, so the shares of stages made of many small calls are overstated;
quote them as a breakdown, not as speeds.

    COMPLIANCE_PURE_PYTHON=1 python benchmarks/stage_profile.py --queries 2000
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import CSL_2026, DEFAULT_DATA, load_snapshot
from benchmarks.speed import build_mix

STAGES = (
    ("_hits", "screener.py", "per party: every stage below"),
    ("_survivors", "screener.py", "candidate stage: index reach + pruning test"),
    ("reach", "index.py", "  index reach (look-ups, verification, numpy gather/unique)"),
    ("_similar_words", "index.py", "    per query word: met words verified by similarity"),
    ("score_prepared", "score.py", "scoring the survivors"),
    ("_prepared", "screener.py", "listed names prepared on first use"),
    ("_query_tokens", "screener.py", "query normalisation"),
    ("_block_tokens", "screener.py", "  of which the block's prefetch normalisation"),
    ("prefetch", "index.py", "block look-up of new words' keys (vector)"),
    ("_hit", "screener.py", "hit building (evidence, pydantic)"),
    ("_entry_hash", "screener.py", "  of which entry content hashes, first use"),
    ("_result", "screener.py", "result building (pydantic)"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20260731)
    args = parser.parse_args(argv)
    from compliance.screening.screener import Screener

    snapshot = load_snapshot(args.data / CSL_2026)
    parties = [q.party for q in build_mix(snapshot, args.data, args.queries, args.seed)]
    screener = Screener([snapshot])
    screener.screen(parties[0])  # lazy tables (gazetteer) loaded outside the profile
    profile = cProfile.Profile(time.process_time)
    start = time.process_time()
    profile.enable()
    screener.screen_many(parties)
    profile.disable()
    cpu = time.process_time() - start
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    cumulative: dict[tuple[str, str], float] = {}
    for (file, _, func), row in stats.stats.items():  # type: ignore[attr-defined]
        key = (func, Path(file).name)
        cumulative[key] = cumulative.get(key, 0.0) + row[3]
    print(f"{len(parties):,} queries, {cpu:.2f} CPU s under the profiler\n")
    print("| stage | share of profiled CPU |")
    print("| --- | --- |")
    for func, module, label in STAGES:
        share = cumulative.get((func, module), 0.0) / total
        print(f"| {label} (`{func}`) | {100 * share:.1f} % |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
