"""A JSON body's keys, each given once: where one is given twice, and which one.

Python's ``json`` and pydantic keep the last of two equal keys silently, so
``{"name": "Huawei", "name": "Acme"}`` would screen Acme and drop Huawei without a word. The
service refuses such a body with the key's path named (``parties.3.name``), as
``compliance evaluate`` and ``POST /v1/evaluate`` already do for a case
(``compliance.ear.case.parse_json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


class _Pairs(list[tuple[str, Any]]):
    """One JSON object's members in the order given, equal keys included."""


def repeated_key(body: bytes, *, keys: Iterable[str] | None = None) -> str | None:
    """The dotted path of the first key given twice in one object of ``body``, else None.

    ``keys``, when given, are the only keys that can repeat in a body already validated
    (a model's fields): if each occurs exactly once in the bytes as written, the body is not
    parsed again (the common request pays a byte scan per key; a body with any JSON escape
    is parsed, as a key can be spelt two ways then). A body that is not JSON is None here:
    the caller's parser has its own word for it.
    """
    if (
        keys is not None
        and b"\\" not in body
        and all(body.count(b'"%s"' % k.encode()) == 1 for k in keys)
    ):
        return None
    try:
        parsed = json.loads(body, object_pairs_hook=_Pairs)
        return _first_repeat(parsed, "")
    except (ValueError, RecursionError):
        return None


def _first_repeat(value: Any, path: str) -> str | None:
    if isinstance(value, _Pairs):
        seen: set[str] = set()
        for key, _ in value:
            if key in seen:
                return f"{path}{key}"
            seen.add(key)
        for key, member in value:
            found = _first_repeat(member, f"{path}{key}.")
            if found:
                return found
    elif isinstance(value, list):
        for index, member in enumerate(value):
            found = _first_repeat(member, f"{path}{index}.")
            if found:
                return found
    return None
