"""Gaps found walking issue 10 (sections 3-5) as a case writer with hostile and partial input
through every door (branch ear3): each test failed before its fix."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest
from ear_case_factory import build
from pydantic import ValidationError

from compliance.ear.case import Case, WrittenAssurance, read_cases
from compliance.ear.determination import Subject, evaluate
from compliance.ear.fdp.base import RuleOutcome

MINIMAL: dict[str, Any] = {
    "item": {"description": "controller"},
    "destination": "CN",
    "export_date": "2026-03-01",
}


def _tech(**extra: Any) -> dict[str, Any]:
    return {"eccn": "3E001", "us_origin": True, **extra}


# ---------------------------------------------------- 734.9(b): the written assurance (sec. 3)


@pytest.mark.parametrize("unknown", [None, "unknown", "Unknown", " UNKNOWN "])
def test_written_assurance_null_is_unknown_like_every_other_fact(unknown: object) -> None:
    """Section 1: every fact may be unknown. A JSON writer says so with null (and YAML with an
    empty value); the field refused null while every Tri fact takes it."""
    data = {
        **MINIMAL,
        "production": {"technology_and_software": [_tech(written_assurance=unknown)]},
    }
    used = Case.model_validate(data).production.technology_and_software
    assert used is not None and used[0].written_assurance is WrittenAssurance.UNKNOWN


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("Given", WrittenAssurance.GIVEN),
        ("NOT GIVEN", WrittenAssurance.NOT_GIVEN),
        ("not_given", WrittenAssurance.NOT_GIVEN),
        ("not-required", WrittenAssurance.NOT_REQUIRED),
        ("Not  Required", WrittenAssurance.NOT_REQUIRED),
    ],
)
def test_written_assurance_reads_case_and_separators(said: str, meant: WrittenAssurance) -> None:
    """Party roles read 'Consignee' and 'end_user'; the assurance refused 'Given'."""
    data = {**MINIMAL, "production": {"technology_and_software": [_tech(written_assurance=said)]}}
    used = Case.model_validate(data).production.technology_and_software
    assert used is not None and used[0].written_assurance is meant


@pytest.mark.parametrize("said", ["yes", "no", True, "n/a", ""])
def test_written_assurance_still_refuses_what_it_cannot_place(said: object) -> None:
    """'yes' could mean 'given' or 'required'; nothing is guessed."""
    data = {**MINIMAL, "production": {"technology_and_software": [_tech(written_assurance=said)]}}
    with pytest.raises(ValidationError, match="written_assurance"):
        Case.model_validate(data)


# ------------------------------------------------------------ destinations: nothing guessed (5)


@pytest.mark.parametrize(
    "where", ["destination", "item.country_of_manufacture", "parties.0.country"]
)
def test_bare_congo_is_refused_like_korea(where: str) -> None:
    """'Congo' was read as the Republic of the Congo (CG, Country Group B) although a writer
    may mean the Democratic Republic of the Congo (CD: D:5 and the UN arms embargo of
    15 CFR 746.1(b)); the Country Chart names both in full. 'Korea' was already refused."""
    with pytest.raises(ValidationError, match="Congo"):
        build({where: "Congo"})
    assert build({where: "Republic of the Congo"}) is not None
    assert build({where: "DR Congo"}) is not None


# --------------------------------------------------------------------- facts are not numbers


@pytest.mark.parametrize("number", [1, 0, 2])
def test_a_yes_no_fact_refuses_numbers(number: int) -> None:
    """JSON 1 read as yes and 0 as no, while "1" and 2 were errors; a knowledge fact is yes,
    no or unknown (true/false/null), never a number."""
    with pytest.raises(ValidationError, match="military_end_use"):
        build({"knowledge.military_end_use": number})


# ------------------------------------------------------------------ the file door (section 5)


def test_json_and_jsonl_files_with_a_utf8_bom_read_like_yaml_and_csv(tmp_path: Path) -> None:
    """Windows editors write a byte-order mark; the YAML and CSV readers took it, the JSON and
    JSON Lines readers refused the file (or its first line) as 'not valid JSON'."""
    case = json.dumps({**MINIMAL, "case_id": "c1"})
    plain = read_cases(_write(tmp_path / "plain.json", case.encode()))
    for name, body in (
        ("bom.json", codecs.BOM_UTF8 + case.encode()),
        ("bom.jsonl", codecs.BOM_UTF8 + (case + "\n" + case.replace("c1", "c2")).encode()),
    ):
        read = read_cases(_write(tmp_path / name, body))
        assert all(r.error is None for r in read), [r.error for r in read]
        assert read[0].case == plain[0].case


def _write(path: Path, body: bytes) -> Path:
    path.write_bytes(body)
    return path


def test_a_semicolon_csv_says_columns_are_separated_by_commas(tmp_path: Path) -> None:
    """A spreadsheet set to a European locale saves ';'-separated CSV; the error named a
    column 'case_id;item' as not a field name."""
    text = "case_id;item.description;destination;export_date\nc1;widget;CN;2026-03-01\n"
    (entry,) = read_cases(_write(tmp_path / "semi.csv", text.encode()))
    assert entry.error is not None and "comma" in entry.error and "';'" in entry.error


# ------------------------------------------------------ inconsistent values get a warning (5)


def test_us_content_above_the_items_price_is_warned_not_silently_500_percent() -> None:
    """Supp. No. 2 to part 734 divides the value of U.S.-origin controlled content by the
    foreign-made item's price; content worth five times the price is a typo, a unit or a
    currency mix-up as often as a sale at a loss. The engine said 'subject' at 500 % with no
    word; it still decides (a sale below cost is possible) but says what to check."""
    line = {
        "description": "FPGA",
        "origin_country": "US",
        "eccn": "3A001.a.1.a",
        "value": "5000",
        "is_integrated_circuit": True,
    }
    d = evaluate(build({"bom": [line]}))
    assert d.subject is Subject.YES
    assert any("exceeds the item's price" in w for w in d.warnings), d.warnings
    fine = evaluate(build({"bom": [{**line, "value": "900"}]}))
    assert not any("exceeds the item's price" in w for w in fine.warnings)


def test_rule_b_reads_the_normalised_assurance() -> None:
    """The spelling fix reaches the rule: 'Given' on NS technology to China applies (b)."""
    case = build(
        {
            "item.eccn": "3A001.a.1.a",
            "destination": "CN",
            "parties.0.country": "CN",
            "production.technology_and_software": [_tech(written_assurance="Given")],
        }
    )
    (rule,) = [r for r in evaluate(case).fdp if r.rule_id == "734.9(b)"]
    assert rule.outcome is RuleOutcome.APPLIES


# ------------------------------------- an unknown BOM fact never decides de minimis (sec. 1)


def _dm(changes: dict[str, Any]) -> Any:
    return evaluate(build(changes)).de_minimis


@pytest.mark.parametrize(
    ("item", "destination", "paragraph"),
    [
        ({"item.eccn": "5E002.a", "item.kind": "technology"}, "SG", "734.4(a)(2)"),
        ({"item.eccn": "9A610.x"}, "CN", "734.4(a)(6)(i)"),
        ({"item.eccn": "EAR99"}, "CN", "734.4(a)(6)(i)"),
    ],
)
def test_a_us_line_without_eccn_keeps_the_no_de_minimis_categories_open(
    item: dict[str, Any], destination: str, paragraph: str
) -> None:
    """Found by dropping one fact at a time from the suite's cases (branch ear3): a U.S.-origin
    line whose ECCN is not known was read as no 734.4(a) content, so 0.1 % of it gave a
    computed "not subject"; it may be 5E002 technology (734.4(a)(2)) or 600 series content to
    D:5 (734.4(a)(6)(i)), which have no de minimis level. Unknown, naming bom[0].eccn."""
    line = {"description": "U.S. part", "origin_country": "US", "value": "100"}
    base = {**item, "item.price": "100000", "destination": destination}
    unknown = _dm({**base, "bom": [line]})
    assert unknown.outcome.value == "indeterminate", unknown.reasons
    assert "bom[0].eccn" in unknown.missing_facts
    assert any(paragraph in r for r in unknown.reasons), unknown.reasons
    # the control: a known classification outside those categories decides it
    known = _dm({**base, "bom": [{**line, "eccn": "3A991.a.1"}]})
    assert known.outcome.value in ("not subject", "no calculation needed"), known.reasons


def test_software_in_the_bom_whose_bundling_is_not_known_is_asked_not_dropped() -> None:
    """bundled_software defaulted to false, so U.S. software listed in a hardware item's BOM
    was read as sold separately and left out of the numerator (73 FR 56964): 30 % of 5D002
    software to China gave "no calculation needed". Not stating it is not "no"."""
    line = {
        "description": "Encryption software",
        "origin_country": "US",
        "eccn": "5D002.c.1",
        "value": "300",
        "kind": "software",
    }
    base = {"item.price": "1000", "destination": "CN"}
    unknown = _dm({**base, "bom": [line]})
    assert unknown.outcome.value == "indeterminate", unknown.reasons
    assert "bom[0].bundled_software" in unknown.missing_facts
    questions = evaluate(build({**base, "bom": [line]})).questions
    assert any("bundled with the foreign hardware" in q.question for q in questions)
    assert _dm({**base, "bom": [{**line, "bundled_software": True}]}).outcome.value == "subject"
    separate = _dm({**base, "bom": [{**line, "bundled_software": False}]})
    assert separate.outcome.value == "no calculation needed"


# ------------------------------------------------ a party's Entity List status (sec. 1, 5)


@pytest.mark.parametrize("unknown", [None, "unknown", "Not known"])
def test_listed_unknown_means_the_status_is_not_known(unknown: object) -> None:
    """``entity_list: {listed: unknown}`` was "Input should be a valid boolean" with no word of
    how to say it; it now means what leaving entity_list out means (not known: screened when
    a screener is given, otherwise the party's rules stay open)."""
    said = build({"parties.0.entity_list": {"listed": unknown}})
    left_out = build({"parties.0.entity_list": None})
    assert said.parties[0].entity_list is None
    assert evaluate(said).model_dump() == evaluate(left_out).model_dump()


def test_listed_unknown_with_footnotes_is_an_error() -> None:
    with pytest.raises(ValidationError, match="footnotes"):
        build({"parties.0.entity_list": {"listed": "unknown", "footnotes": [1]}})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("parties.0.entity_list", {"listed": 1}),
        ("parties.0.entity_list", {"listed": "y"}),
        ("parties.0.entity_list", {"listed": "on"}),
        ("bom", [{"description": "x", "origin_country": "US", "value": "1",
                  "license_override": {"counts": 0, "reason": "r"}}]),
        ("bom", [{"description": "x", "origin_country": "US", "eccn": "EAR99", "value": "1",
                  "second_incorporation": "1"}]),
    ],
)  # fmt: skip
def test_a_yes_no_field_refuses_numbers_and_abbreviations(path: str, value: object) -> None:
    """The yes/no fields took 1, 0, "y", "on" (pydantic's lax booleans) while the yes/no/unknown
    facts refuse them: one reading for every yes/no answer."""
    with pytest.raises(ValidationError, match="expected yes or no"):
        build({path: value})


@pytest.mark.parametrize(("said", "meant"), [("Yes", True), ("no", False), (True, True)])
def test_a_yes_no_field_reads_yes_and_no(said: object, meant: bool) -> None:
    listing = build({"parties.0.entity_list": {"listed": said}}).parties[0].entity_list
    assert listing is not None and listing.listed is meant
