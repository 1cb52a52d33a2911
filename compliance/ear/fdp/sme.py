"""15 CFR 734.9(k): the semiconductor manufacturing equipment (SME) FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``: the listed 3B001/3B002.c
paragraphs), the technology/software that produced it (``production.technology_and_software``:
3D992/3E992, subject to the EAR), the plant's U.S.-origin inputs
(``production.plant_direct_product_of``) or the ICs inside it
(``production.ic_plant_direct_product_of``) - the route that catches equipment with zero
U.S. content - and the destination (``destination``: Macau or Country Group D:5).
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult
from compliance.ear.fdp.entity_list import FN5_PLANT_INPUTS
from compliance.ear.fdp.prongs import (
    MACAU,
    both,
    destined_to,
    direct_product,
    either,
    ic_plant_product,
    in_list,
    item_in,
    plant_product,
    rule_result,
)

# 89 FR 96790 (2024-12-02, compliance 2024-12-31); f.6 per third-party transcription of
# eCFR 2026-07-23 and ear-reference.md correction 5.
ITEMS: tuple[str, ...] = (
    "3B001.a.4", "3B001.c", "3B001.d", "3B001.f.1", "3B001.f.5", "3B001.f.6", "3B001.k",
    "3B001.l", "3B001.m", "3B001.n", "3B001.p.2", "3B001.p.4", "3B001.r", "3B002.c",
)  # fmt: skip
DIRECT_INPUTS: tuple[str, ...] = ("3D992", "3E992")
PLANT_INPUTS: tuple[str, ...] = FN5_PLANT_INPUTS


@dataclass(frozen=True)
class SmeRule:
    """15 CFR 734.9(k): 89 FR 96790 (2024-12-02)."""

    rule_id: str = "734.9(k)"
    title: str = "Semiconductor manufacturing equipment (SME) FDP rule"
    citation: str = "15 CFR 734.9(k)"
    license_citations: tuple[str, ...] = ("15 CFR 742.4(a)(4)", "15 CFR 742.6(a)(6)")

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        plant = in_list(PLANT_INPUTS)
        product = both(
            item_in(case, in_list(ITEMS), "in the 734.9(k) SME list"),
            either(
                direct_product(case, in_list(DIRECT_INPUTS), "in 3D992/3E992", us_origin=False),
                plant_product(case, plant, "technology/software in the 734.9(k) plant list"),
                ic_plant_product(case, plant, "technology/software in the 734.9(k) plant list"),
            ),
        )
        dest = destined_to(case, ("D:5",), (MACAU,), "Macau or in Country Group D:5")
        note = (
            "note: items on an exporting country's own control list with equivalent review "
            "(Supp. No. 4 to 15 CFR part 742) fall outside the license requirement, not outside "
            "this scope",
        )
        return rule_result(self, product, dest, notes=note)


RULE = SmeRule()
