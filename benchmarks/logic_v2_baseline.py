"""Run OpenSanctions' nomenklatura ``logic-v2`` matcher on pairs prepared by ``speed.py``.

Runs in its own virtual environment (nomenklatura needs PyICU, a system-library install the
project itself avoids), so it is called as a subprocess:

    /work/benchvenv/bin/python benchmarks/logic_v2_baseline.py IN.json OUT.json

IN.json: ``{"queries": [{"entity": E, "candidates": [E, ...]}], "warmup": n}`` where ``E`` is
``{"id", "schema", "properties": {prop: [values]}}`` (FollowTheMoney entity dicts).
OUT.json: per query the logic-v2 score of every candidate, and the seconds spent scoring
(warm: the first ``warmup`` queries are scored once beforehand and not timed).
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    src, dst = Path(argv[0]), Path(argv[1])
    job = json.loads(src.read_text(encoding="utf-8"))
    ftm: Any = importlib.import_module("followthemoney")
    matching: Any = importlib.import_module("nomenklatura.matching")
    algorithm = matching.get_algorithm("logic-v2")
    config = algorithm.default_config()

    def entity(data: dict[str, Any]) -> Any:
        proxy = ftm.model.make_entity(data["schema"])
        proxy.id = data["id"]
        for prop, values in data["properties"].items():
            for value in values:
                proxy.add(prop, value)
        return proxy

    pairs = [(entity(q["entity"]), [entity(c) for c in q["candidates"]]) for q in job["queries"]]
    for query, candidates in pairs[: job.get("warmup", 5)]:
        for candidate in candidates:
            algorithm.compare(query, candidate, config)
    scores: list[list[float]] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for query, candidates in pairs:
        scores.append([algorithm.compare(query, c, config).score for c in candidates])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    versions = {
        name: importlib.import_module("importlib.metadata").version(name)
        for name in ("nomenklatura", "followthemoney", "rigour")
    }
    dst.write_text(
        json.dumps(
            {
                "scores": scores,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "versions": versions,
            },
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
