"""15 CFR 734.9(b) reads NS control from the bundled CCL (Supp. No. 1 to part 774)."""

from __future__ import annotations

from typing import Any

import pytest
from fdp_cases import PLANT, TECH, build

from compliance.ear.fdp import EvalContext, RuleOutcome
from compliance.ear.fdp.national_security import RULE

# 3A001 is NS-controlled for the entire entry (NS2); 3E001 is NS technology for it.
APPLIES: dict[str, Any] = {
    "item.eccn": "3A001.a.1",
    TECH: [{"eccn": "3E001", "us_origin": True, "written_assurance": "given"}],
    "destination": "CN",
}


def outcome(**changes: Any) -> RuleOutcome:
    merged = {**APPLIES, **{k.replace("__", "."): v for k, v in changes.items()}}
    return RULE.evaluate(build(merged), EvalContext()).outcome


def test_ns_item_made_with_us_ns_technology_to_d1_applies() -> None:
    assert outcome() is RuleOutcome.APPLIES


@pytest.mark.parametrize("destination", ["CN", "RU", "IR", "KP", "SY", "CU", "MO"])
def test_destinations_in_d1_e1_e2(destination: str) -> None:
    assert outcome(destination=destination) is RuleOutcome.APPLIES


@pytest.mark.parametrize("destination", ["FR", "IN", "TW", "IL"])
def test_destinations_outside_d1_e1_e2(destination: str) -> None:
    assert outcome(destination=destination) is RuleOutcome.DOES_NOT_APPLY


@pytest.mark.parametrize("eccn", ["EAR99", "3A991", "5A992.c"])
def test_ear99_and_at_only_items_are_outside(eccn: str) -> None:
    assert outcome(item__eccn=eccn) is RuleOutcome.DOES_NOT_APPLY


def test_foreign_technology_is_not_enough() -> None:
    changes = {TECH: [{"eccn": "3E001", "us_origin": False}]}
    assert RULE.evaluate(build({**APPLIES, **changes}), EvalContext()).outcome is (
        RuleOutcome.DOES_NOT_APPLY
    )


def test_plant_route() -> None:
    changes = {TECH: [], PLANT: ["3E001"]}
    assert RULE.evaluate(build({**APPLIES, **changes}), EvalContext()).outcome is (
        RuleOutcome.APPLIES
    )


def test_unknown_technology_is_indeterminate() -> None:
    result = RULE.evaluate(build({**APPLIES, TECH: None}), EvalContext())
    assert result.outcome is RuleOutcome.INDETERMINATE
    assert "production.technology_and_software" in result.missing_facts


def test_paragraph_needed_when_ns_covers_only_some_paragraphs() -> None:
    # 3B001: NS covers listed paragraphs (e.g. .e), not the whole entry.
    result = RULE.evaluate(build({**APPLIES, "item.eccn": "3B001"}), EvalContext())
    assert result.outcome is RuleOutcome.INDETERMINATE
    assert "item.eccn" in result.missing_facts
    assert outcome(item__eccn="3B001.e") is RuleOutcome.APPLIES
