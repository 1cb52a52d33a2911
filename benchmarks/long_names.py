"""CPU time of one very long one-word name in ``Screener.screen``, by length (issue 14).

A name of ``n`` random letters, screened once against the 2026 CSL after a warm-up query.
Before the bound of ``index._keyable`` the two-deletion keys of such a word numbered
``n**2 / 2`` (about 24 CPU-seconds at 10,000 letters); now the work grows linearly.

    COMPLIANCE_PURE_PYTHON=1 python benchmarks/long_names.py --lengths 1000 10000 40000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import CSL_2026, DEFAULT_DATA, load_snapshot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--lengths", type=int, nargs="+", default=[1000, 10_000, 40_000])
    args = parser.parse_args(argv)
    from compliance.screening.results import Party
    from compliance.screening.screener import Screener

    screener = Screener([load_snapshot(args.data / CSL_2026)])
    screener.screen(Party(name="Hangzhou Hikvision"))  # lazy tables loaded first
    rng = random.Random(1)
    print("| letters | CPU s |")
    print("| --- | --- |")
    for n in args.lengths:
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
        start = time.process_time()
        screener.screen(Party(name=name))
        print(f"| {n:,} | {time.process_time() - start:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
