"""The case suite written from published BIS material (tests/ear/cases/) decides as expected.

Tune cases must all be right; holdout cases (never used to adjust the engine) are scored and
must stay at or above the figure reported in docs/benchmarks.md. ``holdout2`` is a second
held-out group written on 2026-12-07 before the engine was run on it; it is scored apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.ear.determination import evaluate
from compliance.ear.suite import Score, SuiteCase, check, load_suite, score

SUITE = load_suite(Path(__file__).parent / "cases")


def test_suite_has_at_least_40_sourced_cases_with_both_splits() -> None:
    assert len(SUITE) >= 40
    splits = {"tune", "holdout", "holdout2", "holdout3", "holdout4", "holdout5"}
    assert {e.split for e in SUITE} == splits
    assert sum(e.split == "holdout2" for e in SUITE) >= 20
    assert all(e.source.strip() and e.expected for e in SUITE)


@pytest.mark.parametrize("entry", [e for e in SUITE if e.split == "tune"], ids=lambda e: e.name)
def test_tune_case(entry: SuiteCase) -> None:
    result = Score()
    check(entry, evaluate(entry.case), result)
    assert not result.misses, result.misses


def test_holdout_score_is_at_least_the_reported_one() -> None:
    result = score(e for e in SUITE if e.split == "holdout")
    right = result.subject[0] + result.rules[0] + result.de_minimis[0]
    total = result.subject[1] + result.rules[1] + result.de_minimis[1]
    assert right / total >= 0.95, result.misses


def test_second_holdout_score_is_at_least_the_reported_one() -> None:
    """holdout2 was scored once, as written (docs/benchmarks.md: 153 of 154 checks); a drop
    below 95 % means a change broke what the regulation decides."""
    result = score(e for e in SUITE if e.split == "holdout2")
    right = result.subject[0] + result.rules[0] + result.de_minimis[0]
    total = result.subject[1] + result.rules[1] + result.de_minimis[1]
    assert total >= 150 and right / total >= 0.95, result.misses


def test_a_wrong_expectation_is_caught() -> None:
    entry = SUITE[0]
    flipped = {
        "subject": "subject" if entry.expected.get("subject") != "subject" else "not subject"
    }
    wrong = SuiteCase(entry.name, entry.source, entry.split, flipped, entry.case)
    result = Score()
    check(wrong, evaluate(wrong.case), result)
    assert result.misses


def test_third_holdout_score_is_at_least_the_reported_one() -> None:
    """holdout3 (branch ear2) was scored once as written: 24 of 26 checks; the two misses were
    expectations the regulation does not decide (docs/benchmarks.md, "ear2")."""
    result = score(e for e in SUITE if e.split == "holdout3")
    right = result.subject[0] + result.rules[0] + result.de_minimis[0]
    total = result.subject[1] + result.rules[1] + result.de_minimis[1]
    assert total >= 26 and right / total >= 0.9, result.misses


def test_fourth_holdout_score_is_the_reported_one() -> None:
    """holdout4 (branch ear3: 734.4(c)/(d), Supp. No. 2 to part 734 (a)(1), the destination
    scopes of 734.9(b), (c), (d)) was committed in two batches before the engine ran on each and
    scored once as written: 8 of 8 and 10 of 10 checks (docs/benchmarks.md, "ear3")."""
    result = score(e for e in SUITE if e.split == "holdout4")
    right = result.subject[0] + result.rules[0] + result.de_minimis[0]
    total = result.subject[1] + result.rules[1] + result.de_minimis[1]
    assert total >= 18 and right == total, result.misses


def test_fifth_holdout_scores_as_first_run() -> None:
    """holdout5 (15 cases from BIS FAQs, 88 FR 2821 and the BIS de minimis guidelines) was
    committed (9df1740) before the engine ran on it and scored 22 of 22 checks as written
    (docs/benchmarks.md, branch ear4); a miss now means a change broke what its source decides."""
    entries = [e for e in SUITE if e.split == "holdout5"]
    result = score(entries)
    total = result.subject[1] + result.rules[1] + result.de_minimis[1]
    assert len(entries) >= 12 and total >= 22
    assert not result.misses, result.misses
