"""Scenarios the FDP rules must get right: zero U.S. content, EAR99 items, Macau vs D:5 vs
Hong Kong, footnote 1 vs 4 vs 5, inconclusive screening, dated provisions and settings."""

from __future__ import annotations

from typing import Any

import pytest
from fdp_cases import APPLIES, CTX, IC, INDET, NOT, PLANT, TECH, build, tech

from compliance.ear.fdp import (
    ALL_RULES,
    EvalContext,
    PartyFootnotes,
    RuleOutcome,
    advanced_computing,
    ai_weights,
    entity_list,
    iran,
    national_security,
    russia_belarus,
    sme,
    supercomputer,
    x515,
)
from compliance.ear.fdp.base import AdvancedComputingScope, FdpReadings


def test_all_rules_in_regulation_order() -> None:
    assert [r.rule_id for r in ALL_RULES] == [
        "734.9(b)",
        "734.9(c)",
        "734.9(d)",
        "734.9(e)(1)",
        "734.9(e)(2)",
        "734.9(e)(3)",
        "734.9(f)",
        "734.9(g)",
        "734.9(h)",
        "734.9(i)",
        "734.9(j)",
        "734.9(k)",
        "734.9(l)",
    ]


def test_zero_us_content_sme_tool_is_captured() -> None:
    # A non-U.S. etcher with no U.S. parts at all (bom empty) that contains an IC fabbed in
    # a plant built with U.S. 3E001 technology, shipped to China: 734.9(k) reaches it.
    case = build({"item.eccn": "3B001.c", "bom": [], IC: ["3E001"], "destination": "CN"})
    assert case.bom == ()
    assert sme.RULE.evaluate(case, CTX).outcome is APPLIES


def test_zero_us_content_entity_list_capture() -> None:
    case = build(
        {
            "bom": [],
            PLANT: ["3E001"],
            "parties.0.entity_list": {"listed": True, "footnotes": [1]},
            "destination": "CN",
        }
    )
    assert entity_list.FOOTNOTE_1.evaluate(case, CTX).outcome is APPLIES


def test_ear99_item_outside_ns_rule_but_inside_footnote_1() -> None:
    # EAR99 foreign item made with U.S.-origin 3E001 technology, bought by a Huawei entity
    # in China (D:1): 734.9(b) needs an NS-controlled item; 734.9(e)(1) takes any item.
    case = build(
        {
            TECH: [tech("3E001")],
            "parties.0.entity_list": {"listed": True, "footnotes": [1, 2]},
            "destination": "CN",
        }
    )
    ns = national_security.RULE.evaluate(case, CTX)
    assert ns.outcome is NOT
    assert ns.product_scope.outcome == "not met"
    assert ns.destination_scope.outcome == "met"
    assert entity_list.FOOTNOTE_1.evaluate(case, CTX).outcome is APPLIES


# --- Macau vs D:5 vs Hong Kong --------------------------------------------------------

H_CASE = {"item.eccn": "3A090.a", TECH: [tech("3E001", False)]}
I_CASE = {TECH: [tech("4E001", False)], "knowledge.supercomputer_end_use": True}
K_CASE = {"item.eccn": "3B001.c", IC: ["3E001"]}


@pytest.mark.parametrize(
    ("rule", "base", "destination", "expected"),
    [
        (advanced_computing.RULE, H_CASE, "MO", APPLIES),
        (advanced_computing.RULE, H_CASE, "Hong Kong", APPLIES),
        (advanced_computing.RULE, H_CASE, "RU", APPLIES),
        (advanced_computing.RULE, H_CASE, "VN", APPLIES),  # D:1 not A:5/A:6 (88 FR 73458)
        (advanced_computing.RULE, H_CASE, "IL", NOT),  # D:4 but A:6
        (advanced_computing.RULE, H_CASE, "JP", NOT),
        (supercomputer.RULE, I_CASE, "MO", APPLIES),
        (supercomputer.RULE, I_CASE, "HK", APPLIES),
        (supercomputer.RULE, I_CASE, "VE", APPLIES),  # D:5 (88 FR 73458, 744.23)
        (sme.RULE, K_CASE, "Macau", APPLIES),
        (sme.RULE, K_CASE, "Hong Kong", APPLIES),
        (sme.RULE, K_CASE, "IR", APPLIES),  # D:5
        (sme.RULE, K_CASE, "VN", NOT),  # D:1, not D:5
        (sme.RULE, K_CASE, "TW", NOT),
    ],
)
def test_macau_d5_hong_kong(
    rule: Any, base: dict[str, Any], destination: str, expected: RuleOutcome
) -> None:
    result = rule.evaluate(build({**base, "destination": destination}), CTX)
    assert result.outcome is expected, result.reasons


