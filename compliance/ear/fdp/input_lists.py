"""Production inputs known only by the list they are on (``compliance.ear.case.InputList``).

A manufacturer often knows "our fab tools are direct products of technology on the
734.9(e)(1) list" without the exact ECCN. Each list stands for a set of ECCNs; against a rule's
own input test the input is met when every member passes, not met when none does, and
unknown otherwise (the exact ECCN would decide). The sets are the rules' own dated constants,
so a list and the rule that names it can never disagree.

Reading (docs/ear-fdp.md): U.S.-origin 3B001/3B090 production equipment in a plant is read as
a direct product of U.S.-origin 3E001 technology, the technology "for" the production of
those items (15 CFR 734.9(a) 'major component'; ear-reference.md section 4, plant prong).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from compliance.ear.case import InputList, input_list
from compliance.ear.eccn import Eccn, parse_eccn
from compliance.ear.fdp.base import Outcome


@cache
def members(name: InputList) -> tuple[str, ...]:
    """The ECCNs a list stands for (imports are local: the rule modules import this one)."""
    from compliance.ear.fdp import advanced_computing, entity_list, national_security
    from compliance.ear.reference import ccl

    match name:
        case InputList.E1:
            return entity_list.FN1_INPUTS
        case InputList.E2:
            return entity_list.FN4_INPUTS
        case InputList.E3_K:
            return entity_list.FN5_PLANT_INPUTS
        case InputList.H:
            return advanced_computing.INPUTS
        case InputList.SME_3B:
            return ("3E001",)
        case InputList.NS | InputList.NS_CAT3:
            wanted = None if name is InputList.NS else 3
            return tuple(
                text
                for text in ccl.all_eccns()
                if (e := parse_eccn(text)).group in ("D", "E")
                and (wanted is None or e.category == wanted)
                and national_security.ns_status(e, related_counts=True) is Outcome.MET
            )


def ref_outcome(ref: str, test: Callable[[Eccn], bool]) -> Outcome:
    """Whether an input named by ``ref`` (an ECCN or a list name) passes ``test``."""
    found = input_list(ref)
    if found is None:
        return Outcome.MET if test(parse_eccn(ref)) else Outcome.NOT_MET
    hits = [test(parse_eccn(m)) for m in members(found)]
    if hits and all(hits):
        return Outcome.MET
    if not any(hits):
        return Outcome.NOT_MET
    return Outcome.UNKNOWN
