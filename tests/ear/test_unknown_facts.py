"""Issue 10: every fact may be unknown, negative knowledge is cheap, bad input is named."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ear_case_factory import BASE, line, with_changes
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance.ear.case import Case, read_cases
from compliance.ear.de_minimis import DeMinimisOutcome
from compliance.ear.determination import Subject, evaluate
from compliance.ear.fdp.base import RuleOutcome


def case(changes: dict[str, Any] | None = None) -> Case:
    """BASE changed by dotted paths; ``parties[0].x`` changes the first party."""
    changes = dict(changes or {})
    first = {
        k.removeprefix("parties[0]."): changes.pop(k)
        for k in list(changes)
        if k.startswith("parties[0].")
    }
    if first:
        changes["parties"] = [{**BASE["parties"][0], **first}]
    return Case.model_validate(with_changes(BASE, changes))


def rule(c: Case, rule_id: str) -> RuleOutcome:
    return next(r.outcome for r in evaluate(c).fdp if r.rule_id == rule_id)


# --- 1. every fact may be unknown ----------------------------------------------------------


def test_minimal_case_needs_only_description_destination_and_date() -> None:
    c = Case.model_validate(
        {"item": {"description": "x"}, "destination": "DE", "export_date": "2026-01-01"}
    )
    d = evaluate(c)
    assert d.subject is Subject.INDETERMINATE
    assert "item.country_of_manufacture" in d.deciding_facts
    assert d.questions and d.questions[0].question


def test_unknown_item_eccn_leaves_item_scoped_rules_open_but_others_decide() -> None:
    c = case(
        {
            "item.eccn": None,
            "production.technology_and_software": [
                {"eccn": "3E001", "us_origin": True, "written_assurance": "given"}
            ],
        }
    )
    d = evaluate(c)
    outcomes = {r.rule_id: r for r in d.fdp}
    assert outcomes["734.9(b)"].outcome is RuleOutcome.DOES_NOT_APPLY  # DE is not D:1
    c_cn = case(
        {
            "item.eccn": None,
            "destination": "CN",
            "production.technology_and_software": [
                {"eccn": "3E001", "us_origin": True, "written_assurance": "given"}
            ],
        }
    )
    ns = next(r for r in evaluate(c_cn).fdp if r.rule_id == "734.9(b)")
    assert ns.outcome is RuleOutcome.INDETERMINATE and "item.eccn" in ns.missing_facts


def test_non_us_place_is_foreign_but_not_a_partner_country() -> None:
    c = case({"item.country_of_manufacture": "non-US", "item.exported_from": "outside the US"})
    assert evaluate(c).jurisdiction.outcome.value == "not subject"
    russia = case(
        {"item.exported_from": "non-US", "destination": "RU", "bom": [line("400", "3A991.a.1")]}
    )
    account = evaluate(russia).de_minimis.lines[0]
    assert account.status.value == "unknown" and "exported_from" in account.reason


def test_non_us_bom_line_needs_no_eccn_or_value() -> None:
    c = case({"bom": [{"description": "motor", "origin_country": "non-US"}]})
    assert evaluate(c).de_minimis.outcome is DeMinimisOutcome.NO_CALCULATION


def test_us_line_without_eccn_is_unknown_unless_it_carries_a_license_decision() -> None:
    open_line = case(
        {
            "destination": "CN",
            "bom": [{"description": "chip", "origin_country": "US", "value": "500"}],
        }
    )
    assert "bom[0].eccn" in evaluate(open_line).de_minimis.missing_facts
    decided = case(
        {
            "destination": "CN",
            "bom": [
                {
                    "description": "chip",
                    "origin_country": "US",
                    "value": "500",
                    "license_override": {"counts": True, "reason": "NS2"},
                }
            ],
        }
    )
    assert evaluate(decided).de_minimis.outcome is DeMinimisOutcome.SUBJECT


def test_price_unknown_is_needed_only_for_controlled_content() -> None:
    none = case({"item.price": None, "bom": [line("10", "EAR99")]})
    assert evaluate(none).de_minimis.outcome is DeMinimisOutcome.NO_CALCULATION
    some = case({"item.price": None, "destination": "CN", "bom": [line("10", "3A001.a.1")]})
    assert "item.price" in evaluate(some).de_minimis.missing_facts


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (["734.9(e)(1) list"], RuleOutcome.APPLIES),
        (["on the (e)(2) list"], RuleOutcome.INDETERMINATE),  # 5D002/5E002 are not (e)(1)
        (["3B001/3B090 equipment"], RuleOutcome.APPLIES),
        (["9E003"], RuleOutcome.DOES_NOT_APPLY),
    ],
)
def test_plant_described_by_list_membership(inputs: list[str], expected: RuleOutcome) -> None:
    c = case(
        {
            "production.plant_direct_product_of": inputs,
            "parties[0].entity_list": {"listed": True, "footnotes": [1]},
        }
    )
    assert rule(c, "734.9(e)(1)") is expected


def test_ic_from_qualifying_plant_needs_no_eccn() -> None:
    c = case(
        {
            "item.eccn": "3B001.c",
            "destination": "CN",
            "production.ic_from_qualifying_plant": True,
            "production.ic_plant_direct_product_of": None,
        }
    )
    assert rule(c, "734.9(k)") is RuleOutcome.APPLIES


def test_affiliates_status_unknown_never_applies_through_ownership() -> None:
    changes = {
        "export_date": "2026-12-01",
        "settings": {"affiliates_after_suspension": "unknown"},
        "destination": "CN",
        "production.technology_and_software": [{"eccn": "3E001", "us_origin": True}],
        "parties[0].affiliate_of_listed": True,
        "parties[0].affiliate_footnotes": [1],
    }
    assert rule(case(changes), "734.9(e)(1)") is RuleOutcome.INDETERMINATE
    in_force = {**changes, "settings": {"affiliates_after_suspension": "in force"}}
    assert rule(case(in_force), "734.9(e)(1)") is RuleOutcome.APPLIES


# --- 2. negative knowledge -----------------------------------------------------------------

RU_ONWARD = {
    "destination": "KZ",
    "item.eccn": "4A994.b",
    "knowledge.onward_destinations": None,
    "production.technology_and_software": [{"eccn": "3E991", "us_origin": True}],
}


@pytest.mark.parametrize(
    ("value", "expected"), [("no", RuleOutcome.DOES_NOT_APPLY), (None, RuleOutcome.INDETERMINATE)]
)
def test_scoped_no_knowledge_closes_the_onward_prong(value: Any, expected: RuleOutcome) -> None:
    c = case({**RU_ONWARD, "knowledge.onward_to": {"russia_belarus": value}})
    assert rule(c, "734.9(f)") is expected


def test_no_knowledge_of_d5_implies_none_of_iran() -> None:
    c = case(
        {
            "item.eccn": "4A994.b",
            "knowledge.onward_destinations": None,
            "knowledge.onward_to": {"macau_or_d5": "no"},
            "parties[0].government_of_iran": None,
            "knowledge.government_of_iran_party": "no",
            "production.technology_and_software": [{"eccn": "3E991", "us_origin": True}],
        }
    )
    assert rule(c, "734.9(j)") is RuleOutcome.DOES_NOT_APPLY


def test_transaction_wide_no_listed_party_settles_unscreened_parties() -> None:
    changes = {
        "destination": "CN",
        "production.technology_and_software": [{"eccn": "3E001", "us_origin": False}],
        "parties[0].entity_list": None,
    }
    assert rule(case(changes), "734.9(e)(1)") is RuleOutcome.INDETERMINATE
    told = {**changes, "knowledge.entity_list_party": "no"}
    assert rule(case(told), "734.9(e)(1)") is RuleOutcome.DOES_NOT_APPLY


def test_questions_fold_per_party_facts_into_one_confirmation() -> None:
    c = case(
        {
            "destination": "CN",
            "parties": [
                {"role": "end user", "name": "A"},
                {"role": "purchaser", "name": "B"},
                {"role": "freight forwarder", "name": "C"},
            ],
            "production.technology_and_software": [{"eccn": "3E001", "us_origin": False}],
        }
    )
    d = evaluate(c)
    facts = [q.fact for q in d.questions]
    assert "knowledge.entity_list_party" in facts
    assert not any(f.endswith(".entity_list") for f in facts)
    text = next(q.question for q in d.questions if q.fact == "knowledge.entity_list_party")
    assert text.startswith("Confirm: no party")


def test_listed_freight_forwarder_is_a_party_and_downstream_buyer_is_knowledge() -> None:
    tech = [{"eccn": "3E991", "us_origin": True}]
    fwd = case(
        {
            "production.technology_and_software": tech,
            "parties": [
                BASE["parties"][0],
                {
                    "role": "forwarder",
                    "name": "F",
                    "entity_list": {"listed": True, "footnotes": [1]},
                },
            ],
        }
    )
    assert rule(fwd, "734.9(e)(1)") is RuleOutcome.APPLIES
    buyer = case(
        {
            "production.technology_and_software": tech,
            "parties": [
                BASE["parties"][0],
                {
                    "role": "downstream buyer",
                    "name": "B",
                    "entity_list": {"listed": True, "footnotes": [1]},
                },
            ],
        }
    )
    result = next(r for r in evaluate(buyer).fdp if r.rule_id == "734.9(e)(1)")
    assert result.outcome is RuleOutcome.APPLIES
    assert any("downstream buyer" in r for r in result.reasons)


# --- 3. readings ---------------------------------------------------------------------------

NS = {"item.eccn": "3A001.b.2", "destination": "CN"}


@pytest.mark.parametrize(
    ("assurance", "expected"),
    [
        ("given", RuleOutcome.APPLIES),
        ("not required", RuleOutcome.DOES_NOT_APPLY),
        ("not given", RuleOutcome.DOES_NOT_APPLY),
        ("unknown", RuleOutcome.INDETERMINATE),
    ],
)
def test_written_assurance_decides_734_9_b(assurance: str, expected: RuleOutcome) -> None:
    c = case(
        {
            **NS,
            "production.technology_and_software": [
                {"eccn": "3E001", "us_origin": True, "written_assurance": assurance}
            ],
        }
    )
    assert rule(c, "734.9(b)") is expected


@pytest.mark.parametrize(
    ("dest", "expected"),
    [
        ("VN", RuleOutcome.APPLIES),
        ("KZ", RuleOutcome.APPLIES),
        ("IL", RuleOutcome.DOES_NOT_APPLY),
        ("AE", RuleOutcome.DOES_NOT_APPLY),
        ("MO", RuleOutcome.APPLIES),
        ("IN", RuleOutcome.DOES_NOT_APPLY),
    ],
)
def test_734_9_h_as_enforced_default_reads_d1_d4_outside_a5_a6(
    dest: str, expected: RuleOutcome
) -> None:
    c = case(
        {
            "item.eccn": "3A090.a",
            "destination": dest,
            "production.technology_and_software": [{"eccn": "3E001", "us_origin": False}],
        }
    )
    assert rule(c, "734.9(h)") is expected


def test_partner_country_carve_out_and_iran_treatment_by_the_engine() -> None:
    at_only = [line("400", "3A991.a.1")]
    from_japan = case({"destination": "RU", "item.exported_from": "JP", "bom": at_only})
    from_china = case({"destination": "RU", "item.exported_from": "CN", "bom": at_only})
    assert evaluate(from_japan).de_minimis.lines[0].status.value == "not counted"
    assert "15 CFR 746.8(a)(12)(iii)(B)" in evaluate(from_japan).de_minimis.lines[0].citations
    assert evaluate(from_china).de_minimis.outcome is DeMinimisOutcome.SUBJECT
    iran = case({"destination": "IR", "bom": [line("900", "EAR99")]})
    assert evaluate(iran).de_minimis.outcome is DeMinimisOutcome.NO_CALCULATION


def test_computed_not_subject_differs_from_no_calculation() -> None:
    computed = case({"destination": "CN", "bom": [line("250", "3A001.a.1")]})
    assert evaluate(computed).de_minimis.outcome is DeMinimisOutcome.NOT_SUBJECT
    assert evaluate(case({"bom": []})).de_minimis.outcome is DeMinimisOutcome.NO_CALCULATION


# --- 5. bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["3.000,00", "1,5", "3 000", "1e3", "$300", "3,00.0", ""])
def test_ambiguous_numbers_are_errors_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        case({"item.price": text})
    assert "price" in str(err.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3000", "3000"), ("3000.00", "3000.00"), ("3,000.00", "3000.00"), ("1,234,567", "1234567")],
)
def test_unambiguous_numbers_are_read_exactly(text: str, value: str) -> None:
    assert case({"item.price": text}).item.price == Decimal(value)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2))
def test_grouped_and_plain_numbers_round_trip(value: Decimal) -> None:
    plain = format(value, "f")
    grouped = f"{value:,.2f}"
    assert case({"item.price": plain}).item.price == case({"item.price": grouped}).item.price


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty.yaml", ""),
        ("comments.yaml", "# nothing\n# here\n"),
        ("empty.jsonl", "\n\n"),
        ("empty.json", "[]"),
        ("blank.json", ""),
    ],
)
def test_a_file_without_a_case_is_an_error(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (entry,) = read_cases(path)
    assert entry.case is None and entry.error == f"no case in {path}"


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ["a: &a [1,1,1,1,1,1,1,1,1]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (entry,) = read_cases(path)
    assert entry.error is not None and "aliases" in entry.error


def test_bad_date_names_its_field(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("item: {description: x}\ndestination: DE\nexport_date: 2026-13-45\n")
    (entry,) = read_cases(path)
    assert entry.error is not None and entry.error.startswith("case.export_date")


def test_a_ccl_paragraph_the_entry_lacks_is_an_error_naming_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        case({"item.eccn": "3A999.zz"})
    assert "item.eccn" in str(err.value)
    assert "3A999 has no paragraph .zz" in str(err.value)


def test_an_unchecked_ccl_paragraph_is_an_explicit_warning() -> None:
    d = evaluate(case({"item.eccn": "9A610.y.1"}))
    assert any("9A610.y.1" in w and "not checked" in w for w in d.warnings)


CLI = "import sys; from compliance.cli import main; sys.exit(main())"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# c\n",
        "[1, 2]\n",
        "item: 5\n",
        "- - - [\n",
        "destination: !!python/object:os.system x\n",
        "item: {description: x, price: '1,5'}\ndestination: DE\nexport_date: 2026-01-01\n",
        "item: {description: x, eccn: 3A999.zz}\ndestination: ZZ\nexport_date: 2026-01-01\n",
    ],
)
def test_cli_never_prints_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", CLI, "evaluate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in run.stderr
    assert run.returncode == 32, run.stderr


def test_listed_downstream_buyer_gets_footnote_findings_not_the_party_requirement() -> None:
    buyer = {
        "role": "downstream buyer",
        "name": "B",
        "entity_list": {"listed": True, "footnotes": [1]},
    }
    c = case(
        {
            "production.technology_and_software": [{"eccn": "3E991", "us_origin": True}],
            "parties": [BASE["parties"][0], buyer],
        }
    )
    findings = [f for f in evaluate(c).license_findings if "parties[1]" in f.reason]
    assert findings and all("744.11(a)(2)(i)" in " ".join(f.citations) for f in findings)
    assert not any("is on the Entity List" in f.reason for f in findings)