def test_hong_kong_is_reported_as_china() -> None:
    result = sme.RULE.evaluate(build({**K_CASE, "destination": "Hong Kong"}), CTX)
    assert any("CN (given as 'Hong Kong')" in r for r in result.destination_scope.reasons)


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        (AdvancedComputingScope.WITH_D1_D4, APPLIES),
        (AdvancedComputingScope.MACAU_OR_D5, NOT),
        (AdvancedComputingScope.UNRESOLVED, INDET),
    ],
)
def test_advanced_computing_d1_reading(
    reading: AdvancedComputingScope, expected: RuleOutcome
) -> None:
    ctx = EvalContext(readings=FdpReadings(advanced_computing_scope=reading))
    case = build({**H_CASE, "destination": "VN"})
    assert advanced_computing.RULE.evaluate(case, ctx).outcome is expected


@pytest.mark.parametrize(
    ("setting", "destination", "expected"),
    [
        ("macau or d:5", "VE", APPLIES),
        ("prc or macau", "VE", NOT),
        ("prc or macau", "MO", APPLIES),
        ("unresolved", "CN", APPLIES),
    ],
)
def test_supercomputer_reading(setting: str, destination: str, expected: RuleOutcome) -> None:
    case = build(
        {**I_CASE, "destination": destination, "settings": {"supercomputer_scope": setting}}
    )
    assert supercomputer.RULE.evaluate(case, CTX).outcome is expected


def test_supercomputer_in_china_reached_through_onward_destination() -> None:
    # Parts shipped to Malaysia for a supercomputer that will sit in China.
    case = build({**I_CASE, "destination": "MY", "knowledge.onward_destinations": ["CN"]})
    assert supercomputer.RULE.evaluate(case, CTX).outcome is APPLIES


# --- footnotes 1 vs 4 vs 5 ------------------------------------------------------------

FN_RULES = {1: entity_list.FOOTNOTE_1, 4: entity_list.FOOTNOTE_4, 5: entity_list.FOOTNOTE_5}


@pytest.mark.parametrize("footnote", [1, 4, 5])
def test_each_footnote_reaches_only_its_own_rule(footnote: int) -> None:
    # 3B001.e equipment made with 3E001 technology: in the product scope of all three.
    case = build(
        {
            "item.eccn": "3B001.e",
            TECH: [tech("3E001", False)],
            "parties.0.entity_list": {"listed": True, "footnotes": [footnote]},
            "destination": "CN",
        }
    )
    outcomes = {n: rule.evaluate(case, CTX).outcome for n, rule in FN_RULES.items()}
    assert outcomes == {n: APPLIES if n == footnote else NOT for n in FN_RULES}


def test_footnote_5_needs_a_3b_commodity_but_footnote_1_does_not() -> None:
    case = build(
        {
            "item.eccn": "EAR99",
            TECH: [tech("3E001", False)],
            "parties.0.entity_list": {"listed": True, "footnotes": [1, 5]},
            "destination": "CN",
        }
    )
    assert entity_list.FOOTNOTE_1.evaluate(case, CTX).outcome is APPLIES
    fn5 = entity_list.FOOTNOTE_5.evaluate(case, CTX)
    assert fn5.outcome is NOT
    assert fn5.product_scope.outcome == "not met"


def test_footnote_4_list_includes_5e002_but_footnote_1_list_does_not() -> None:
    case = build(
        {
            TECH: [tech("5E002", False)],
            "parties.0.entity_list": {"listed": True, "footnotes": [1, 4]},
            "destination": "CN",
        }
    )
    assert entity_list.FOOTNOTE_4.evaluate(case, CTX).outcome is APPLIES
    assert entity_list.FOOTNOTE_1.evaluate(case, CTX).outcome is NOT


def test_knowledge_of_listed_entity_production_meets_end_user_scope() -> None:
    # Upstream supply: the buyer is not listed, but the output is for a Huawei entity.
    case = build({TECH: [tech("3E001", False)], "knowledge.listed_entity_production": [1]})
    assert entity_list.FOOTNOTE_1.evaluate(case, CTX).outcome is APPLIES


