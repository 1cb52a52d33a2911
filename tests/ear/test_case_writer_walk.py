"""Gaps found walking issue 10 as a case writer (branch ear2): each test failed before its fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from compliance.ear.case import Case, InputList
from compliance.ear.determination import Subject, evaluate
from compliance.ear.reference._data import load
from compliance.ear.suite import load_suite

MINIMAL: dict[str, Any] = {
    "item": {"description": "controller"},
    "destination": "CN",
    "export_date": "2026-03-01",
}


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("on the 734.9(e)(1) list", InputList.E1),
        ("on the (e)(2) list", InputList.E2),
        ("3B001/3B090 equipment", InputList.SME_3B),
        ("NS-controlled technology of Category 3", InputList.NS_CAT3),
        ("734.9(e)(3)/(k) plant list", InputList.E3_K),
    ],
)
def test_on_list_takes_the_issues_own_phrasings(said: str, meant: InputList) -> None:
    """Issue 10 section 1: an input "may be described by list membership ('on the
    734.9(e)(1) list', ...)"; ``on_list`` took only the canonical names, ``eccn`` took both."""
    data = {**MINIMAL, "production": {"technology_and_software": [{"on_list": said}]}}
    used = Case.model_validate(data).production.technology_and_software
    assert used is not None and used[0].on_list is meant and used[0].ref == meant.value


def test_on_list_refuses_an_ecccn_and_a_stranger() -> None:
    for bad in ("3E001", "the export list"):
        data = {**MINIMAL, "production": {"technology_and_software": [{"on_list": bad}]}}
        with pytest.raises(ValidationError, match="on_list"):
            Case.model_validate(data)


def test_an_input_naming_two_different_things_is_an_error_not_a_guess() -> None:
    data = {
        **MINIMAL,
        "production": {"technology_and_software": [{"eccn": "3E001", "on_list": "(e)(2)"}]},
    }
    with pytest.raises(ValidationError, match="on_list"):
        Case.model_validate(data)
    same = {
        **MINIMAL,
        "production": {"technology_and_software": [{"eccn": "(e)(2)", "on_list": "(e)(2) list"}]},
    }
    Case.model_validate(same)  # the same list twice is not a conflict


def test_every_question_of_an_all_unknown_case_is_phrased_for_an_officer() -> None:
    """An all-unknown case asked "What is parties?": a raw field path, and a question the
    transaction-wide "Confirm: the Government of Iran is not a party" already settles."""
    templates = load("questions.yaml")["questions"]
    for destination in ("CN", "DE", "IR", "RU", "MO"):
        d = evaluate(Case.model_validate({**MINIMAL, "destination": destination}))
        assert d.subject is Subject.INDETERMINATE
        facts = [q.fact for q in d.questions]
        assert len(facts) == len(set(facts))
        for q in d.questions:
            assert q.question != f"What is {q.fact}?", q
            assert q.fact in templates or re.sub(r"\[\d+\]", "[]", q.fact) in templates, q


def test_every_deciding_fact_of_the_case_suite_has_a_question() -> None:
    templates = load("questions.yaml")["questions"]
    for entry in load_suite(Path(__file__).parent / "cases"):
        for q in evaluate(entry.case).questions:
            pattern = re.sub(r"\[\d+\]", "[]", q.fact)
            assert q.fact in templates or pattern in templates, (entry.name, q)


def test_no_parties_and_no_iran_knowledge_asks_the_transaction_wide_question_once() -> None:
    d = evaluate(Case.model_validate(MINIMAL))  # China: 734.9(j) turns on an Iran party
    facts = [q.fact for q in d.questions]
    assert "knowledge.government_of_iran_party" in facts
    assert "parties" not in facts


@pytest.mark.parametrize("us", ["US", "United States", "us"])
def test_the_united_states_as_destination_is_an_error_naming_the_field(us: str) -> None:
    """Found by fuzzing the suite's cases: a U.S.-origin item "destined" to the U.S. crashed
    the license step (the Country Chart has no U.S. row, 15 CFR 738 Supp. No. 1); a foreign
    item got "not subject" although it is subject once in the U.S. (15 CFR 734.3(a)(1))."""
    for made in ("US", "DE"):
        data = {
            **MINIMAL,
            "destination": us,
            "item": {"description": "x", "country_of_manufacture": made},
        }
        with pytest.raises(ValidationError, match=r"destination.*734\.3\(a\)\(1\)"):
            Case.model_validate(data)


