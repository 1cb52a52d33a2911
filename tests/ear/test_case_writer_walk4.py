"""Gaps found walking issue 10 sections 1 and 2 as a case writer with partial input through
every door (branch ear4): each test failed before its fix.

Section 1 says every fact may be unknown, stated in the company's own words. The yes/no facts
and the settings already read ``unknown`` / ``not known`` as unknown (null); the other optional
facts (an ECCN, a price or value, a place or country) refused the same word with a message about
ECCN syntax or country names, so a case writer (or a CSV column) had to learn that only an empty
value means "not known" there. Required facts (destination, export date) still refuse it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from compliance.ear.case import NON_US, Case, read_cases
from compliance.ear.determination import evaluate, to_json

MINIMAL: dict[str, Any] = {
    "item": {"description": "controller"},
    "destination": "DE",
    "export_date": "2026-03-01",
}

OPTIONAL_FACTS: list[tuple[str, Any]] = [
    ("item.eccn", None),
    ("item.price", None),
    ("item.country_of_manufacture", None),
    ("item.exported_from", None),
    ("item.developer_headquarters_country", None),
    ("bom.0.origin_country", None),
    ("bom.0.eccn", None),
    ("bom.0.value", None),
    ("parties.0.headquarters_country", None),
    ("parties.0.ultimate_parent_headquarters_country", None),
    ("knowledge.supercomputer_location", None),
    ("knowledge.advanced_node_facility_country", None),
]


def _with(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data["bom"] = [{"description": "U.S. part", "origin_country": "US", "eccn": "3A991.a.1"}]
    data["bom"][0]["value"] = "100"
    data["parties"] = [{"role": "end user", "name": "Example GmbH"}]
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
    node[last] = value
    return data


@pytest.mark.parametrize("said", ["unknown", "Unknown", " NOT KNOWN "])
@pytest.mark.parametrize(("path", "meant"), OPTIONAL_FACTS)
def test_an_optional_fact_said_unknown_is_not_known(path: str, meant: Any, said: str) -> None:
    told = Case.model_validate(_with(path, said))
    left_out = Case.model_validate(_with(path, None))
    assert told == left_out
    assert to_json(evaluate(told)) == to_json(evaluate(left_out))


@pytest.mark.parametrize("path", ["destination", "export_date", "item.description"])
def test_a_required_fact_still_refuses_unknown(path: str) -> None:
    data = copy.deepcopy(MINIMAL)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[key]
    node[last] = "unknown"
    if path == "item.description":
        Case.model_validate(data)  # a description is free text, "unknown" is a description
        return
    with pytest.raises(ValidationError, match=path.split(".")[-1]):
        Case.model_validate(data)


@pytest.mark.parametrize("said", ["n/a", "TBD", "?", "none"])
def test_words_that_are_not_unknown_are_still_refused(said: str) -> None:
    """ "n/a" may mean "not applicable", "none" may mean EAR99: never guessed."""
    with pytest.raises(ValidationError, match=r"item\.eccn"):
        Case.model_validate(_with("item.eccn", said))


@pytest.mark.parametrize(
    "said",
    [
        "outside the US, country not known",
        "Outside the U.S., country not known",
        "non-US, country not known",
        "non US, country not known",
        "outside the U.S. (country not known)",
    ],
)
def test_the_issues_own_phrase_for_a_foreign_place_is_read(said: str) -> None:
    case = Case.model_validate(_with("item.country_of_manufacture", said))
    assert case.item.country_of_manufacture == NON_US
    line = Case.model_validate(_with("bom.0.origin_country", said))
    assert line.bom is not None and line.bom[0].origin_country == NON_US


def test_csv_cells_saying_unknown_read_as_empty_cells(tmp_path: Path) -> None:
    header = (
        "item.description,item.eccn,item.price,item.country_of_manufacture,destination,export_date"
    )
    path = tmp_path / "cases.csv"
    path.write_text(
        f"{header}\npump,unknown,not known,unknown,DE,2026-03-01\npump,,,,DE,2026-03-01\n",
        encoding="utf-8",
    )
    said, empty = read_cases(path)
    assert said.error is None and empty.error is None, (said.error, empty.error)
    assert said.case is not None and empty.case is not None
    assert to_json(evaluate(said.case)) == to_json(evaluate(empty.case))


# ------------------------------------- section 2: the smallest set of questions that decides


def _negative(data: dict[str, Any], fact: str) -> None:
    from tests.ear.test_questions_decide import _answer

    _answer(data, fact)


def _pump_to_germany() -> dict[str, Any]:
    return {
        "item": {
            "description": "pump",
            "eccn": "EAR99",
            "country_of_manufacture": "MY",
            "exported_from": "MY",
        },
        "bom": [],
        "destination": "DE",
        "export_date": "2026-03-01",
    }


def test_a_pump_to_germany_is_decided_by_two_production_answers() -> None:
    """Made in Malaysia with no BOM: the only open routes are 734.9 rules, and each of them
    needs U.S.-origin technology or a plant that is its direct product (15 CFR 734.9(a)-(l)).
    Two "none" answers decide every one; the ten knowledge and party questions are
    alternatives, not all needed (before: all ten were listed as one set)."""
    d = evaluate(Case.model_validate(_pump_to_germany()))
    assert set(d.enough_to_decide) == {
        "production.technology_and_software",
        "production.plant_direct_product_of",
    }
    assert [q.fact for q in d.questions[:2]] == list(d.enough_to_decide)
    assert len(d.questions) > 2  # the alternatives are still asked, after
    data = _pump_to_germany()
    for fact in d.enough_to_decide:
        _negative(data, fact)
    assert evaluate(Case.model_validate(data)).subject.value == "not subject"


def _starts() -> list[dict[str, Any]]:
    from tests.ear.test_questions_decide import DESTINATIONS, minimal_case

    eccns = (None, "EAR99", "3A090.a", "9A610.x", "3A001.b.2", "3B001.c")
    return [minimal_case(eccn, destination) for eccn in eccns for destination in DESTINATIONS]


def test_answering_the_smallest_set_no_decides_and_no_answer_of_it_is_spare() -> None:
    """For every start (6 classifications x every Country Chart destination, nothing else
    known), answering only ``enough_to_decide`` with the negative answer decides the case,
    and leaving out any one of those answers does not (the set is minimal)."""
    undecided, spare = [], []
    for start in _starts():
        d = evaluate(Case.model_validate(start))
        if not d.deciding_facts:
            continue
        enough = d.enough_to_decide
        assert enough and set(enough) <= {q.fact for q in d.questions}
        data = copy.deepcopy(start)
        for fact in enough:
            _negative(data, fact)
        if evaluate(Case.model_validate(data)).deciding_facts:
            undecided.append((start["destination"], start["item"].get("eccn"), enough))
            continue
        for left_out in enough:
            data = copy.deepcopy(start)
            for fact in enough:
                if fact != left_out:
                    _negative(data, fact)
            if not evaluate(Case.model_validate(data)).deciding_facts:
                spare.append((start["destination"], start["item"].get("eccn"), left_out))
    assert not undecided, undecided[:10]
    assert not spare, spare[:10]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_reports_show_the_smallest_set_first_then_the_alternatives(fmt: str) -> None:
    from compliance.ear.report import render

    text = render(evaluate(Case.model_validate(_pump_to_germany())), fmt)
    enough = text.index("Enough to decide: these 2")
    tech = text.index("[production.technology_and_software]")
    plant = text.index("[production.plant_direct_product_of]")
    instead = text.index("Or instead of some of them")
    iran = text.index("[knowledge.onward_to.iran]")
    assert enough < min(tech, plant) and max(tech, plant) < instead < iran
    assert text.index("Questions that would decide it") < text.index("U.S. origin or location")


@pytest.mark.parametrize(
    ("said", "meant"),
    [("In Force", "in force"), ("SUSPENDED", "suspended"), ("Not  known", "unknown")],
)
def test_a_setting_reads_like_a_fact_whatever_its_case(said: str, meant: str) -> None:
    """Yes/no facts and the assurance ignore case; the settings refused "In Force"."""
    case = Case.model_validate({**MINIMAL, "settings": {"affiliates_after_suspension": said}})
    assert case.settings.affiliates_after_suspension.value == meant
    wide = "Macau, D:1, D:4 or D:5 (not A:5/A:6)"
    case = Case.model_validate({**MINIMAL, "settings": {"advanced_computing_scope": wide}})
    assert case.settings.advanced_computing_scope.value == wide.lower()


def test_a_setting_still_refuses_what_it_does_not_name() -> None:
    with pytest.raises(ValidationError, match="affiliates_after_suspension"):
        Case.model_validate({**MINIMAL, "settings": {"affiliates_after_suspension": "maybe"}})


def test_closed_by_is_engine_data_not_output() -> None:
    """The closing sets feed enough_to_decide; they are not serialised (a determination's
    JSON is unchanged by them) and a re-validated determination still equals the engine's."""
    from compliance.ear.determination import Determination

    d = evaluate(Case.model_validate(_pump_to_germany()))
    open_scopes = [r.product_scope for r in d.fdp if r.product_scope.closed_by]
    assert open_scopes and "closed_by" not in to_json(d)
    again = Determination.model_validate(d.model_dump())
    assert again == d and to_json(again) == to_json(d)
    changed = open_scopes[0].model_copy(update={"reasons": ("other",)})
    assert changed != open_scopes[0]
