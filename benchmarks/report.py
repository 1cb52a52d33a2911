"""Markdown tables for docs/benchmarks.md from the JSON of ``quality.py`` and ``speed.py``.

Figures are copied by program, not by hand, so the report cannot drift from the run:

    python benchmarks/report.py quality.json speed.json > /tmp/tables.md
    python benchmarks/report.py --compare base-speed.json speed.json   # two runs side by side
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _v(value: Any) -> str:
    return "-" if value is None else str(value)


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(_v(c) for c in cells) + " |"


def quality_tables(doc: dict[str, Any]) -> str:
    out: list[str] = []
    head = ["group", "queries", "recall %", "alert-level recall %", "rank 1 %", "MRR"]
    for section, title in (
        ("by_family", "Recall per treatment family (Entity List names and aliases)"),
        ("by_treatment", "Recall per treatment"),
        ("by_kind", "Persons and organisations"),
    ):
        out += [f"**{title}**", "", _row(head), _row(["---"] * len(head))]
        rows = doc["positives"][section]
        for label in sorted(rows):
            s = rows[label]
            out.append(
                _row(
                    [
                        label,
                        s["queries"],
                        s["recall_pct"],
                        s["alert_recall_pct"],
                        s["rank1_pct"],
                        s["mrr"],
                    ]
                )
            )
        if section == "by_family":
            s = doc["positives"]["overall"]
            out.append(
                _row(
                    [
                        "**all**",
                        s["queries"],
                        s["recall_pct"],
                        s["alert_recall_pct"],
                        s["rank1_pct"],
                        s["mrr"],
                    ]
                )
            )
        out.append("")
    head = [
        "innocent set",
        "screened",
        "alerts",
        "alerts / 1,000",
        "alerts / 1,000 excl. known listed",
        "reviews",
        "reviews / 1,000",
    ]
    out += ["**False alerts and reviews**", "", _row(head), _row(["---"] * len(head))]
    for label, s in sorted(doc["negatives"].items()):
        out.append(
            _row(
                [
                    label,
                    s["screened"],
                    s["alerts"],
                    s["alerts_per_1000"],
                    s["alerts_per_1000_without_known_listed"],
                    s["reviews"],
                    s["reviews_per_1000"],
                ]
            )
        )
    out += ["", "**Targets**", "", _row(["target", "goal", "measured", "met"]), _row(["---"] * 4)]
    for t in doc["targets"]:
        out.append(
            _row(
                [t["target"], t["goal"], t["actual"], {True: "yes", False: "no"}.get(t["met"], "-")]
            )
        )
    return "\n".join(out) + "\n"


def speed_tables(doc: dict[str, Any]) -> str:
    b, lat = doc["build"], doc["latency_ms"]
    out = [
        _row(["measure", "wall", "CPU"]),
        _row(["---"] * 3),
        _row(["list load (s)", b["list_load_wall_s"], "-"]),
        _row(
            ["index build, first in process (s)", b["index_build_wall_s"], b["index_build_cpu_s"]]
        ),
        _row(
            [
                "peak RSS after load / after build (MB)",
                f"{b['rss_after_load_mb']} / {b['rss_after_build_mb']}",
                "-",
            ]
        ),
    ]
    for p in ("p50", "p90", "p99", "max", "mean"):
        out.append(_row([f"latency {p} (ms)", lat["wall"][p], lat["cpu"][p]]))
    for workers, s in sorted(doc["batch"].items()):
        out.append(
            _row(
                [
                    f"batch, {workers} worker(s): screenings/s (wall) and per CPU-second",
                    s["screenings_per_s_wall"],
                    s["screenings_per_cpu_s"],
                ]
            )
        )
    out += [
        "",
        _row(
            [
                "baseline",
                "queries",
                "per CPU-second",
                "ours / baseline (CPU)",
                "recall %",
                "ours on same queries %",
            ]
        ),
        _row(["---"] * 6),
    ]
    rf = doc["baseline_rapidfuzz"]
    out.append(
        _row(
            [
                "rapidfuzz token_sort_ratio full scan (top 10, >= 80)",
                rf["queries"],
                rf["screenings_per_cpu_s"],
                rf["cpu_throughput_ratio_ours_over_baseline"],
                rf["recall_pct_at_80"],
                rf["ours_recall_pct_same_queries"],
            ]
        )
    )
    lv = doc["baseline_logic_v2"]
    if lv.get("status") == "ran":
        out.append(
            _row(
                [
                    "nomenklatura logic-v2 on top-10 candidates (>= 0.70)",
                    lv["queries"],
                    lv["screenings_per_cpu_s"],
                    lv["cpu_throughput_ratio_ours_over_baseline"],
                    f"{lv['recall_pct']} (candidates {lv['candidate_recall_pct']})",
                    lv["ours_recall_pct_same_queries"],
                ]
            )
        )
        if lv.get("pipeline_screenings_per_cpu_s") is not None:
            out.append(
                _row(
                    [
                        "rapidfuzz scan + logic-v2 (candidates and scoring)",
                        lv["queries"],
                        lv["pipeline_screenings_per_cpu_s"],
                        lv["cpu_throughput_ratio_ours_over_pipeline"],
                        lv["recall_pct"],
                        lv["ours_recall_pct_same_queries"],
                    ]
                )
            )
    else:
        out.append(_row(["nomenklatura logic-v2", "-", "-", "-", lv["status"], "-"]))
    out += ["", _row(["target", "goal", "measured", "met"]), _row(["---"] * 4)]
    for t in doc["targets"]:
        out.append(
            _row(
                [t["target"], t["goal"], t["actual"], {True: "yes", False: "no"}.get(t["met"], "-")]
            )
        )
    return "\n".join(out) + "\n"


def _speed_figures(doc: dict[str, Any]) -> list[tuple[str, Any]]:
    b, lat, batch = doc["build"], doc["latency_ms"]["wall"], doc["batch"]
    one, two = batch.get("1", {}), batch.get("2", {})
    lv2 = doc.get("baseline_logic_v2", {})
    return [
        ("index build, first in process, wall (s)", b["index_build_wall_s"]),
        ("index build, first in process, CPU (s)", b["index_build_cpu_s"]),
        ("peak RSS after build (MB)", b["rss_after_build_mb"]),
        ("latency p50, wall (ms)", lat["p50"]),
        ("latency p99, wall (ms)", lat["p99"]),
        ("batch, 1 worker: screenings per CPU-second", one.get("screenings_per_cpu_s")),
        ("batch, 2 workers: screenings per second (wall)", two.get("screenings_per_s_wall")),
        ("vs logic-v2 scoring only (x)", lv2.get("cpu_throughput_ratio_ours_over_baseline")),
        ("vs rapidfuzz scan + logic-v2 (x)", lv2.get("cpu_throughput_ratio_ours_over_pipeline")),
    ]


def compare_tables(base: dict[str, Any], new: dict[str, Any]) -> str:
    """Two speed runs side by side (same machine, back to back), with the ratio new/base:
    on a shared machine whose speed drifts, the ratio is the figure to trust."""
    out = [_row(["measure", "base", "new", "new / base"]), _row(["---"] * 4)]
    for (label, a), (_, b) in zip(_speed_figures(base), _speed_figures(new), strict=True):
        ratio = None
        if a is not None and b is not None and float(a) != 0:
            ratio = f"{float(b) / float(a):.2f}"
        out.append(_row([label, a, b, ratio]))
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"] and len(argv) == 3:
        base, new = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[1:])
        sys.stdout.write(compare_tables(base, new))
        return 0
    for path in argv:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        sys.stdout.write(quality_tables(doc) if "positives" in doc else speed_tables(doc))
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
