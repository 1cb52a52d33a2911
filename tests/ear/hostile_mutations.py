"""Seeded hostile mutations of the suite's EAR cases, for the fuzz tests of every door.

A mutation takes one case of tests/ear/cases (as its file holds it) and changes one to three
places in it: a field replaced by a hostile value (wrong type, empty, huge, a number in a
locale form 15 CFR has no use for, an impossible date, a code the reference data lacks), a
field dropped, an unknown key added, a list emptied or one of its items doubled. ``text_mutation``
damages the JSON text itself (cut short, a byte changed, a brace dropped). Everything is drawn
from one ``random.Random(seed)``, so a failing mutation is replayed from its seed and index.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.ear.case import load_yaml_documents

CASES = Path(__file__).parent / "cases"

Path_ = tuple[str | int, ...]

HOSTILE: tuple[Any, ...] = (
    None,
    "",
    " ",
    "x" * 5000,
    -1,
    0,
    "-1",
    "0",
    "1e400",
    "NaN",
    "Infinity",
    "3.000,00",
    "1,5",
    "3,000.00",
    10**30,
    "9" * 400,
    True,
    False,
    [],
    {},
    [None],
    {"unexpected": 1},
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "ZZ",
    "US",
    "XK",
    "3A999.zz",
    "EAR99",
    "5A002",
    "0Y521",
    "\u0000",
    "\u00fc\u00dfer \u4e2d\u6587",
    "unknown",
    "yes",
    "no",
    "applies",
    [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]],
)


def load_raw_cases() -> dict[str, dict[str, Any]]:
    """Each suite case's ``case`` mapping, by file stem, in name order."""
    out = {}
    for path in sorted(CASES.glob("*.yaml")):
        (doc,) = load_yaml_documents(path.read_text(encoding="utf-8"))
        assert isinstance(doc, dict)
        out[path.stem] = doc["case"]
    return out


def _places(value: Any, here: Path_ = ()) -> Iterator[Path_]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*here, index))


def _parent(root: Any, place: Path_) -> Any:
    node = root
    for step in place[:-1]:
        node = node[step]
    return node


def _mutate_once(case: dict[str, Any], rng: random.Random) -> str:
    places = [p for p in _places(case) if p]
    place = rng.choice(places)
    parent = _parent(case, place)
    key = place[-1]
    kind = rng.randrange(6)
    if kind <= 2:
        value = copy.deepcopy(rng.choice(HOSTILE))
        parent[key] = value
        return f"{'.'.join(map(str, place))} = {value!r:.40}"
    if kind == 3 and isinstance(parent, dict):
        del parent[key]
        return f"drop {'.'.join(map(str, place))}"
    if kind == 4:
        target = parent[key]
        if isinstance(target, dict):
            target[rng.choice(("extra", "eccn", "role", "us_origin", "value"))] = rng.choice(
                ("zz", None, 5, "US")
            )
            return f"add a key to {'.'.join(map(str, place))}"
        if isinstance(target, list) and target:
            target.append(copy.deepcopy(rng.choice(target)))
            return f"double an item of {'.'.join(map(str, place))}"
    if isinstance(parent[key], list):
        parent[key] = []
        return f"empty {'.'.join(map(str, place))}"
    parent[key] = copy.deepcopy(rng.choice(HOSTILE))
    return f"{'.'.join(map(str, place))} = hostile"


def mutations(
    raw: dict[str, dict[str, Any]], count: int, seed: int
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``count`` mutated cases: (case name, what was changed, the mutated case)."""
    rng = random.Random(seed)
    names = sorted(raw)
    for _ in range(count):
        name = rng.choice(names)
        case = copy.deepcopy(raw[name])
        changes = [_mutate_once(case, rng) for _ in range(rng.randint(1, 3))]
        yield name, "; ".join(changes), case


def json_text(case: dict[str, Any]) -> str:
    """The case as JSON text, exact decimals as JSON numbers and dates as ISO text."""

    def default(value: object) -> object:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return _Number(value)
        raise TypeError(type(value))

    text = json.dumps(case, default=default, ensure_ascii=False)
    return text.replace('"\x00', "").replace('\x00"', "")


class _Number(str):
    """A Decimal written as a JSON number (json.dumps quotes it; the NUL marks drop the quotes)."""

    def __new__(cls, value: Decimal) -> _Number:
        return super().__new__(cls, f"\x00{value}\x00")


def text_mutation(text: str, rng: random.Random) -> str:
    """The JSON text damaged: cut short, one character changed or dropped, or doubled."""
    kind = rng.randrange(4)
    at = rng.randrange(max(1, len(text)))
    if kind == 0:
        return text[:at]
    if kind == 1:
        return text[:at] + rng.choice('{}[]",:0\\x\u00e9') + text[at + 1 :]
    if kind == 2:
        return text[:at] + text[at + 1 :]
    return text + text
