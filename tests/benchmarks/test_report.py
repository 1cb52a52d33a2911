"""benchmarks/report.py --compare: two speed runs side by side with the ratio new/base."""

from __future__ import annotations

from typing import Any

from benchmarks.report import compare_tables


def _speed_doc(build: float, per_cpu: str, logic_v2: str | None) -> dict[str, Any]:
    return {
        "build": {
            "index_build_wall_s": build,
            "index_build_cpu_s": build,
            "rss_after_build_mb": "400.0",
        },
        "latency_ms": {"wall": {"p50": "0.400", "p99": "2.000"}},
        "batch": {"1": {"screenings_per_cpu_s": per_cpu}},
        "baseline_logic_v2": (
            {} if logic_v2 is None else {"cpu_throughput_ratio_ours_over_baseline": logic_v2}
        ),
    }


def test_ratios_are_new_over_base_and_missing_figures_stay_blank() -> None:
    table = compare_tables(_speed_doc(4.0, "1000.0", "5.0"), _speed_doc(3.0, "1500.0", None))
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}
    assert rows["index build, first in process, wall (s)"].endswith("| 4.0 | 3.0 | 0.75 |")
    assert rows["batch, 1 worker: screenings per CPU-second"].endswith("| 1000.0 | 1500.0 | 1.50 |")
    assert rows["batch, 2 workers: screenings per second (wall)"].endswith("| - | - | - |")
    assert rows["vs logic-v2 scoring only (x)"].endswith("| 5.0 | - | - |")


def test_ab_table_reports_medians_and_their_ratio() -> None:
    from benchmarks.ab_speed import table

    def run(build: float, one: float, batch: float) -> dict[str, float]:
        return {"build_cpu_s": build, "one_by_one_per_cpu_s": one, "batch_per_cpu_s": batch}

    runs = {
        "base": [run(4.0, 100.0, 200.0), run(5.0, 300.0, 200.0), run(9.0, 200.0, 200.0)],
        "new": [run(3.0, 150.0, 100.0), run(2.0, 150.0, 300.0), run(4.0, 150.0, 500.0)],
    }
    lines = table(runs).splitlines()
    assert "| build_cpu_s | 5.000 | 3.000 | 0.60 |" in lines
    assert "| one_by_one_per_cpu_s | 200.000 | 150.000 | 0.75 |" in lines
    assert "| batch_per_cpu_s | 200.000 | 300.000 | 1.50 |" in lines
    assert len(lines) == 2 + 3  # header, rule and the three measures the runs took
