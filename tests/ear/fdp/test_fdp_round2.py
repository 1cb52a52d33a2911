"""Round-2 gaps: .y paragraphs and NS, new case fields, readings from the case file, rule start
dates, Crimea in 734.9(f). Expected values come from the regulation, not from the code."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fdp_cases import APPLIES, BASE, CTX, INDET, NOT, PLANT, TECH, build, tech
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance.ear.case import Case
from compliance.ear.eccn import parse_eccn
from compliance.ear.fdp import ALL_RULES, Outcome, RuleOutcome
from compliance.ear.fdp.effective import RULE_STARTS
from compliance.ear.fdp.national_security import ns_status

RULES = {rule.rule_id: rule for rule in ALL_RULES}


def outcome(rule_id: str, changes: dict[str, Any]) -> RuleOutcome:
    return RULES[rule_id].evaluate(build(changes), CTX).outcome


# --- a. "entire entry except .y" rows -------------------------------------------------------


@pytest.mark.parametrize(
    ("eccn", "expected"),
    [
        ("9A515.y", Outcome.NOT_MET),  # NS1: entire entry except .e, .x, .y
        ("9A610.y", Outcome.NOT_MET),  # NS1: entire entry except .b, .y
        ("9A610.x", Outcome.MET),
        ("9A515.x", Outcome.MET),  # NS2 row for .x
        ("9A515", Outcome.UNKNOWN),  # stops above the excluded paragraphs
    ],
)
def test_ns_status_honours_excluded_paragraphs(eccn: str, expected: Outcome) -> None:
    assert ns_status(parse_eccn(eccn)) is expected


def test_y_item_is_outside_the_ns_rule() -> None:
    changes = {TECH: [tech("3E001")], "destination": "CN"}
    assert outcome("734.9(b)", {**changes, "item.eccn": "9A610.y"}) is NOT
    assert outcome("734.9(b)", {**changes, "item.eccn": "9A610.x"}) is APPLIES


# --- c. new case fields -----------------------------------------------------------------------

SUPER = {
    TECH: [tech("3E001", us_origin=False)],
    "knowledge.supercomputer_end_use": True,
    "destination": "SG",
}


@pytest.mark.parametrize(
    ("where", "expected"), [("CN", APPLIES), ("MO", APPLIES), ("JP", NOT), (None, APPLIES)]
)
def test_supercomputer_location_decides_734_9_i(where: str | None, expected: RuleOutcome) -> None:
    changes = {**SUPER, "knowledge.supercomputer_location": where}
    if where is None:
        changes["knowledge.onward_destinations"] = None
    assert outcome("734.9(i)", changes) is expected


TECH_ITEM = {
    "item.eccn": "3E001",
    "item.kind": "technology",
    TECH: [tech("3D001")],
    "destination": "MY",
}


@pytest.mark.parametrize(
    ("hq", "mask", "expected"),
    [
        ("CN", True, APPLIES),  # developed by a PRC-headquartered entity, for masks
        ("MO", True, APPLIES),  # Macau named with D:5
        ("JP", True, NOT),
        ("CN", False, NOT),
        (None, True, INDET),
        ("CN", None, INDET),
    ],
)
def test_headquarters_prong_of_734_9_h(hq: str | None, mask: bool | None, expected: Any) -> None:
    changes = {
        **TECH_ITEM,
        "item.technology_for_3a090_4a090": True,
        "item.developer_headquarters_country": hq,
        "item.for_mask_or_wafer_production": mask,
    }
    assert outcome("734.9(h)", changes) is expected


def test_3e001_technology_must_be_for_3a090() -> None:
    changes = {**TECH_ITEM, "destination": "CN"}
    assert outcome("734.9(h)", {**changes, "item.technology_for_3a090_4a090": True}) is APPLIES
    assert outcome("734.9(h)", {**changes, "item.technology_for_3a090_4a090": False}) is NOT
    result = RULES["734.9(h)"].evaluate(build(changes), CTX)
    assert result.outcome is INDET
    assert "item.technology_for_3a090_4a090" in result.missing_facts


ONWARD_RU = {
    "item.eccn": "5A992.c",
    TECH: [tech("3E991")],
    "destination": "KZ",
    "knowledge.onward_destinations": ["RU"],
}


@pytest.mark.parametrize(
    ("eccns", "expected"),
    [(["5A992.c"], APPLIES), (["EAR99"], NOT), (None, INDET), (["EAR99", "4A994.b"], APPLIES)],
)
def test_onward_prong_of_734_9_f_needs_non_ear99_items(eccns: Any, expected: Any) -> None:
    changes = {**ONWARD_RU, "knowledge.onward_item_eccns": eccns}
    assert outcome("734.9(f)", changes) is expected


def test_onward_prong_of_734_9_j_leaves_ear99_items_open() -> None:
    base = {"item.eccn": "5A991", TECH: [tech("3E991")], "destination": "AE"}
    base["knowledge.onward_destinations"] = ["IR"]
    assert outcome("734.9(j)", {**base, "knowledge.onward_item_eccns": ["5A991"]}) is APPLIES
    # an EAR99 onward item may be in Supp. No. 7 to part 746: not decidable, never cleared
    assert outcome("734.9(j)", {**base, "knowledge.onward_item_eccns": ["EAR99"]}) is INDET


@pytest.mark.parametrize(
    ("supplements", "f_expected", "j_expected"),
    [([7], APPLIES, APPLIES), ([4], APPLIES, NOT), ([], NOT, NOT)],
)
def test_part_746_supplements_are_separate(
    supplements: list[int], f_expected: RuleOutcome, j_expected: RuleOutcome
) -> None:
    base = {
        "item.eccn": "EAR99",
        "item.listed_in_part746_supplements": None,
        "item.part746_supplements": supplements,
        TECH: [tech("3E991")],
    }
    assert outcome("734.9(f)", {**base, "destination": "RU"}) is f_expected
    assert outcome("734.9(j)", {**base, "destination": "IR"}) is j_expected


def test_listed_in_some_supplement_does_not_say_supplement_7() -> None:
    changes = {
        "item.eccn": "EAR99",
        "item.listed_in_part746_supplements": True,
        TECH: [tech("3E991")],
        "destination": "IR",
    }
    result = RULES["734.9(j)"].evaluate(build(changes), CTX)
    assert result.outcome is INDET
    assert result.missing_facts == ("item.part746_supplements",)


def test_supplement_flags_must_agree() -> None:
    data: dict[str, Any] = {**BASE, "item": {**BASE["item"], "part746_supplements": [7]}}
    data["item"]["listed_in_part746_supplements"] = False
    with pytest.raises(ValidationError, match="part746_supplements"):
        Case.model_validate(data)
    data["item"]["part746_supplements"] = [3]
    with pytest.raises(ValidationError, match="2, 4, 6 and 7"):
        Case.model_validate(data)


FACILITY = {
    "item.eccn": "3B993",
    TECH: [tech("3E001", us_origin=False)],
    "knowledge.advanced_node_ic_production": None,
}


@pytest.mark.parametrize(
    ("flag", "where", "destination", "expected"),
    [
        (True, None, "CN", APPLIES),
        (True, "MO", "SG", APPLIES),  # facility in Macau, shipped via Singapore
        (True, "KR", "KR", NOT),
        (False, None, "CN", NOT),
    ],
)
def test_advanced_node_facility_of_734_9_e_3(
    flag: bool, where: str | None, destination: str, expected: RuleOutcome
) -> None:
    changes = {
        **FACILITY,
        "destination": destination,
        "knowledge.for_advanced_node_facility": flag,
        "knowledge.advanced_node_facility_country": where,
    }
    assert outcome("734.9(e)(3)", changes) is expected


# --- d. readings from the case file -----------------------------------------------------------

ACCEL = {"item.eccn": "3A090.a", TECH: [tech("3E001", us_origin=False)], "destination": "VN"}


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("unresolved", INDET),
        ("macau or d:5", NOT),
        ("macau, d:1, d:4 or d:5 (not a:5/a:6)", APPLIES),
    ],
)
def test_advanced_computing_scope_is_a_case_setting(reading: str, expected: RuleOutcome) -> None:
    changes = {**ACCEL, "knowledge.onward_destinations": [], "settings": {}}
    changes["settings"] = {"advanced_computing_scope": reading}
    assert outcome("734.9(h)", changes) is expected


def test_bad_reading_names_the_field() -> None:
    data: dict[str, Any] = {**BASE, "settings": {"advanced_computing_scope": "everywhere"}}
    with pytest.raises(ValidationError, match="advanced_computing_scope"):
        Case.model_validate(data)


# --- e. rule start dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "changes", "before", "after"),
    [
        (  # 85 FR 29849, 2020-05-15
            "734.9(e)(1)",
            {
                TECH: [tech("3E001", us_origin=False)],
                "parties.0.entity_list": {"listed": True, "footnotes": [1]},
            },
            "2020-05-14",
            "2020-05-15",
        ),
        (  # 87 FR 12226, 2022-02-24
            "734.9(f)",
            {"item.eccn": "5A992.c", TECH: [tech("3E991")], "destination": "RU"},
            "2022-02-23",
            "2022-02-24",
        ),
        (  # Belarus: 87 FR 13048, 2022-03-02
            "734.9(f)",
            {"item.eccn": "5A992.c", TECH: [tech("3E991")], "destination": "BY"},
            "2022-03-01",
            "2022-03-02",
        ),
        (  # Crimea: 88 FR 33422, 2023-05-19
            "734.9(f)",
            {"item.eccn": "5A992.c", TECH: [tech("3E991")], "destination": "Crimea"},
            "2023-05-18",
            "2023-05-19",
        ),
        (  # 88 FR 12150, 2023-02-24
            "734.9(j)",
            {"item.eccn": "5A991", TECH: [tech("3E991")], "destination": "IR"},
            "2023-02-23",
            "2023-02-24",
        ),
        (  # Macau added to 734.9(h) by 88 FR 2821, 2023-01-17
            "734.9(h)",
            {"item.eccn": "3A090.a", TECH: [tech("3E001", False)], "destination": "MO"},
            "2023-01-16",
            "2023-01-17",
        ),
        (  # 89 FR 96790, compliance date 2024-12-31
            "734.9(k)",
            {"item.eccn": "3B001.c", TECH: [tech("3E992")], "destination": "CN"},
            "2024-12-30",
            "2024-12-31",
        ),
    ],
)
def test_no_rule_reaches_exports_made_before_it_existed(
    rule_id: str, changes: dict[str, Any], before: str, after: str
) -> None:
    assert outcome(rule_id, {**changes, "export_date": before}) is NOT
    assert outcome(rule_id, {**changes, "export_date": after}) is APPLIES


def test_before_the_start_date_the_reason_cites_the_rule() -> None:
    case = build({"item.eccn": "5A991", TECH: [tech("3E991")], "destination": "IR",
                  "export_date": "2023-01-01"})  # fmt: skip
    result = RULES["734.9(j)"].evaluate(case, CTX)
    assert any("88 FR 12150" in r for r in result.reasons)


def test_hong_kong_was_inside_734_9_h_before_macau() -> None:
    changes = {**ACCEL, "destination": "HK", "export_date": "2022-12-01"}
    assert outcome("734.9(h)", changes) is APPLIES  # Hong Kong is China (85 FR 83765)


# --- f. Crimea and the covered regions of Ukraine ----------------------------------------------


@pytest.mark.parametrize(
    ("destination", "expected"),
    [("Crimea", APPLIES), ("Sevastopol", APPLIES), ("Donetsk", INDET), ("UA", NOT)],
)
def test_crimea_is_inside_734_9_f(destination: str, expected: RuleOutcome) -> None:
    changes = {"item.eccn": "5A992.c", TECH: [tech("3E991")], "destination": destination}
    assert outcome("734.9(f)", changes) is expected


@pytest.mark.parametrize(
    ("eccn", "in_scope"),
    [("3B001.g", False), ("3B001.c", False), ("3B001.e", True), ("3B993.f.1", True)],
)
def test_734_4_a_9_and_734_9_e_3_share_one_item_scope(eccn: str, in_scope: bool) -> None:
    from compliance.ear.de_minimis import zero_categories

    changes = {
        "item.eccn": eccn,
        "destination": "CN",
        "bom": [{"description": "IC", "origin_country": "US", "eccn": "3A991.a",
                 "value": "1", "is_integrated_circuit": True}],
        TECH: [tech("3E001", us_origin=False)],
        "parties.0.entity_list": {"listed": True, "footnotes": [5]},
    }  # fmt: skip
    case = build(changes)
    (a9,) = (z for z in zero_categories(case, "CN", Outcome.MET) if z.paragraph == "734.4(a)(9)")
    fdp = RULES["734.9(e)(3)"].evaluate(case, CTX)
    assert (a9.outcome is Outcome.MET) is in_scope
    assert (fdp.outcome is APPLIES) is in_scope


@given(st.sampled_from(sorted(RULE_STARTS)), st.dates(date(2015, 1, 1), date(2030, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_no_rule_applies_before_its_start_date(rule_id: str, day: date) -> None:
    # a case every rule's product and destination scopes could reach, if the date allowed
    case = build(
        {
            "item.eccn": "3B001.c",
            "destination": "CN",
            TECH: [tech("3E001"), tech("3D992")],
            PLANT: ["3E001"],
            "parties.0.entity_list": {"listed": True, "footnotes": [1, 3, 4, 5]},
            "export_date": day.isoformat(),
        }
    )
    result = RULES[rule_id].evaluate(case, CTX)
    if day < RULE_STARTS[rule_id].on:
        assert result.outcome is NOT
        assert any(RULE_STARTS[rule_id].source in r for r in result.reasons)
