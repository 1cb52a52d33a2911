"""Each 15 CFR 734.9 rule: both scopes met -> applies; either scope not met -> does not
apply; each missing fact -> indeterminate naming that fact.

Every case starts from ``fdp_cases.BASE`` (all facts known, nothing in scope) and changes
only the fields named, so each expectation follows from the regulation text read in the
rule's module docstring, not from the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from fdp_cases import CTX, IC, PLANT, TECH, build, listed, tech

from compliance.ear.fdp import (
    RuleOutcome,
    advanced_computing,
    ai_weights,
    entity_list,
    iran,
    russia_belarus,
    russia_meu,
    series600,
    sme,
    supercomputer,
    x515,
)
from compliance.ear.fdp.base import FdpRule


@dataclass
class Spec:
    rule: FdpRule
    applies: dict[str, Any]
    product_off: dict[str, Any]
    destination_off: dict[str, Any]
    missing: list[tuple[dict[str, Any], str]] = field(default_factory=list)


NO_ROUTE = {TECH: [], PLANT: [], IC: []}
UNLISTED = {"parties.0.entity_list": {"listed": False}}
KNOWLEDGE_UNKNOWN = (
    {**UNLISTED, "knowledge.listed_entity_production": None},
    "knowledge.listed_entity_production",
)
# Unknowns every rule with the usual "direct product or plant" route has.
ROUTE_UNKNOWN = [({TECH: None}, TECH), ({TECH: [], PLANT: None}, PLANT)]
# Unknowns of a footnote-N Entity List end-user scope (734.9(e), (g)).
ENTITY_LIST_UNKNOWN = [
    ({"parties.0.entity_list": None}, "parties[0].entity_list"),
    KNOWLEDGE_UNKNOWN,
]

SPECS: dict[str, Spec] = {
    "c": Spec(
        x515.RULE,
        {"item.eccn": "9A515.a", TECH: [tech("9E515")], "destination": "CN"},
        {"item.eccn": "9A004"},
        {"destination": "FR"},
        [({TECH: None}, TECH), ({TECH: [], PLANT: None}, PLANT)],
    ),
    "d": Spec(
        series600.RULE,
        {"item.eccn": "3A611.a", TECH: [tech("3E611")], "destination": "TW"},
        {"item.eccn": "3A001.a.1"},
        {"destination": "FR"},
        [({TECH: None}, TECH), ({TECH: [], PLANT: None}, PLANT)],
    ),
    "e1": Spec(
        entity_list.FOOTNOTE_1,
        {TECH: [tech("3E001", False)], "parties.0.entity_list": listed(1), "destination": "CN"},
        {TECH: [tech("1E001", False)]},
        {"parties.0.entity_list": {"listed": False}},
        [
            *ROUTE_UNKNOWN,
            *ENTITY_LIST_UNKNOWN,
            ({"parties": []}, "parties (ultimate consignee or end user)"),
        ],
    ),
    "e2": Spec(
        entity_list.FOOTNOTE_4,
        {TECH: [tech("5E002", False)], "parties.0.entity_list": listed(4), "destination": "CN"},
        {TECH: [tech("1E001", False)]},
        {"parties.0.entity_list": {"listed": False}},
        [
            *ROUTE_UNKNOWN,
            *ENTITY_LIST_UNKNOWN,
        ],
    ),
    "e3": Spec(
        entity_list.FOOTNOTE_5,
        {
            "item.eccn": "3B001.e",
            TECH: [tech("3E001", False)],
            "parties.0.entity_list": listed(5),
            "destination": "CN",
        },
        {"item.eccn": "3B001.c"},
        {"parties.0.entity_list": {"listed": False}},
        [
            *ROUTE_UNKNOWN,
            ({TECH: [], IC: None}, IC),
            *ENTITY_LIST_UNKNOWN,
            (
                {
                    "parties.0.entity_list": {"listed": False},
                    "knowledge.advanced_node_ic_production": None,
                },
                "knowledge.advanced_node_ic_production",
            ),
        ],
    ),
    "f": Spec(
        russia_belarus.RULE,
        {"item.eccn": "5A992.c", TECH: [tech("3E991")], "destination": "RU"},
        {"item.eccn": "EAR99", "item.listed_in_part746_supplements": False},
        {"destination": "DE"},
        [
            *ROUTE_UNKNOWN,
            (
                {"item.eccn": "EAR99", "item.listed_in_part746_supplements": None},
                "item.listed_in_part746_supplements",
            ),
            (
                {"destination": "DE", "knowledge.onward_destinations": None},
                "knowledge.onward_to.russia_belarus",
            ),
        ],
    ),
    "g": Spec(
        russia_meu.RULE,
        {TECH: [tech("1E001", False)], "parties.0.entity_list": listed(3), "destination": "AE"},
        NO_ROUTE,
        {"parties.0.entity_list": {"listed": False}},
        [
            *ROUTE_UNKNOWN,
            *ENTITY_LIST_UNKNOWN,
        ],
    ),
    "h": Spec(
        advanced_computing.RULE,
        {"item.eccn": "3A090.a", TECH: [tech("3E001", False)], "destination": "CN"},
        {"item.eccn": "3A001.a.1"},
        {"destination": "DE"},
        [
            *ROUTE_UNKNOWN,
            (
                {"destination": "DE", "knowledge.onward_destinations": None},
                "knowledge.onward_to.macau_or_d5",
            ),
            (
                {"destination": "VN", "settings": {"advanced_computing_scope": "unresolved"}},
                "settings.advanced_computing_scope",
            ),
            (
                {"item.eccn": "3E001", "item.kind": "technology"},
                "item.technology_for_3a090_4a090",
            ),
        ],
    ),
    "i": Spec(
        supercomputer.RULE,
        {
            TECH: [tech("4E001", False)],
            "knowledge.supercomputer_end_use": True,
            "destination": "CN",
        },
        {TECH: [tech("1E001", False)]},
        {"knowledge.supercomputer_end_use": False},
        [
            *ROUTE_UNKNOWN,
            ({"knowledge.supercomputer_end_use": None}, "knowledge.supercomputer_end_use"),
            (
                {"destination": "VE", "settings": {"supercomputer_scope": "unresolved"}},
                "settings.supercomputer_scope",
            ),
        ],
    ),
    "j": Spec(
        iran.RULE,
        {"item.eccn": "5A991", TECH: [tech("3E991")], "destination": "IR"},
        {"item.eccn": "1C350"},
        {"destination": "DE"},
        [
            *ROUTE_UNKNOWN,
            (
                {"item.eccn": "EAR99", "item.listed_in_part746_supplements": None},
                "item.listed_in_part746_supplements",
            ),
            (
                {"destination": "DE", "parties.0.government_of_iran": None},
                "parties[0].government_of_iran",
            ),
            (
                {"destination": "DE", "knowledge.onward_destinations": None},
                "knowledge.onward_to.iran",
            ),
        ],
    ),
    "k": Spec(
        sme.RULE,
        {"item.eccn": "3B001.c", IC: ["3E001"], "destination": "CN"},
        {"item.eccn": "3B001.e"},
        {"destination": "DE"},
        [
            ({IC: [], TECH: None}, TECH),
            ({IC: [], PLANT: None}, PLANT),
            ({IC: None}, IC),
        ],
    ),
    "l": Spec(
        ai_weights.RULE,
        {
            "item.eccn": "4E091",
            "item.kind": "technology",
            PLANT: ["3E001"],
            "settings": {"ai_diffusion": "as written"},
        },
        {"item.eccn": "4E001"},
        {"settings": {"ai_diffusion": "as enforced"}},
        [({PLANT: None}, PLANT)],
    ),
}


def run(spec: Spec, *changes: dict[str, Any]) -> Any:
    merged: dict[str, Any] = dict(spec.applies)
    for change in changes:
        merged.update(change)
    return spec.rule.evaluate(build(merged), CTX)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_both_scopes_met_applies(name: str) -> None:
    result = run(SPECS[name])
    assert result.outcome is RuleOutcome.APPLIES, result.reasons
    assert result.missing_facts == ()
    assert result.license_citations


@pytest.mark.parametrize("name", sorted(SPECS))
def test_product_scope_not_met(name: str) -> None:
    result = run(SPECS[name], SPECS[name].product_off)
    assert result.product_scope.outcome == "not met", result.reasons
    assert result.outcome is RuleOutcome.DOES_NOT_APPLY


@pytest.mark.parametrize("name", sorted(SPECS))
def test_destination_scope_not_met(name: str) -> None:
    result = run(SPECS[name], SPECS[name].destination_off)
    assert result.destination_scope.outcome == "not met", result.reasons
    assert result.outcome is RuleOutcome.DOES_NOT_APPLY


MISSING = [
    pytest.param(name, change, fact, id=f"{name}-{fact}")
    for name, spec in sorted(SPECS.items())
    for change, fact in spec.missing
]


@pytest.mark.parametrize(("name", "change", "fact"), MISSING)
def test_missing_fact_is_indeterminate(name: str, change: dict[str, Any], fact: str) -> None:
    result = run(SPECS[name], change)
    assert result.outcome is RuleOutcome.INDETERMINATE, result.reasons
    assert fact in result.missing_facts


def test_every_rule_except_b_has_a_spec() -> None:
    # 734.9(b) needs the bundled CCL and is tested in test_fdp_national_security.py.
    assert len(SPECS) == 12
