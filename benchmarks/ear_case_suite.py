"""Score the EAR engine on the case suite written from published BIS material.

Reads tests/ear/cases/*.yaml (each with its source, split and expected answer) and prints,
per split, how many "subject to the EAR" answers, FDP rule statuses and de minimis outcomes
the engine gets right, with every miss. The holdout splits are never used to adjust the engine;
holdout2 and holdout3 (written 2026-12-07 before the engine ran on them) are reported apart.

    python benchmarks/ear_case_suite.py [--cases tests/ear/cases]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from compliance.ear.suite import load_suite, score

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "ear" / "cases"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT)
    args = parser.parse_args()
    suite = load_suite(args.cases)
    for split in ("tune", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "all"):
        chosen = [e for e in suite if split in ("all", e.split)]
        result = score(chosen)
        print(f"{split}: {len(chosen)} cases; {result.line()}")
        for miss in result.misses:
            print(f"  miss: {miss}")


if __name__ == "__main__":
    main()
