"""15 CFR 734.9(b): the national security (NS) FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``), whose CCL entry must carry a
national security (NS) reason for control for that paragraph; the U.S.-origin
technology/software that produced it (``production.technology_and_software``) or the
plant's U.S.-origin inputs (``production.plant_direct_product_of``), which must be
NS-controlled; and the destination (``destination``: Country Group D:1, E:1 or E:2). An
EAR99 or AT-only foreign item is never inside this rule.

The regulation names technology/software "that requires a written assurance as a supporting
document" (Supp. No. 2 to part 748, paragraph (o)(3)(i)) or is a precondition for License
Exception TSR; this module reads that as NS-controlled technology/software on the CCL (see
docs/ear-fdp.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.eccn import Eccn, eccn_matches, parse_eccn
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome, build_result
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    destined_to,
    direct_product,
    either,
    fixed,
    item_eccn,
    plant_product,
    to_scope,
)

# 75 FR 44887 (2010-07-30) added E:1; carried into 734.9(b) by 87 FR 6022 (2022-02-03).
DESTINATION_GROUPS: tuple[str, ...] = ("D:1", "E:1", "E:2")


def _row_covers(eccn: Eccn, paragraph: str) -> bool:
    pattern = paragraph if paragraph[:5].upper() == eccn.base else f"{eccn.base}.{paragraph}"
    try:
        return eccn_matches(eccn, pattern)
    except ValueError:
        return False


def ns_status(eccn: Eccn) -> Outcome:
    """Whether the CCL entry controls this ECCN (paragraph) for NS reasons.

    Unknown when the ECCN is not in the bundled CCL, or when NS applies only to some
    paragraphs and the ECCN names none.
    """
    if eccn.is_ear99:
        return Outcome.NOT_MET
    try:
        from compliance.ear.reference import ccl
    except ImportError:  # reference CCL table not installed: cannot decide
        return Outcome.UNKNOWN
    entry = ccl.lookup(eccn)
    if entry is None:
        return Outcome.UNKNOWN
    rows = [r for r in entry.license_rows if any(c.upper().startswith("NS") for c in r.columns)]
    if not rows:
        return Outcome.NOT_MET
    if any(r.applies_to_paragraphs is None for r in rows):
        return Outcome.MET
    paragraphs = [p for r in rows for p in (r.applies_to_paragraphs or ())]
    if any(_row_covers(eccn, p) for p in paragraphs):
        return Outcome.MET
    return Outcome.UNKNOWN if not eccn.paragraphs else Outcome.NOT_MET


def _item(case: Case) -> Prong:
    eccn = item_eccn(case)
    status = ns_status(eccn)
    if status is Outcome.UNKNOWN:
        return Prong(
            status,
            (
                f"item ECCN {eccn.text}: NS control not decidable from the bundled CCL "
                "(unknown ECCN, or NS only for paragraphs the ECCN does not name)",
            ),
            ("item.eccn",),
            ("item.eccn",),
        )
    verdict = "is" if status is Outcome.MET else "is not"
    return fixed(
        status, f"item ECCN {eccn.text} {verdict} NS-controlled on the CCL", ("item.eccn",)
    )


def _ns_input(eccn: Eccn) -> bool:
    # Only definite NS control counts; an undecidable input is not treated as NS.
    return eccn.group in ("D", "E") and ns_status(eccn) is Outcome.MET


def _inputs_undecidable(case: Case) -> tuple[str, ...]:
    inputs = case.production.technology_and_software or ()
    plants = case.production.plant_direct_product_of or ()
    texts = [i.eccn for i in inputs if i.us_origin] + list(plants)
    return tuple(sorted({t for t in texts if ns_status(parse_eccn(t)) is Outcome.UNKNOWN}))


@dataclass(frozen=True)
class NationalSecurityRule:
    rule_id: str = "734.9(b)"
    title: str = "National Security FDP rule"
    citation: str = "15 CFR 734.9(b)"
    license_citations: tuple[str, ...] = (
        "Supp. No. 1 to 15 CFR part 774 (NS license requirement of the item's ECCN)",
        "Supp. No. 1 to 15 CFR part 738 (NS columns)",
    )

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        route = either(
            direct_product(case, _ns_input, "controlled for NS reasons", us_origin=True),
            plant_product(case, _ns_input, "NS-controlled technology/software"),
        )
        unsure = _inputs_undecidable(case)
        if route.outcome is Outcome.NOT_MET and unsure:
            route = Prong(
                Outcome.UNKNOWN,
                (
                    *route.reasons,
                    f"NS control of input ECCN(s) {', '.join(unsure)} not decidable from the "
                    "bundled CCL",
                ),
                route.facts_used,
                ("production.technology_and_software",),
            )
        product = both(_item(case), route)
        dest = destined_to(case, DESTINATION_GROUPS, (), "in Country Group D:1, E:1 or E:2")
        return build_result(
            rule_id=self.rule_id,
            title=self.title,
            citation=self.citation,
            product=to_scope(product, "15 CFR 734.9(b)(1)"),
            destination=to_scope(dest, "15 CFR 734.9(b)(2)"),
            license_citations=self.license_citations,
        )


RULE = NationalSecurityRule()
