"""The worked cases in examples/ear run and reach the answers the regulation gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.ear.case import Knowledge, read_cases
from compliance.ear.determination import Determination, Subject, evaluate
from compliance.ear.fdp.base import RuleOutcome

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ear"


def run(name: str) -> Determination:
    (entry,) = read_cases(EXAMPLES / name)
    assert entry.case is not None, entry.error
    return evaluate(entry.case)


def applies(d: Determination) -> set[str]:
    return {r.rule_id for r in d.fdp if r.outcome is RuleOutcome.APPLIES}


def test_every_example_is_listed_here() -> None:
    assert {p.name for p in EXAMPLES.glob("*.yaml")} == {
        "accelerator_3a090_to_hong_kong.yaml",
        "controller_to_kazakhstan_not_subject.yaml",
        "etcher_with_us_fpga_to_macau.yaml",
        "korean_dram_for_huawei.yaml",
        "mask_technology_from_prc_developer.yaml",
        "pump_to_germany_not_subject.yaml",
        "router_via_kazakhstan_to_russia.yaml",
        "series600_part_to_taiwan.yaml",
    }


def test_korean_dram_for_huawei_is_caught_by_footnote_1_with_no_controlled_content() -> None:
    d = run("korean_dram_for_huawei.yaml")
    assert d.subject is Subject.YES
    assert d.de_minimis.numerator == 0
    assert applies(d) == {"734.9(e)(1)"}
    assert any("15 CFR 744.11(a)(2)(i)" in f.citations for f in d.license_findings)


def test_etcher_with_one_us_fpga_to_macau_has_no_de_minimis_level() -> None:
    d = run("etcher_with_us_fpga_to_macau.yaml")
    assert d.de_minimis.percentage is not None and d.de_minimis.percentage < 1
    assert d.de_minimis.basis == "no de minimis level (734.4(a)(8))"
    assert d.subject is Subject.YES
    assert "734.9(k)" in applies(d)


def test_3a090_accelerator_to_hong_kong_is_china_and_advanced_computing() -> None:
    d = run("accelerator_3a090_to_hong_kong.yaml")
    assert d.destination == "CN" and d.destination_note is not None
    assert "734.9(h)" in applies(d)
    assert any(f.source == "742.6(a)(6)" and f.required for f in d.license_findings)


def test_600_series_part_to_taiwan_passes_de_minimis_but_not_the_600_series_fdp_rule() -> None:
    d = run("series600_part_to_taiwan.yaml")
    assert d.de_minimis.verdict.value == "not subject"
    assert "734.9(d)" in applies(d)
    assert d.subject is Subject.YES


def test_router_via_kazakhstan_to_russia() -> None:
    d = run("router_via_kazakhstan_to_russia.yaml")
    assert d.de_minimis.verdict.value == "subject"
    assert "734.9(f)" in applies(d)
    assert any("746.8(a)(1)" in c for f in d.license_findings for c in f.citations)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_have_no_open_facts(name: str) -> None:
    assert run(name).deciding_facts == ()


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_citation_is_a_citation(name: str) -> None:
    d = run(name)
    cites = {*d.citations, *(c for f in d.license_findings for c in f.citations)}
    cites |= {c for a in d.de_minimis.lines for c in a.citations}
    for cite in cites:
        assert len(cite) < 90 and any(k in cite for k in ("CFR", " FR ", "BIS")), cite


@pytest.mark.parametrize(
    ("destination", "expected"),
    [("Macau", RuleOutcome.APPLIES), ("Hong Kong", RuleOutcome.APPLIES),
     ("VE", RuleOutcome.APPLIES), ("DE", RuleOutcome.DOES_NOT_APPLY)],
)  # fmt: skip
def test_advanced_computing_rule_macau_d5_and_hong_kong(
    destination: str, expected: RuleOutcome
) -> None:
    (entry,) = read_cases(EXAMPLES / "accelerator_3a090_to_hong_kong.yaml")
    assert entry.case is not None
    case = entry.case.model_copy(update={"destination": destination})
    d = evaluate(case)
    assert next(r.outcome for r in d.fdp if r.rule_id == "734.9(h)") is expected
    # Macau is not E:1/E:2: its de minimis level stays 25 %.
    assert d.de_minimis.threshold_percent == 25


def test_mask_technology_is_caught_by_the_headquarters_prong_only() -> None:
    d = run("mask_technology_from_prc_developer.yaml")
    assert d.subject is Subject.YES
    assert applies(d) == {"734.9(h)"}
    (h,) = (r for r in d.fdp if r.rule_id == "734.9(h)")
    assert any("headquartered in CN" in r for r in h.reasons)


@pytest.mark.parametrize(
    "name", ["pump_to_germany_not_subject.yaml", "controller_to_kazakhstan_not_subject.yaml"]
)
def test_not_subject_is_reached_through_stated_negative_knowledge(name: str) -> None:
    (entry,) = read_cases(EXAMPLES / name)
    assert entry.case is not None
    assert evaluate(entry.case).subject is Subject.NO
    # Without the negative knowledge the same facts are indeterminate, never "not subject".
    unknown = entry.case.model_copy(update={"knowledge": Knowledge()})
    d = evaluate(unknown)
    assert d.subject is Subject.INDETERMINATE
    assert any(q.question.startswith("Confirm: no") for q in d.questions)


def test_controller_to_kazakhstan_needs_no_price_and_no_written_assurance() -> None:
    d = run("controller_to_kazakhstan_not_subject.yaml")
    assert d.de_minimis.outcome.value == "no calculation needed"
    assert d.de_minimis.denominator is None
    ns = next(r for r in d.fdp if r.rule_id == "734.9(b)")
    assert ns.outcome is RuleOutcome.DOES_NOT_APPLY


def test_pump_to_germany_is_not_subject_and_says_why() -> None:
    d = run("pump_to_germany_not_subject.yaml")
    assert d.subject is Subject.NO
    assert d.de_minimis.numerator == 0 and d.deciding_facts == ()
    assert d.license_findings == ()