# --- inconclusive screening -----------------------------------------------------------

PRODUCT_MET = {
    "item.eccn": "3B001.e",
    TECH: [tech("3E001", False)],
    "destination": "CN",
    "parties.0.entity_list": None,
}


@pytest.mark.parametrize("footnote", [1, 4, 5])
def test_review_level_screening_makes_entity_list_rules_indeterminate(footnote: int) -> None:
    review = EvalContext(
        parties_footnotes=(
            PartyFootnotes(
                role="end user",
                name="Example Trading Sdn Bhd",
                footnotes=frozenset(),
                screening_inconclusive=True,
            ),
        )
    )
    result = FN_RULES[footnote].evaluate(build(PRODUCT_MET), review)
    assert result.outcome is INDET
    assert "parties[0].entity_list" in result.missing_facts


def test_clear_screening_lets_entity_list_rules_not_apply() -> None:
    clear = EvalContext(
        parties_footnotes=(PartyFootnotes(role="end user", screening_inconclusive=False),)
    )
    for rule in FN_RULES.values():
        assert rule.evaluate(build(PRODUCT_MET), clear).outcome is NOT


def test_footnotes_found_by_the_engine_are_used() -> None:
    found = EvalContext(
        parties_footnotes=(
            PartyFootnotes(role="end user", footnotes=frozenset({5}), screening_inconclusive=False),
        )
    )
    assert entity_list.FOOTNOTE_5.evaluate(build(PRODUCT_MET), found).outcome is APPLIES


def test_inconclusive_other_party_does_not_hide_a_listed_one() -> None:
    ctx = EvalContext(
        parties_footnotes=(
            PartyFootnotes(role="purchaser", screening_inconclusive=True),
            PartyFootnotes(role="end user", footnotes=frozenset({1}), screening_inconclusive=False),
        )
    )
    assert entity_list.FOOTNOTE_1.evaluate(build(PRODUCT_MET), ctx).outcome is APPLIES


# --- Affiliates rule (90 FR 47201) ----------------------------------------------------

AFFILIATE = {
    TECH: [tech("3E001", False)],
    "destination": "CN",
    "parties.0.entity_list": {"listed": False},
}


def test_affiliate_ownership_unknown_while_rule_in_force_is_indeterminate() -> None:
    case = build({**AFFILIATE, "export_date": "2025-10-15", "parties.0.affiliate_of_listed": None})
    result = entity_list.FOOTNOTE_1.evaluate(case, CTX)
    assert result.outcome is INDET
    assert "parties[0].entity_list" in result.missing_facts


def test_affiliate_of_footnote_1_entity_is_reached_while_rule_in_force() -> None:
    changes = {
        **AFFILIATE,
        "parties.0.affiliate_of_listed": True,
        "parties.0.affiliate_footnotes": [1],
    }
    in_force = build({**changes, "export_date": "2025-10-15"})
    suspended = build({**changes, "export_date": "2026-06-01"})
    assert entity_list.FOOTNOTE_1.evaluate(in_force, CTX).outcome is APPLIES
    assert entity_list.FOOTNOTE_1.evaluate(suspended, CTX).outcome is NOT


# --- dated provisions and AI Diffusion ------------------------------------------------


@pytest.mark.parametrize(
    ("ai_diffusion", "export_date", "expected"),
    [
        ("as written", "2026-06-01", APPLIES),
        ("as enforced", "2026-06-01", NOT),
        ("as written", "2024-12-01", NOT),  # before 90 FR 4544 took effect
    ],
)
def test_ai_diffusion_setting_for_advanced_computing_to_germany(
    ai_diffusion: str, export_date: str, expected: RuleOutcome
) -> None:
    case = build(
        {
            **H_CASE,
            "destination": "DE",
            "export_date": export_date,
            "settings": {"ai_diffusion": ai_diffusion},
        }
    )
    assert advanced_computing.RULE.evaluate(case, CTX).outcome is expected


def test_ai_weights_not_in_force_before_ai_diffusion() -> None:
    case = build(
        {
            "item.eccn": "4E091",
            "item.kind": "technology",
            PLANT: ["3E001"],
            "settings": {"ai_diffusion": "as written"},
            "export_date": "2024-12-01",
        }
    )
    result = ai_weights.RULE.evaluate(case, CTX)
    assert result.outcome is NOT
    assert result.destination_scope.outcome == "not met"


