"""15 CFR 734.9(c): the 9x515 FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``, must be a 9x515 ECCN), the
U.S.-origin technology/software that produced it (``production.technology_and_software``,
9D515 or 9E515) or the plant's U.S.-origin inputs (``production.plant_direct_product_of``),
and the destination (``destination``: Country Group D:5, E:1 or E:2).
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult
from compliance.ear.fdp.prongs import (
    both,
    destined_to,
    direct_product,
    either,
    in_list,
    item_in,
    plant_product,
    rule_result,
)

# 734.9(c) as consolidated by 87 FR 6022 (2022-02-03): U.S.-origin 9D515/9E515 inputs; the
# 9x515 items; destinations in Country Groups D:5, E:1, E:2.
INPUTS: tuple[str, ...] = ("9D515", "9E515")
DESTINATION_GROUPS: tuple[str, ...] = ("D:5", "E:1", "E:2")


@dataclass(frozen=True)
class X515Rule:
    """15 CFR 734.9(c), as consolidated by 87 FR 6022 (2022-02-03)."""

    rule_id: str = "734.9(c)"
    title: str = "9x515 FDP rule"
    citation: str = "15 CFR 734.9(c)"
    license_citations: tuple[str, ...] = (
        "Supp. No. 1 to 15 CFR part 774 (license requirements of the item's 9x515 ECCN)",
        "Supp. No. 1 to 15 CFR part 738",
    )

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        test = in_list(INPUTS)
        product = both(
            item_in(case, lambda e: e.is_9x515, "a 9x515 ECCN"),
            either(
                direct_product(case, test, "in 9D515/9E515", us_origin=True),
                plant_product(case, test, "9D515/9E515 technology/software"),
            ),
        )
        dest = destined_to(case, DESTINATION_GROUPS, (), "in Country Group D:5, E:1 or E:2")
        return rule_result(self, product, dest)


RULE = X515Rule()
