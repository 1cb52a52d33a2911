"""The case model: unknown is a value, money is Decimal, bad input names the field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ear_case_factory import build, build_data, line
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance.ear.case import Case, case_schema, format_errors, read_cases

REPO = Path(__file__).resolve().parents[2]


def errors_of(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        Case.model_validate(data)
    return format_errors(info.value)


def test_left_out_facts_are_unknown_not_false() -> None:
    minimal = Case.model_validate(
        {
            "item": {
                "description": "x",
                "eccn": "EAR99",
                "country_of_manufacture": "KR",
                "exported_from": "KR",
                "price": "10",
                "currency": "USD",
            },
            "destination": "DE",
            "export_date": "2026-06-01",
        }
    )
    assert minimal.bom is None
    assert minimal.production.technology_and_software is None
    assert minimal.knowledge.supercomputer_end_use is None
    assert minimal.knowledge.listed_entity_production is None
    assert minimal.item.controlled_by_exporting_country is None


def test_floats_become_exact_decimals() -> None:
    case = build({"item.price": 0.1, "bom": [line(12.5)]})  # type: ignore[arg-type]
    assert case.item.price == Decimal("0.1")
    assert case.bom is not None and case.bom[0].value == Decimal("12.5")


def test_eccn_is_stored_canonically() -> None:
    assert build({"item.eccn": " 3a090 . A "}).item.eccn == "3A090.a"


def test_bad_bom_value_names_row_and_field() -> None:
    data = build_data({"bom": [line("1"), line("2"), line("3"), line("-4")]})
    assert errors_of(data).startswith("case.bom[3].value: ")


def test_boolean_money_is_rejected() -> None:
    assert "boolean" in errors_of(build_data({"bom": [line(True)]}))  # type: ignore[arg-type]


def test_unknown_country_and_eccn_name_the_field() -> None:
    message = errors_of(build_data({"destination": "Atlantis", "item.eccn": "3Q001"}))
    assert "case.destination: " in message and "Atlantis" in message
    assert "case.item.eccn: " in message


def test_yaml_norway_pitfall_is_explained() -> None:
    assert "quote" in errors_of(build_data({"destination": False}))


def test_bom_currency_must_match_item_currency() -> None:
    message = errors_of(build_data({"bom": [line("1", currency="EUR")]}))
    assert "bom[0].currency 'EUR'" in message


def test_footnotes_need_a_listing_and_stay_in_range() -> None:
    assert "listed: false" in errors_of(
        build_data({"parties.0.entity_list": {"listed": False, "footnotes": [1]}})
    )
    assert "1-5" in errors_of(
        build_data({"parties.0.entity_list": {"listed": True, "footnotes": [6]}})
    )


def test_unknown_field_is_rejected_not_ignored() -> None:
    assert "case.item.prise" in errors_of(build_data({"item.prise": "1"}))


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
tri = st.sampled_from([True, False, None])


@settings(max_examples=60, deadline=None)
@given(
    price=money.filter(lambda d: d > 0),
    values=st.lists(money, max_size=6),
    eccns=st.lists(st.sampled_from(["EAR99", "3A001.a.7", "5A992.c", "9A610.y.1"]), min_size=6),
    flag=tri,
    known=st.booleans(),
)
def test_serialising_and_reading_back_changes_nothing(
    price: Decimal, values: list[Decimal], eccns: list[str], flag: bool | None, known: bool
) -> None:
    case = build(
        {
            "item.price": str(price),
            "bom": [line(str(v), eccns[i]) for i, v in enumerate(values)] if known else None,
            "knowledge.military_end_use": flag,
        }
    )
    assert Case.model_validate_json(case.model_dump_json()) == case
    assert Case.model_validate(json.loads(case.model_dump_json())) == case


def test_schema_file_is_current() -> None:
    on_disk = (REPO / "docs" / "ear-case.schema.json").read_text(encoding="utf-8")
    expected = json.dumps(case_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert on_disk == expected, "run compliance.ear.case.write_schema(Path('docs/...'))"


def test_schema_marks_unknowable_facts_nullable() -> None:
    knowledge = case_schema()["$defs"]["Knowledge"]["properties"]["supercomputer_end_use"]
    assert {"type": "null"} in knowledge["anyOf"]


def test_batch_file_keeps_good_rows_around_a_bad_one(tmp_path: Path) -> None:
    good = json.dumps(build_data())
    bad = json.dumps(build_data({"bom": [line("-1")]}))
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{good}\n\n{bad}\nnot json\n{good}\n", encoding="utf-8")
    entries = read_cases(path)
    assert [e.source.rsplit(":", 1)[1] for e in entries] == ["1", "3", "4", "5"]
    assert [e.case is not None for e in entries] == [True, False, False, True]
    assert entries[1].error is not None and entries[1].error.startswith("case.bom[0].value")


def test_yaml_list_and_documents(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "cases.yaml"
    path.write_text(
        yaml.safe_dump(build_data()) + "---\n" + yaml.safe_dump(build_data()), encoding="utf-8"
    )
    entries = read_cases(path)
    assert len(entries) == 2 and all(e.case == build() for e in entries)