def test_item_only_no_de_minimis_categories_stay_closed_without_controlled_content() -> None:
    """734.4(a)(1) and (a)(3) bite only on controlled U.S. content (``NEEDS_CONTROLLED``): with
    EAR99 U.S. content alone, an unknown item ECCN must not keep them open (found scoring
    holdout3: a packaging machine with a U.S. EAR99 motor asked for the item's ECCN)."""
    data = {
        **MINIMAL,
        "item": {"description": "packaging machine", "country_of_manufacture": "IT",
                 "exported_from": "IT", "price": "100000"},
        "bom": [{"description": "U.S. motor", "origin_country": "US", "eccn": "EAR99",
                 "value": "40000", "is_integrated_circuit": "no"}],
        "parties": [{"role": "end user", "name": "Bottler", "entity_list": {"listed": False}}],
        "knowledge": {"entity_list_party": "no", "listed_entity_production": []},
        "destination": "DE",
    }  # fmt: skip
    dm = evaluate(Case.model_validate(data)).de_minimis
    assert dm.outcome.value == "no calculation needed", (dm.basis, dm.reasons)
    assert "item.eccn" not in dm.missing_facts
    line = {**data["bom"][0], "eccn": "3A001.a.1", "value": "10000"}  # 10 %: below 25 %
    controlled = {**data, "bom": [line], "destination": "VN"}
    still_open = evaluate(Case.model_validate(controlled)).de_minimis
    assert any("734.4(a)(3)" in r for r in still_open.reasons)  # controlled content: still asked


ROUTER: dict[str, Any] = {
    "item": {"description": "router", "eccn": "5A991.b", "country_of_manufacture": "CN",
             "exported_from": "CN"},
    "bom": [],
    "production": {"technology_and_software": [{"eccn": "5E991", "us_origin": "yes"}],
                   "plant_direct_product_of": []},
    "knowledge": {"listed_entity_production": [], "affiliate_of_listed_party": "no"},
    "destination": "CN",
    "export_date": "2026-03-01",
}  # fmt: skip


def test_listed_party_without_its_footnotes_leaves_the_footnote_rules_open() -> None:
    """``listed: true`` with the footnotes left out was read as "no footnote": the engine
    assumed "no" (issue 10 section 2). Unknown footnotes keep 734.9(e)(1) open and ask for
    them; ``footnotes: []`` still says "listed, no footnote"."""
    party = {"role": "end user", "name": "Listed buyer", "entity_list": {"listed": True}}
    d = evaluate(Case.model_validate({**ROUTER, "parties": [party]}))
    rule = next(r for r in d.fdp if r.rule_id == "734.9(e)(1)")
    assert rule.outcome.value == "indeterminate"
    assert d.subject is Subject.INDETERMINATE
    assert any(q.fact == "parties[0].entity_list" for q in d.questions)
    none = {**party, "entity_list": {"listed": True, "footnotes": []}}
    d = evaluate(Case.model_validate({**ROUTER, "parties": [none]}))
    assert next(r for r in d.fdp if r.rule_id == "734.9(e)(1)").outcome.value == "does not apply"
    fn1 = {**party, "entity_list": {"listed": True, "footnotes": [1]}}
    d = evaluate(Case.model_validate({**ROUTER, "parties": [fn1]}))
    assert d.subject is Subject.YES


def test_affiliate_without_its_owners_footnotes_leaves_the_footnote_rules_open() -> None:
    """Affiliates rule in force (export after 2026-11-09, default setting): a party 50 % owned
    by listed parties whose footnotes are not given is not "owned by no footnote entity"."""
    party = {
        "role": "end user",
        "name": "Subsidiary",
        "entity_list": {"listed": False},
        "affiliate_of_listed": "yes",
    }
    case = {**ROUTER, "export_date": "2026-12-01", "parties": [party]}
    case["knowledge"] = {"listed_entity_production": []}
    d = evaluate(Case.model_validate(case))
    assert next(r for r in d.fdp if r.rule_id == "734.9(e)(1)").outcome.value == "indeterminate"
    known = {**party, "affiliate_footnotes": []}
    d = evaluate(Case.model_validate({**case, "parties": [known]}))
    assert next(r for r in d.fdp if r.rule_id == "734.9(e)(1)").outcome.value == "does not apply"
