"""Issue 10 section 2: every indeterminate result lists the facts that would decide it, as
questions an officer can answer. Walked on branch ear3: starting from the minimal case
(description, destination, date), answering each question the engine asks with the negative
answer ("no", "none", EAR99, made and shipped abroad, an unlisted end user) and asking again
reaches a decided answer for every Country Chart destination within a few rounds; the engine
never asks the same questions again after they were answered (no loop), and never asks about
a fact this driver does not know how to answer (every question maps to a case field)."""

from __future__ import annotations

from typing import Any

import pytest

from compliance.ear.case import Case
from compliance.ear.determination import Subject, evaluate
from compliance.ear.reference._data import load

NEGATIVE: dict[str, Any] = {
    "production.technology_and_software": [],
    "production.plant_direct_product_of": [],
    "production.ic_plant_direct_product_of": [],
    "knowledge.listed_entity_production": [],
    "knowledge.onward_item_eccns": [],
    "knowledge.entity_list_party": "no",
    "knowledge.affiliate_of_listed_party": "no",
    "knowledge.government_of_iran_party": "no",
    "knowledge.supercomputer_end_use": "no",
    "knowledge.advanced_node_ic_production": "no",
    "knowledge.for_advanced_node_facility": "no",
    "knowledge.military_end_use": "no",
    "item.country_of_manufacture": "MY",
    "item.exported_from": "MY",
    "item.eccn": "EAR99",
    "item.listed_in_part746_supplements": False,
    "bom": [],
}
END_USER = {
    "role": "end user",
    "name": "Example End User Co",
    "entity_list": {"listed": False},
    "government_of_iran": False,
}
DESTINATIONS = sorted(
    set(load("country_chart.yaml")["rows"]) | set(load("country_chart.yaml")["embargoed"])
)


def _answer(data: dict[str, Any], fact: str) -> None:
    if fact == "parties (ultimate consignee or end user)":
        data["parties"] = [END_USER]
        return
    if fact.startswith("knowledge.onward_to."):
        value: Any = "no"
    else:
        assert fact in NEGATIVE, f"a question this walk cannot answer: {fact}"
        value = NEGATIVE[fact]
    *parents, last = fact.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def minimal_case(eccn: str | None, destination: str) -> dict[str, Any]:
    """A case stating only an item (with ``eccn`` when given), a destination and a date."""
    data: dict[str, Any] = {
        "item": {"description": "controller"},
        "destination": destination,
        "export_date": "2026-03-01",
    }
    if eccn:
        data["item"]["eccn"] = eccn
    return data


@pytest.mark.parametrize("eccn", [None, "3A090.a", "9A610.x"])
def test_answering_every_question_no_decides_every_destination(eccn: str | None) -> None:
    for destination in DESTINATIONS:
        data = minimal_case(eccn, destination)
        asked: list[tuple[str, ...]] = []
        for _ in range(6):
            determination = evaluate(Case.model_validate(data))
            facts = determination.deciding_facts
            if not facts:
                break
            assert facts not in asked, (destination, facts)
            assert len(determination.questions) >= 1
            asked.append(facts)
            for fact in facts:
                _answer(data, fact)
        assert determination.subject is Subject.NO, (destination, determination.summary)
