"""Issue 10 section 1: "a rule that needs a missing fact is indeterminate naming it". Walked on
branch ear3 by dropping one stated fact at a time from every case of the sourced suite: a
decided answer (subject, each 734.9 rule, the de minimis outcome) may become indeterminate
when a fact goes missing, never a different decided answer.

Not dropped: whole list elements (a BOM line, an input, a supplement number: a list is stated
complete, so removing an element states another fact, not an unknown one), and the two
defaults kept on purpose because they only count content (docs/ear.md "Bad input"): a BOM
line's ``kind`` (commodity) and ``second_incorporation`` (no).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from compliance.ear.case import Case, load_yaml_documents
from compliance.ear.determination import Determination, evaluate

CASES = Path(__file__).parent / "cases"
KEPT_DEFAULTS = {"kind", "second_incorporation"}
OPEN = "indeterminate"


def _leaves(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(value, dict | list):
                yield (*prefix, key)
            yield from _leaves(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*prefix, i))


def _answers(d: Determination) -> dict[str, str]:
    out = {"subject": d.subject.value, "de minimis": d.de_minimis.outcome.value}
    out |= {r.rule_id: r.outcome.value for r in d.fdp}
    return out


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_dropping_a_fact_never_turns_one_decided_answer_into_another(path: Path) -> None:
    (doc,) = load_yaml_documents(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    raw = doc["case"]
    before = _answers(evaluate(Case.model_validate(raw)))
    for leaf in _leaves(raw):
        if leaf[0] == "case_id" or leaf[-1] in KEPT_DEFAULTS:
            continue
        changed = copy.deepcopy(raw)
        node = changed
        for key in leaf[:-1]:
            node = node[key]
        del node[leaf[-1]]
        try:
            after = _answers(evaluate(Case.model_validate(changed)))
        except ValidationError:
            continue  # a required field: the case cannot be written without it
        flips = {
            k: (before[k], after[k])
            for k in before
            if before[k] != after[k] and OPEN not in (before[k], after[k])
        }
        assert not flips, (".".join(map(str, leaf)), flips)
