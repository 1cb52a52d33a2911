"""15 CFR 734.9(f): the Russia/Belarus FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``: any CCL ECCN, or an EAR99 item
identified by HTS code in the part 746 supplements, ``item.listed_in_part746_supplements``),
the U.S.-origin technology/software in any product group D or E ECCN that produced it
(``production.technology_and_software``; Categories 3-9 before 2022-04-08, the whole CCL
since, ear-reference.md correction 8) or the plant's U.S.-origin inputs
(``production.plant_direct_product_of``), the destination (``destination``: Russia or
Belarus) and onward destinations (``knowledge.onward_destinations``), the export date, and
the country exported from (``item.exported_from``) for the Supp. No. 3 to part 746 note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome, build_result
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    d_or_e,
    destined_to,
    direct_product,
    either,
    export_date_of,
    fixed,
    item_eccn,
    onward_to,
    plant_product,
    to_scope,
)
from compliance.ear.reference.countries import normalize_destination

RUSSIA_BELARUS: tuple[str, ...] = ("RU", "BY")

# 87 FR 12226 (2022-02-24; Belarus 87 FR 13048, 2022-03-02): inputs in Categories 3-9;
# 87 FR 21554 (2022-04-08 per five summaries, ear-reference.md correction 8): whole CCL.
WHOLE_CCL_FROM = date(2022, 4, 8)
CATEGORIES_BEFORE: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9)

# Supp. No. 3 to part 746 partner countries as of the 2022 rules [unverified list, see
# docs/ear-fdp.md]: their exports are excluded from the 746.8(a)(2) license requirement,
# not from the 734.9(f) scope.
PARTNER_COUNTRIES: tuple[str, ...] = (
    "AT", "AU", "BE", "BG", "CA", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
    "GB", "GR", "HR", "HU", "IE", "IS", "IT", "JP", "KR", "LI", "LT", "LU", "LV", "MT",
    "NL", "NO", "NZ", "PL", "PT", "RO", "SE", "SI", "SK", "TW",
)  # fmt: skip


def input_categories(on: date) -> tuple[int, ...] | None:
    """Categories whose D/E ECCNs are inputs on ``on``; None = the whole CCL."""
    return None if on >= WHOLE_CCL_FROM else CATEGORIES_BEFORE


def _item(case: Case) -> Prong:
    eccn = item_eccn(case)
    if not eccn.is_ear99:
        return fixed(Outcome.MET, f"item ECCN {eccn.text} is on the CCL", ("item.eccn",))
    listed = case.item.listed_in_part746_supplements
    paths = ("item.eccn", "item.listed_in_part746_supplements")
    if listed is None:
        return Prong(
            Outcome.UNKNOWN,
            ("EAR99 item: not known whether it is identified in the part 746 supplements",),
            paths,
            ("item.listed_in_part746_supplements",),
        )
    if listed:
        return fixed(Outcome.MET, "EAR99 item identified in a part 746 supplement", paths)
    return fixed(Outcome.NOT_MET, "EAR99 item not identified in a part 746 supplement", paths)


def partner_note(case: Case, rule: str, qualifier: str = "") -> tuple[str, ...]:
    """Supp. No. 3 to part 746: a license-requirement carve-out, reported, never a scope."""
    origin = normalize_destination(case.item.exported_from)
    if origin in PARTNER_COUNTRIES:
        return (
            f"note: exported from {origin}, a Supp. No. 3 to 15 CFR part 746 partner country: "
            f"the 15 CFR 746.8 license requirement excludes such exports even if {rule} "
            f"applies{qualifier} (list unverified, see docs/ear-fdp.md)",
        )
    return ()


@dataclass(frozen=True)
class RussiaBelarusRule:
    rule_id: str = "734.9(f)"
    title: str = "Russia/Belarus FDP rule"
    citation: str = "15 CFR 734.9(f)"
    license_citations: tuple[str, ...] = ("15 CFR 746.8(a)(2)",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        on = export_date_of(ctx, case)
        cats = input_categories(on)
        scope = "any product group D/E ECCN" if cats is None else "a D/E ECCN in Categories 3-9"
        test = d_or_e(cats)

        product = both(
            _item(case),
            either(
                direct_product(case, test, f"in {scope}", us_origin=True),
                plant_product(case, test, f"technology/software in {scope}"),
            ),
        )
        dest = either(
            destined_to(case, (), RUSSIA_BELARUS, "Russia or Belarus"),
            onward_to(
                case,
                lambda c: c in RUSSIA_BELARUS,
                "Russia or Belarus (read as met; the rule asks that those items be non-EAR99)",
            ),
        )
        result = build_result(
            rule_id=self.rule_id,
            title=self.title,
            citation=self.citation,
            product=to_scope(product, "15 CFR 734.9(f)(1)"),
            destination=to_scope(dest, "15 CFR 734.9(f)(2)"),
            license_citations=self.license_citations,
        )
        return result.model_copy(update={"reasons": result.reasons + partner_note(case, "(f)")})


RULE = RussiaBelarusRule()
