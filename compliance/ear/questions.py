"""The facts that would decide an indeterminate case, as questions an officer can answer.

An ``indeterminate`` determination names the case fields whose value would decide it
(``Determination.deciding_facts``). This module phrases them as questions, from the table in
``reference/questions.yaml``, and keeps the set small: a transaction-wide statement ("no party
is on the Entity List") replaces the per-party questions it settles, and a destination-scoped
"no" ("no knowledge of export to Iran") replaces the full list of onward destinations.
Questions that settle the most rules come first.

It also collects warnings about facts the engine accepted but could not check (an ECCN the
bundled CCL does not have, a paragraph of a form the CCL does not use).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from compliance.ear.case import Case, input_list
from compliance.ear.eccn import parse_eccn
from compliance.ear.reference import ccl
from compliance.ear.reference._data import load
from compliance.ear.reference.ccl_paragraphs import check_paragraphs

_INDEX = re.compile(r"\[(\d+)\]")

# A transaction-wide fact, and the per-party facts its answer settles.
_WIDER: dict[str, str] = {
    "parties[].entity_list": "knowledge.entity_list_party",
    "parties[].affiliate_of_listed": "knowledge.affiliate_of_listed_party",
    "parties[].government_of_iran": "knowledge.government_of_iran_party",
}


class Question(BaseModel):
    """One deciding fact and the question that settles it."""

    model_config = ConfigDict(frozen=True)

    fact: str
    question: str


def _templates() -> dict[str, str]:
    table = load("questions.yaml")["questions"]
    assert isinstance(table, dict)
    return {str(k): str(v) for k, v in table.items()}


def _fill(template: str, fact: str, case: Case) -> str:
    indexes = [int(n) for n in _INDEX.findall(fact)]
    if indexes and fact.startswith("parties["):
        party = case.parties[indexes[0]] if indexes[0] < len(case.parties) else None
        who = f"parties[{indexes[0]}]" + (f" ({party.role.value}: {party.name})" if party else "")
        template = template.replace("{party}", who)
    if indexes and fact.startswith("bom["):
        line = (case.bom or ())[indexes[0]] if indexes[0] < len(case.bom or ()) else None
        what = f"bom[{indexes[0]}]" + (f" ({line.description})" if line else "")
        template = template.replace("{line}", what)
    if indexes and fact.startswith("production.technology_and_software["):
        inputs = case.production.technology_and_software or ()
        one = inputs[indexes[0]] if indexes[0] < len(inputs) else None
        label = (one.description or one.ref) if one else None
        what = f"input {indexes[0]}" + (f" ({label})" if label else "")
        template = template.replace("{input}", what)
    return template


def _party_status(case: Case, fact: str) -> str:
    """How much of the party's own Entity List status is given: ``given`` (what is open is
    its ownership), ``footnotes`` (listed, footnotes not given: ask that party), or
    ``unknown``."""
    found = _INDEX.search(fact)
    if found is None or not fact.startswith("parties["):
        return "unknown"
    index = int(found.group(1))
    if index >= len(case.parties):
        return "unknown"
    given = case.parties[index].entity_list
    if given is None:
        return "unknown"
    return "given" if given.known_footnotes is not None else "footnotes"


def reduce_facts(facts: Iterable[str], case: Case) -> tuple[str, ...]:
    """The deciding facts with per-party facts folded into the transaction-wide question
    that settles them, and the onward list folded into destination-scoped questions."""
    facts = list(dict.fromkeys(facts))
    out: list[str] = []
    for fact in facts:
        pattern = _INDEX.sub("[]", fact)
        status = _party_status(case, fact) if pattern == "parties[].entity_list" else ""
        if status == "footnotes":
            out.append(fact)  # only this party can say which footnotes it carries
            continue
        if status == "given":
            fact, pattern = (
                fact.replace(".entity_list", ".affiliate_of_listed"),
                ("parties[].affiliate_of_listed"),
            )
        wider = _WIDER.get(pattern)
        out.append(wider if wider is not None else fact)
    if any(f.startswith("knowledge.onward_to.") for f in out):
        out = [f for f in out if f != "knowledge.onward_destinations"]
    if "knowledge.entity_list_party" in out and all(
        p.entity_list is not None for p in case.parties
    ):
        out = [f for f in out if f != "knowledge.entity_list_party"]
        ownership_open = case.knowledge.affiliate_of_listed_party is None and any(
            p.affiliate_of_listed is None for p in case.parties
        )
        if ownership_open:
            out.append("knowledge.affiliate_of_listed_party")
    return tuple(dict.fromkeys(out))


def _reduce_one(fact: str, case: Case) -> tuple[str, ...]:
    """``reduce_facts((fact,), case)``; only party facts and the transaction-wide Entity List
    fact depend on the case, every other fact is its own question."""
    if fact.startswith("parties[") or fact == "knowledge.entity_list_party":
        return reduce_facts((fact,), case)
    return (fact,)


BEAM = 64
"""Partial unions kept while choosing one way to close each open rule (the smallest first)."""


def smallest_deciding_set(
    must: Iterable[str],
    alternatives: Iterable[tuple[tuple[str, ...], ...]],
    case: Case,
) -> tuple[str, ...]:
    """The fewest questions whose negative answers ("no", "none", not listed) decide the case.

    ``must`` are facts every decision needs (U.S. origin or location, de minimis); each entry
    of ``alternatives`` lists, for one open 734.9 rule, the fact sets that would each close it.
    One set is chosen per rule so that the union, counted as the questions name the facts
    (``reduce_facts``), is smallest; ties keep the first sets (the product scope, the
    manufacturer's facts, in rule order). The search keeps the ``BEAM`` smallest partial
    unions, which is exhaustive for every case of the suite and bounded for any case."""
    must, alternatives = list(must), list(alternatives)
    named = [f for options in alternatives for o in options for f in o]
    one = {f: _reduce_one(f, case) for f in dict.fromkeys([*must, *named])}
    base = frozenset(q for f in must for q in one[f])
    frontier: list[frozenset[str]] = [base]
    for options in alternatives:
        sets = [frozenset(q for f in o for q in one[f]) for o in options]
        grown: dict[frozenset[str], None] = {}
        for partial in frontier:
            if any(s <= partial for s in sets):
                grown[partial] = None
                continue
            for s in sets:
                grown[partial | s] = None
        frontier = sorted(grown, key=len)[:BEAM]
    chosen = frontier[0]
    order = reduce_facts([*must, *named], case)
    return tuple(f for f in order if f in chosen)


def questions_for(
    deciding: Iterable[str],
    case: Case,
    weights: Counter[str] | None = None,
    first: Iterable[str] = (),
) -> tuple[Question, ...]:
    """Questions for the deciding facts: those of ``first`` (the smallest deciding set) before
    the others, and within each group those settling the most open routes first (``weights``:
    how many open routes named each fact; ties keep the engine's order)."""
    facts = reduce_facts(deciding, case)
    leading = frozenset(first)
    if weights is not None:
        folded = Counter({f: weights.get(f, 0) for f in facts})
        for fact, count in weights.items():
            for f in reduce_facts([fact], case):
                if f in folded and f != fact:
                    folded[f] += count
        order = {f: i for i, f in enumerate(facts)}
        facts = tuple(sorted(facts, key=lambda f: (f not in leading, -folded[f], order[f])))
    else:
        facts = tuple(sorted(facts, key=lambda f: f not in leading))
    table = _templates()
    out: list[Question] = []
    for fact in facts:
        pattern = _INDEX.sub("[]", fact)
        template = table.get(pattern) or table.get(fact)
        text = _fill(template, fact, case) if template else f"What is {fact}?"
        out.append(Question(fact=fact, question=text))
    return tuple(out)


def case_warnings(case: Case) -> tuple[str, ...]:
    """Classifications the engine accepted but the bundled CCL cannot confirm."""
    named: list[tuple[str, str]] = []
    if case.item.eccn is not None:
        named.append(("item.eccn", case.item.eccn))
    for i, line in enumerate(case.bom or ()):
        if line.eccn is not None:
            named.append((f"bom[{i}].eccn", line.eccn))
    production = case.production
    for i, used in enumerate(production.technology_and_software or ()):
        if used.eccn is not None and input_list(used.eccn) is None:
            named.append((f"production.technology_and_software[{i}].eccn", used.eccn))
    for field in ("plant_direct_product_of", "ic_plant_direct_product_of"):
        for i, ref in enumerate(getattr(production, field) or ()):
            if input_list(ref) is None:
                named.append((f"production.{field}[{i}]", ref))
    for i, text in enumerate(case.knowledge.onward_item_eccns or ()):
        named.append((f"knowledge.onward_item_eccns[{i}]", text))
    return tuple(f"{path} {text}: {why}" for path, text in named if (why := _eccn_warning(text)))


@lru_cache(maxsize=4096)
def _eccn_warning(text: str) -> str | None:
    """Why the bundled CCL cannot confirm ``text`` (None: it can). Memoised: BOM lines repeat
    classifications and the CCL is fixed for the process."""
    eccn = parse_eccn(text)
    if eccn.is_ear99 or eccn.is_class:
        return None
    if ccl.lookup(eccn) is None:
        return (
            f"not on the bundled CCL (issue {ccl.ISSUE_DATE}); rules that read its controls "
            "treat it as not known"
        )
    found = check_paragraphs(eccn)
    if found.status != "valid":
        return found.message
    return None
