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

from compliance.ear.case import Case, WrittenAssurance, input_list
from compliance.ear.eccn import Eccn, parse_eccn
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.input_lists import ref_outcome
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    destined_to,
    either,
    fixed,
    item_eccn,
    item_unknown,
    not_given,
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
    if case.item.eccn is None:
        return item_unknown("NS-controlled on the CCL")
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


_ASSURANCE_OUT = (WrittenAssurance.NOT_REQUIRED, WrittenAssurance.NOT_GIVEN)


def _assured_inputs(case: Case) -> Prong:
    """734.9(b)(1)(i): a direct product of U.S.-origin technology/software "that requires a
    written assurance as a supporting document for a license" (Supp. No. 2 to part 748,
    (o)(3)(i)) "or as a precondition for the use of License Exception TSR" (15 CFR 740.6).

    Per input: an assurance ``given`` meets it; ``not required`` or ``not given`` (received
    without one, e.g. NLR or License Exception ENC) does not; ``unknown`` falls back on the
    classification: NS-controlled technology/software may require one, so it is unknown;
    any other classification needs none (the assurance is an NS-only requirement)."""
    path = "production.technology_and_software"
    inputs = case.production.technology_and_software
    if inputs is None:
        return not_given(path, f"not known which technology/software produced the item ({path})")
    hits: list[str] = []
    unsure: list[str] = []
    notes: list[str] = []
    for index, item in enumerate(inputs):
        here = f"{path}[{index}]"
        ref = item.ref
        if item.us_origin is False:
            continue
        if item.written_assurance is WrittenAssurance.GIVEN:
            if item.us_origin is None:
                unsure.append(f"{here}.us_origin")
            else:
                hits.append(f"{ref or here} (written assurance given)")
            continue
        if item.written_assurance in _ASSURANCE_OUT:
            notes.append(
                f"{ref or here}: written assurance {item.written_assurance.value}, so not "
                "technology 'that requires a written assurance'"
            )
            continue
        outcome = Outcome.UNKNOWN if ref is None else ref_outcome(ref, _ns_input)
        if outcome is Outcome.NOT_MET:
            continue
        if outcome is Outcome.UNKNOWN:
            unsure.append(f"{here}.eccn")
        else:
            unsure.append(f"{here}.written_assurance")
            notes.append(f"{ref}: NS-controlled, written assurance not stated")
        if item.us_origin is None:
            unsure.append(f"{here}.us_origin")
    if hits:
        return fixed(
            Outcome.MET,
            "direct product of U.S.-origin technology/software requiring a written assurance: "
            + ", ".join(hits),
            (path,),
        )
    if unsure:
        return Prong(Outcome.UNKNOWN, tuple(notes) or ("assurance not known",), (path,),
                     tuple(dict.fromkeys(unsure)))  # fmt: skip
    return fixed(
        Outcome.NOT_MET,
        "no U.S.-origin technology/software requiring a written assurance among the inputs"
        + (f" ({'; '.join(notes)})" if notes else ""),
        (path,),
    )


def _inputs_undecidable(case: Case) -> tuple[str, ...]:
    plants = case.production.plant_direct_product_of or ()
    return tuple(
        sorted(
            {
                p
                for p in plants
                if input_list(p) is None
                and (e := parse_eccn(p)).group in ("D", "E")
                and ns_status(e, related_counts=True) is Outcome.UNKNOWN
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
            _assured_inputs(case),
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
                ("production.plant_direct_product_of",),
            )
        product = both(_item(case), route)
        dest = destined_to(case, DESTINATION_GROUPS, (), "in Country Group D:1, E:1 or E:2")
        return rule_result(self, product, dest)


RULE = NationalSecurityRule()
