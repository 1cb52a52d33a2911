"""15 CFR 734.9(j): the Iran FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``: an ECCN in Categories 3-9) or, for
an EAR99 item, whether it is identified in Supp. No. 7 to part 746
(``item.listed_in_part746_supplements``); the U.S.-origin technology/software in a product
group D or E ECCN of the input categories that produced it
(``production.technology_and_software``) or the plant's U.S.-origin inputs
(``production.plant_direct_product_of``); the destination (``destination``: Iran),
onward destinations (``knowledge.onward_destinations``), whether the Government of Iran is
a party (``parties[].government_of_iran``, a prong since 2024-07-23) and the export date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    d_or_e,
    destined_to,
    ear99_identified,
    either,
    export_date_of,
    fixed,
    item_eccn,
    item_unknown,
    made_from,
    onward_non_ear99,
    onward_to,
    party_flag,
    rule_result,
)

IRAN = "IR"

# 88 FR 12150 (2023-02-24): inputs in Categories 3, 4, 5 and 7.
CATEGORIES_2023: tuple[int, ...] = (3, 4, 5, 7)
# FR Doc. 2024-16566 (2024-07-23, No Technology for Terror Act): Categories 3-9, and the
# "Government of Iran is a party" prong.
CATEGORIES_2024: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9)
WIDENED_ON = date(2024, 7, 23)
# Item scope per third-party transcription of eCFR 2026-07-23: Categories 3-9 or Supp. 7.
ITEM_CATEGORIES: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9)


def _item(case: Case) -> Prong:
    if case.item.eccn is None:
        return item_unknown("in CCL Categories 3-9 or Supp. No. 7 to part 746")
    eccn = item_eccn(case)
    if not eccn.is_ear99:
        hit = eccn.category in ITEM_CATEGORIES
        return fixed(
            Outcome.MET if hit else Outcome.NOT_MET,
            f"item ECCN {eccn.text} {'is' if hit else 'is not'} in CCL Categories 3-9",
            ("item.eccn",),
        )
    supp7 = "Supp. No. 7 to part 746"
    return ear99_identified(case, (7,), asked=supp7, found=supp7)


def _onward(case: Case) -> Prong:
    """Onward prong: items so destined must be CCL items or Supp. No. 7 items; an EAR99 onward
    item may still be in Supp. No. 7, which the case does not record."""
    classified = onward_non_ear99(case, "734.9(j)(2)")
    if classified.outcome is Outcome.NOT_MET:
        classified = Prong(
            Outcome.UNKNOWN,
            (
                "the items it goes into are EAR99: in scope only if identified in Supp. No. 7 "
                "to part 746, which the case does not record",
            ),
            classified.facts_used,
            ("knowledge.onward_item_eccns",),
        )
    return both(onward_to(case, lambda c: c == IRAN, "Iran", ("iran",)), classified)


@dataclass(frozen=True)
class IranRule:
    """15 CFR 734.9(j): 88 FR 12150 (2023-02-24), widened on 2024-07-23 (FR Doc. 2024-16566)."""

    rule_id: str = "734.9(j)"
    title: str = "Iran FDP rule"
    citation: str = "15 CFR 734.9(j)"
    license_citations: tuple[str, ...] = ("15 CFR 746.7",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        on = export_date_of(ctx, case)
        widened = on >= WIDENED_ON
        cats = CATEGORIES_2024 if widened else CATEGORIES_2023
        scope = "a D/E ECCN in Categories " + ("3-9" if widened else "3, 4, 5 or 7")
        test = d_or_e(cats)
        product = both(
            _item(case),
            made_from(case, test, scope, us_origin=True),
        )
        prongs = [
            destined_to(case, (), (IRAN,), "Iran"),
            _onward(case),
        ]
        if widened:
            prongs.append(
                party_flag(
                    case, "government_of_iran", "the Government of Iran", "government_of_iran_party"
                )
            )
        return rule_result(self, product, either(*prongs))


RULE = IranRule()
