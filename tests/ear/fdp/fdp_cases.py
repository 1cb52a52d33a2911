"""Case builder for the FDP rule tests: a fully known case that no rule reaches, changed
field by field with dotted paths (``{"item.eccn": "3A090.a"}``). Unlike the engine tests'
base case it gives no party countries and no exporting-country control, so only the FDP
facts are set."""

from __future__ import annotations

import copy
from typing import Any

from ear_case_factory import BASE as ENGINE_BASE
from ear_case_factory import with_changes

from compliance.ear.case import Case
from compliance.ear.fdp import EvalContext, RuleOutcome

# The engine tests' base case less its case id, exporting-country control flag and party
# countries: the FDP rule tests were written against a case without them.
BASE: dict[str, Any] = copy.deepcopy(ENGINE_BASE)
del BASE["case_id"]
del BASE["item"]["controlled_by_exporting_country"]
for _key in ("country", "headquarters_country", "ultimate_parent_headquarters_country"):
    del BASE["parties"][0][_key]


TECH = "production.technology_and_software"
PLANT = "production.plant_direct_product_of"
IC = "production.ic_plant_direct_product_of"
CTX = EvalContext()
APPLIES, NOT, INDET = (
    RuleOutcome.APPLIES,
    RuleOutcome.DOES_NOT_APPLY,
    RuleOutcome.INDETERMINATE,
)


def tech(eccn: str, us_origin: bool = True, assurance: str = "given") -> dict[str, Any]:
    """A technology/software input that produced the item (written assurance given unless
    said otherwise: 734.9(b) reads it)."""
    return {"eccn": eccn, "us_origin": us_origin, "written_assurance": assurance}


def listed(*footnotes: int) -> dict[str, Any]:
    """A party's Entity List status: listed with these footnotes."""
    return {"listed": True, "footnotes": list(footnotes)}


def build(changes: dict[str, Any] | None = None) -> Case:
    return Case.model_validate(with_changes(BASE, changes))
