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
from functools import lru_cache

from compliance.ear.case import Case
from compliance.ear.eccn import Eccn, parse_eccn
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    destined_to,
    direct_product,
    either,
    fixed,
    item_eccn,
    plant_product,
    rule_result,
)
from compliance.ear.reference import ccl

# 75 FR 44887 (2010-07-30) added E:1; carried into 734.9(b) by 87 FR 6022 (2022-02-03).
DESTINATION_GROUPS: tuple[str, ...] = ("D:1", "E:1", "E:2")


def _is_ns(row: ccl.LicenseRow) -> bool:
    """An NS row: an NS Country Chart column, or an NS requirement by destination scope."""
    return any(c.upper().startswith("NS") for c in row.columns) or row.controls.startswith("NS ")


def ns_status(eccn: Eccn, *, related_counts: bool = False) -> Outcome:
    """Whether the CCL controls this ECCN (down to its paragraph) for NS reasons.

    Unknown when the ECCN is not in the bundled CCL, or when NS covers only paragraphs the
    ECCN does not reach. ``related_counts``: a row for technology/software "for" other
    NS-controlled items counts (used for the inputs, which produced an NS-controlled item).
    """
    return _ns_status(eccn.text, related_counts)


@lru_cache(maxsize=4096)
def _ns_status(text: str, related_counts: bool) -> Outcome:
    """Memoised on the canonical text: the bundled CCL is fixed for the process, and every
    case asks about the same few item and input ECCNs."""
    eccn = parse_eccn(text)
    if eccn.is_ear99:
        return Outcome.NOT_MET
    entry = ccl.lookup(eccn)
    if entry is None:
        return Outcome.UNKNOWN
    answers: list[bool | None] = []
    for row in filter(_is_ns, entry.license_rows):
        if related_counts and row.scope is ccl.RowScope.RELATED:
            answers.append(True)
        else:
            answers.append(ccl.row_applies(row, eccn))
    if True in answers:
        return Outcome.MET
    return Outcome.UNKNOWN if None in answers else Outcome.NOT_MET


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
    return eccn.group in ("D", "E") and ns_status(eccn, related_counts=True) is Outcome.MET


def _inputs_undecidable(case: Case) -> tuple[str, ...]:
    inputs = case.production.technology_and_software or ()
    plants = case.production.plant_direct_product_of or ()
    parsed = [parse_eccn(i.eccn) for i in inputs if i.us_origin] + [parse_eccn(p) for p in plants]
    return tuple(
        sorted(
            {
                e.text
                for e in parsed
                if e.group in ("D", "E") and ns_status(e, related_counts=True) is Outcome.UNKNOWN
            }
        )
    )


@dataclass(frozen=True)
class NationalSecurityRule:
    """15 CFR 734.9(b), as consolidated by 87 FR 6022 (2022-02-03)."""

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
        return rule_result(self, product, dest)


RULE = NationalSecurityRule()
