"""15 CFR 734.9(d): the "600 series" FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``: a "600 series" ECCN, or 0A919
for "military commodities"), the U.S.-origin "600 series" technology/software that produced
it (``production.technology_and_software``) or the plant's U.S.-origin inputs
(``production.plant_direct_product_of``), and the destination (``destination``: Country
Group D:1, D:3, D:4, D:5, E:1 or E:2 - so Taiwan (D:3) and Israel are inside it).
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.eccn import Eccn, eccn_matches
from compliance.ear.fdp.base import EvalContext, FdpResult
from compliance.ear.fdp.prongs import (
    both,
    destined_to,
    direct_product,
    either,
    item_in,
    plant_product,
    rule_result,
)

# 734.9(d) as consolidated by 87 FR 6022 (2022-02-03), which made 0A919 explicit.
DESTINATION_GROUPS: tuple[str, ...] = ("D:1", "D:3", "D:4", "D:5", "E:1", "E:2")
MILITARY_COMMODITIES = "0A919"


def _is_600_series_de(eccn: Eccn) -> bool:
    return eccn.is_600_series and eccn.group in ("D", "E")


def _item_in_scope(eccn: Eccn) -> bool:
    return eccn.is_600_series or eccn_matches(eccn, MILITARY_COMMODITIES)


@dataclass(frozen=True)
class Series600Rule:
    """15 CFR 734.9(d), as consolidated by 87 FR 6022 (2022-02-03)."""

    rule_id: str = "734.9(d)"
    title: str = '"600 series" FDP rule'
    citation: str = "15 CFR 734.9(d)"
    license_citations: tuple[str, ...] = (
        "Supp. No. 1 to 15 CFR part 774 (license requirements of the item's ECCN)",
        "Supp. No. 1 to 15 CFR part 738",
    )

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        product = both(
            item_in(case, _item_in_scope, 'a "600 series" ECCN or 0A919'),
            either(
                direct_product(case, _is_600_series_de, 'in a "600 series" ECCN', us_origin=True),
                plant_product(case, _is_600_series_de, '"600 series" technology/software'),
            ),
        )
        dest = destined_to(
            case, DESTINATION_GROUPS, (), "in Country Group D:1, D:3, D:4, D:5, E:1 or E:2"
        )
        return rule_result(self, product, dest)


RULE = Series600Rule()
