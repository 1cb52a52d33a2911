"""15 CFR 734.9(g): the Russia/Belarus military end user and procurement FDP rule.

Reads from the case: the technology/software that produced the item
(``production.technology_and_software``: any product group D or E ECCN; subject to the
EAR suffices for the direct-product prong, see docs/ear-fdp.md) or the plant's U.S.-origin
inputs (``production.plant_direct_product_of``); any item, EAR99 included; and the end-user
scope: a footnote 3 Entity List entity is a party (``EvalContext.parties_footnotes`` or
``parties[].entity_list``), or knowledge that the item is for items produced, purchased or
ordered by one (``knowledge.listed_entity_production``).
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult
from compliance.ear.fdp.prongs import (
    ANY_ITEM,
    both,
    d_or_e,
    either,
    listed_party,
    listed_production,
    made_from,
    rule_result,
)
from compliance.ear.fdp.russia_belarus import partner_note

FOOTNOTE = 3


@dataclass(frozen=True)
class RussiaMilitaryEndUserRule:
    """87 FR 12226 (2022-02-24), extended to Belarus by 87 FR 13048 (2022-03-02); widened
    to procurement entities and renamed by 89 FR 68539 (2024-08-27)."""

    rule_id: str = "734.9(g)"
    title: str = "Russia/Belarus military end user and procurement FDP rule (footnote 3)"
    citation: str = "15 CFR 734.9(g)"
    license_citations: tuple[str, ...] = ("15 CFR 746.8(a)(3)", "15 CFR 744.21(b)")

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        test = d_or_e()
        product = both(
            ANY_ITEM, made_from(case, test, "any product group D/E ECCN", us_origin=False)
        )
        end_user = either(listed_production(case, FOOTNOTE, ctx), listed_party(ctx, case, FOOTNOTE))
        return rule_result(
            self,
            product,
            end_user,
            notes=partner_note(case, "(g)", " (2022 text; later position unverified)"),
        )


RULE = RussiaMilitaryEndUserRule()
