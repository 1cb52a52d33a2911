"""Invariants of the tri-state logic: the combiner and the rules are monotone, so learning
that an unknown fact points toward capture never turns "applies" into "does not apply"."""

from __future__ import annotations

from typing import Any

from fdp_cases import IC, PLANT, TECH, build
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.ear.fdp import (
    EvalContext,
    Outcome,
    RuleOutcome,
    advanced_computing,
    combine,
    entity_list,
    iran,
    russia_belarus,
    russia_meu,
    sme,
    supercomputer,
)
from compliance.ear.fdp.base import FdpRule, all_of, any_of

OUTCOMES = st.sampled_from(list(Outcome))
RANK = {RuleOutcome.DOES_NOT_APPLY: 0, RuleOutcome.INDETERMINATE: 1, RuleOutcome.APPLIES: 2}
# Knowledge order: unknown may later turn out met or not met.
REFINES = {Outcome.UNKNOWN: (Outcome.MET, Outcome.NOT_MET)}


def test_combiner_truth_table() -> None:
    m, n, u = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN
    a, d, i = RuleOutcome.APPLIES, RuleOutcome.DOES_NOT_APPLY, RuleOutcome.INDETERMINATE
    table = {
        (m, m): a, (m, n): d, (m, u): i,
        (n, m): d, (n, n): d, (n, u): d,
        (u, m): i, (u, n): d, (u, u): i,
    }  # fmt: skip
    for (product, destination), expected in table.items():
        assert combine(product, destination) is expected


@given(OUTCOMES, OUTCOMES, st.booleans())
def test_combiner_monotone_when_unknown_becomes_met(
    product: Outcome, destination: Outcome, first: bool
) -> None:
    before = combine(product, destination)
    if first and product is Outcome.UNKNOWN:
        product = Outcome.MET
    elif not first and destination is Outcome.UNKNOWN:
        destination = Outcome.MET
    after = combine(product, destination)
    assert RANK[after] >= RANK[before]
    assert not (before is not RuleOutcome.DOES_NOT_APPLY and after is RuleOutcome.DOES_NOT_APPLY)


@given(OUTCOMES, OUTCOMES)
def test_decided_outcomes_survive_any_refinement(product: Outcome, destination: Outcome) -> None:
    before = combine(product, destination)
    for p in REFINES.get(product, (product,)):
        for d in REFINES.get(destination, (destination,)):
            after = combine(p, d)
            if before is not RuleOutcome.INDETERMINATE:
                assert after is before


@given(st.lists(OUTCOMES, min_size=1, max_size=6), st.data())
def test_any_and_all_are_monotone(values: list[Outcome], data: st.DataObject) -> None:
    unknown = [i for i, v in enumerate(values) if v is Outcome.UNKNOWN]
    if not unknown:
        return
    index = data.draw(st.sampled_from(unknown))
    raised = [Outcome.MET if i == index else v for i, v in enumerate(values)]
    order = {Outcome.NOT_MET: 0, Outcome.UNKNOWN: 1, Outcome.MET: 2}
    assert order[any_of(raised)] >= order[any_of(values)]
    assert order[all_of(raised)] >= order[all_of(values)]


# Rule level: each fact takes an unknown, a not-met or a met value (for this rule).
FN = "parties.0.entity_list"
KNOW = "knowledge.listed_entity_production"


def _tech(eccn: str, us: bool) -> list[dict[str, Any]]:
    return [{"eccn": eccn, "us_origin": us}]