@pytest.mark.parametrize(
    ("export_date", "expected"),
    [("2022-03-15", NOT), ("2022-05-01", APPLIES)],
)
def test_russia_category_1_technology_counts_only_from_2022_04_08(
    export_date: str, expected: RuleOutcome
) -> None:
    case = build(
        {
            "item.eccn": "1A001.a",
            TECH: [tech("1E001")],
            "destination": "RU",
            "export_date": export_date,
        }
    )
    assert russia_belarus.RULE.evaluate(case, CTX).outcome is expected


def test_russia_partner_country_note_does_not_change_scope() -> None:
    case = build(
        {
            "item.eccn": "5A992.c",
            "item.exported_from": "JP",
            TECH: [tech("3E991")],
            "destination": "BY",
        }
    )
    result = russia_belarus.RULE.evaluate(case, CTX)
    assert result.outcome is APPLIES
    assert any("Supp. No. 3 to 15 CFR part 746" in r for r in result.reasons)


def test_russia_rule_reaches_ear99_items_only_when_listed_in_supplements() -> None:
    changes = {TECH: [tech("3E991")], "destination": "RU"}
    listed = build({**changes, "item.listed_in_part746_supplements": True})
    unlisted = build({**changes, "item.listed_in_part746_supplements": False})
    assert russia_belarus.RULE.evaluate(listed, CTX).outcome is APPLIES
    assert russia_belarus.RULE.evaluate(unlisted, CTX).outcome is NOT


@pytest.mark.parametrize(
    ("export_date", "expected"),
    [("2024-07-01", NOT), ("2024-08-01", APPLIES)],
)
def test_iran_government_party_prong_from_2024_07_23(
    export_date: str, expected: RuleOutcome
) -> None:
    case = build(
        {
            "item.eccn": "5A991",
            TECH: [tech("3E991")],
            "destination": "AE",
            "parties.0.government_of_iran": True,
            "export_date": export_date,
        }
    )
    assert iran.RULE.evaluate(case, CTX).outcome is expected


@pytest.mark.parametrize(
    ("export_date", "expected"),
    [("2024-01-15", NOT), ("2024-08-01", APPLIES)],
)
def test_iran_category_6_technology_counts_only_after_2024(
    export_date: str, expected: RuleOutcome
) -> None:
    case = build(
        {
            "item.eccn": "6A003.b",
            TECH: [tech("6E001")],
            "destination": "IR",
            "export_date": export_date,
        }
    )
    assert iran.RULE.evaluate(case, CTX).outcome is expected


def test_us_origin_rules_ignore_foreign_technology_entity_list_does_not() -> None:
    foreign = build(
        {
            "item.eccn": "9A515.a",
            TECH: [tech("9E515", us_origin=False)],
            "destination": "CN",
        }
    )
    assert x515.RULE.evaluate(foreign, CTX).outcome is NOT
    subject = build(
        {
            TECH: [tech("3E001", us_origin=False)],
            "parties.0.entity_list": {"listed": True, "footnotes": [1]},
            "destination": "CN",
        }
    )
    assert entity_list.FOOTNOTE_1.evaluate(subject, CTX).outcome is APPLIES


def test_results_are_deterministic() -> None:
    case = build({**PRODUCT_MET, "parties.0.entity_list": {"listed": True, "footnotes": [5]}})
    first = [r.evaluate(case, CTX).model_dump_json() for r in ALL_RULES]
    second = [r.evaluate(case, CTX).model_dump_json() for r in ALL_RULES]
    assert first == second


def test_every_result_carries_its_citations() -> None:
    case = build({**PRODUCT_MET, "parties.0.entity_list": {"listed": True, "footnotes": [5]}})
    for rule in ALL_RULES:
        result = rule.evaluate(case, CTX)
        paragraph = rule.rule_id.removeprefix("734.9")
        assert result.citation == f"15 CFR {rule.rule_id}"
        assert result.product_scope.citation.startswith(f"15 CFR 734.9{paragraph}(")
        assert result.destination_scope.citation.startswith(f"15 CFR 734.9{paragraph}(")
        assert result.license_citations
        assert all("15 CFR" in c for c in result.license_citations)
