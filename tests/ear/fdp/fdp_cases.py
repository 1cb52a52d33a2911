"""Case builder for the FDP rule tests: a fully known case that no rule reaches, changed
field by field with dotted paths (``{"item.eccn": "3A090.a"}``)."""

from __future__ import annotations

import copy
from typing import Any

from compliance.ear.case import Case

BASE: dict[str, Any] = {
    "item": {
        "description": "foreign-made widget",
        "eccn": "EAR99",
        "kind": "commodity",
        "country_of_manufacture": "MY",
        "exported_from": "MY",
        "price": "1000",
        "currency": "USD",
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


def build(changes: dict[str, Any] | None = None) -> Case:
    data = copy.deepcopy(BASE)
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
    return Case.model_validate(data)