FACTS: dict[str, tuple[FdpRule, dict[str, Any], dict[str, tuple[Any, Any]]]] = {
    # rule, fixed fields, {path: (not-met value, met value)}; unknown is None.
    "e1": (
        entity_list.FOOTNOTE_1,
        {"destination": "CN"},
        {
            TECH: ([], _tech("3E001", False)),
            PLANT: ([], ["3E001"]),
            FN: ({"listed": False}, {"listed": True, "footnotes": [1]}),
            KNOW: ([], [1]),
        },
    ),
    "e3": (
        entity_list.FOOTNOTE_5,
        {"item.eccn": "3B993", "destination": "CN"},
        {
            TECH: ([], _tech("3D993", False)),
            PLANT: ([], ["3E001"]),
            IC: ([], ["3E001"]),
            FN: ({"listed": False}, {"listed": True, "footnotes": [5]}),
            KNOW: ([], [5]),
            "knowledge.advanced_node_ic_production": (False, True),
        },
    ),
    "f": (
        russia_belarus.RULE,
        {"item.eccn": "EAR99", "destination": "KZ"},
        {
            TECH: ([], _tech("2E003", True)),
            PLANT: ([], ["2E003"]),
            "item.listed_in_part746_supplements": (False, True),
            "knowledge.onward_destinations": ([], ["RU"]),
        },
    ),
    "g": (
        russia_meu.RULE,
        {"destination": "TR"},
        {
            TECH: ([], _tech("1E001", False)),
            PLANT: ([], ["1E001"]),
            FN: ({"listed": False}, {"listed": True, "footnotes": [3]}),
            KNOW: ([], [3]),
        },
    ),
    "h": (
        advanced_computing.RULE,
        {"item.eccn": "4A090.a", "destination": "MY"},
        {
            TECH: ([], _tech("4D090", False)),
            PLANT: ([], ["3E001"]),
            "knowledge.onward_destinations": ([], ["MO"]),
        },
    ),
    "i": (
        supercomputer.RULE,
        {"destination": "CN"},
        {
            TECH: ([], _tech("3D001", False)),
            PLANT: ([], ["5E001"]),
            "knowledge.supercomputer_end_use": (False, True),
        },
    ),
    "j": (
        iran.RULE,
        {"item.eccn": "EAR99", "destination": "AE"},
        {
            TECH: ([], _tech("7E004", True)),
            PLANT: ([], ["7E004"]),
            "item.listed_in_part746_supplements": (False, True),
            "parties.0.government_of_iran": (False, True),
            "knowledge.onward_destinations": ([], ["IR"]),
        },
    ),
    "k": (
        sme.RULE,
        {"item.eccn": "3B002.c", "destination": "MO"},
        {
            TECH: ([], _tech("3E992", False)),
            PLANT: ([], ["3D991"]),
            IC: ([], ["3E994"]),
        },
    ),
}


@st.composite
def rule_and_facts(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    name = draw(st.sampled_from(sorted(FACTS)))
    paths = sorted(FACTS[name][2])
    states = {p: draw(st.sampled_from((0, 1, 2))) for p in paths}  # unknown, not met, met
    return name, states


def _evaluate(name: str, states: dict[str, int]) -> RuleOutcome:
    rule, fixed, facts = FACTS[name]
    changes = dict(fixed)
    for path, state in states.items():
        changes[path] = None if state == 0 else facts[path][state - 1]
    return rule.evaluate(build(changes), EvalContext()).outcome


@settings(deadline=None)  # first evaluations load reference tables; no timing here
@given(rule_and_facts(), st.data())
def test_rules_monotone_when_an_unknown_fact_becomes_met(
    drawn: tuple[str, dict[str, int]], data: st.DataObject
) -> None:
    name, states = drawn
    unknown = [p for p, s in states.items() if s == 0]
    if not unknown:
        return
    path = data.draw(st.sampled_from(unknown))
    before = _evaluate(name, states)
    after = _evaluate(name, {**states, path: 2})
    assert RANK[after] >= RANK[before], (name, states, path)
    not_met = _evaluate(name, {**states, path: 1})
    if before is not RuleOutcome.INDETERMINATE:
        assert after is before and not_met is before, (name, states, path)


@settings(deadline=None)
@given(rule_and_facts())
def test_indeterminate_exactly_when_missing_facts_are_named(
    drawn: tuple[str, dict[str, int]],
) -> None:
    name, states = drawn
    rule, fixed, facts = FACTS[name]
    changes = dict(fixed)
    for path, state in states.items():
        changes[path] = None if state == 0 else facts[path][state - 1]
    result = rule.evaluate(build(changes), EvalContext())
    assert (result.outcome is RuleOutcome.INDETERMINATE) == bool(result.missing_facts)
    assert result.reasons[0].startswith(result.citation)
