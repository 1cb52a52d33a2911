"""Case factory for the EAR engine tests: a fully known case with nothing U.S. about it,
changed field by field with dotted paths (``{"item.eccn": "3A090.a"}``). Imported by name:
tests/ear has no __init__.py."""

from __future__ import annotations

import copy
from typing import Any

from compliance.ear.case import Case

BASE: dict[str, Any] = {
    "case_id": "base",
    "item": {
        "description": "foreign-made widget",
        "eccn": "EAR99",
        "kind": "commodity",
        "country_of_manufacture": "MY",
        "exported_from": "MY",
        "price": "1000",
        "currency": "USD",
        "controlled_by_exporting_country": False,
        "listed_in_part746_supplements": False,
    },
    "bom": [],
    "production": {
        "technology_and_software": [],
        "plant_direct_product_of": [],
        "ic_plant_direct_product_of": [],
    },
    "parties": [
        {
            "role": "end user",
            "name": "Example Trading Sdn Bhd",
            "country": "DE",
            "headquarters_country": "DE",
            "ultimate_parent_headquarters_country": "DE",
            "entity_list": {"listed": False},
            "affiliate_of_listed": False,
            "government_of_iran": False,
        }
    ],
    "destination": "DE",
    "knowledge": {
        "supercomputer_end_use": False,
        "advanced_node_ic_production": False,
        "military_end_use": False,
        "listed_entity_production": [],
        "onward_destinations": [],
    },
    "export_date": "2026-06-01",
}


def line(value: str, eccn: str = "EAR99", origin: str = "US", **extra: Any) -> dict[str, Any]:
    """A BOM line as the caller would write it."""
    return {
        "description": f"part {eccn}",
        "origin_country": origin,
        "eccn": eccn,
        "value": value,
        "is_integrated_circuit": False,
        **extra,
    }


def with_changes(base: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    """A deep copy of ``base`` with each dotted path (list indices as numbers) set."""
    data = copy.deepcopy(base)
    for path, value in (changes or {}).items():
        node: Any = data
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node[key]
        last = keys[-1]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return data


def build_data(changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The base case as a caller would write it, with ``changes`` applied."""
    return with_changes(BASE, changes)


def build(changes: dict[str, Any] | None = None) -> Case:
    return Case.model_validate(build_data(changes))
