"""15 CFR 734.9(i): the "supercomputer" FDP rule.

Reads from the case: the technology/software that produced the item
(``production.technology_and_software``, subject to the EAR suffices) or the plant's
U.S.-origin inputs (``production.plant_direct_product_of``); any item, EAR99 included;
and the end-use scope: knowledge that the item is for a "supercomputer"
(``knowledge.supercomputer_end_use``) located in or destined to the place the rule names,
taken from ``knowledge.supercomputer_location`` (else ``destination`` and
``knowledge.onward_destinations``), the export date (the PRC from 2022-10-07, Macau from
2023-01-17, the current wording from 2023-11-17), under
``settings.supercomputer_scope`` ("PRC or Macau" is certain since 88 FR 2821; whether other
D:5 destinations are inside is unresolved, ear-reference.md correction 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.ear.case import Case
from compliance.ear.fdp.advanced_computing import MACAU_FROM, WIDENED_FROM
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.entity_list import FN1_INPUTS
from compliance.ear.fdp.prongs import (
    ANY_ITEM,
    CHINA,
    MACAU,
    Prong,
    both,
    destination,
    export_date_of,
    fixed,
    in_list,
    macau_or_d5,
    made_from,
    not_given,
    rule_result,
    scoped_onward,
    settings_of,
)
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.reference.country_groups import in_group
from compliance.ear.settings import SupercomputerScope

# 87 FR 62186 (2022-10-13): the footnote 1 input list; the 2024 additions per third-party
# transcription of eCFR 2026-07-23 (ear-reference.md correction 12) are in FN1_INPUTS.
INPUTS: tuple[str, ...] = FN1_INPUTS

_PATH = "knowledge.supercomputer_end_use"
_READING = "settings.supercomputer_scope"


# 87 FR 62186 (effective 2022-10-07): the PRC; 88 FR 2821 (2023-01-17, MACAU_FROM): Macau
# added; 88 FR 73458 (2023-11-17, WIDENED_FROM): current wording, "Macau or D:5" on one
# reading (open question). The same dates as the 734.9(h) destination scope.
_WHERE = "knowledge.supercomputer_location"


def _location(case: Case, reading: SupercomputerScope, on: date) -> Prong:
    """Where the supercomputer is: ``knowledge.supercomputer_location`` when given, else the
    destination or an onward destination."""
    given = case.knowledge.supercomputer_location
    onward = None if given is not None else case.knowledge.onward_destinations
    if given is not None:
        places = [normalize_destination(given)]
        used: tuple[str, ...] = (_WHERE, _READING)
    else:
        places = sorted({destination(case), *(normalize_destination(c) for c in onward or ())})
        used = ("destination", "knowledge.onward_destinations", _WHERE, _READING)
    if on < WIDENED_FROM:
        scope = (CHINA,) if on < MACAU_FROM else (CHINA, MACAU)
        words = "the PRC" if on < MACAU_FROM else "the PRC or Macau"
        hits = [c for c in places if c in scope]
        if hits:
            return fixed(Outcome.MET, f"supercomputer in {', '.join(hits)} ({words})", used)
        if given is not None or onward is not None:
            return fixed(
                Outcome.NOT_MET,
                f"supercomputer not in {words}, the 734.9(i) scope on {on.isoformat()}",
                used,
            )
        return Prong(
            Outcome.UNKNOWN,
            ("supercomputer end use known, but not where the supercomputer is",),
            used,
            (_WHERE,),
        )
    certain = [c for c in places if c in (CHINA, MACAU)]
    if certain:
        return fixed(Outcome.MET, f"supercomputer in {', '.join(certain)} (PRC or Macau)", used)
    other_d5 = [c for c in places if in_group(c, "D:5")]
    if given is not None and not other_d5:
        return fixed(Outcome.NOT_MET, f"supercomputer in {places[0]}: neither Macau nor D:5", used)
    if reading is SupercomputerScope.MACAU_OR_D5:
        # The knowledge fact is defined as "for a supercomputer in Macau or D:5".
        return fixed(
            Outcome.MET,
            "supercomputer in Macau or D:5 (reading 'macau or d:5')"
            + (f": {', '.join(other_d5)}" if other_d5 else ""),
            used,
        )
    if other_d5 and reading is SupercomputerScope.PRC_OR_MACAU:
        return fixed(
            Outcome.NOT_MET,
            f"supercomputer in {', '.join(other_d5)}: D:5 but not PRC/Macau (reading "
            "'prc or macau')",
            used,
        )
    if other_d5:
        return Prong(
            Outcome.UNKNOWN,
            (
                f"supercomputer in {', '.join(other_d5)}: D:5 but not PRC/Macau; whether "
                "734.9(i) reaches it is unresolved",
            ),
            used,
            (_READING,),
        )
    missing = () if onward is not None else (_WHERE,)
    if reading is SupercomputerScope.PRC_OR_MACAU and not missing:
        return fixed(
            Outcome.NOT_MET, "no destination or onward destination is the PRC or Macau", used
        )
    return Prong(
        Outcome.UNKNOWN,
        ("supercomputer end use known, but not where the supercomputer is",),
        used,
        missing or (_READING,),
    )


def _nothing_there(case: Case) -> bool:
    """Negative knowledge settles the end use: nothing goes to Macau or D:5 (734.9(i) names
    only supercomputers located in or destined to Macau or D:5)."""
    where = case.knowledge.supercomputer_location
    if where is not None:
        return not macau_or_d5(normalize_destination(where))
    return not macau_or_d5(destination(case)) and scoped_onward(case, "macau_or_d5") is False


def _end_use(case: Case, reading: SupercomputerScope, on: date) -> Prong:
    value = case.knowledge.supercomputer_end_use
    if value is None and _nothing_there(case):
        return fixed(
            Outcome.NOT_MET,
            "destination is neither Macau nor D:5 and there is no knowledge of incorporation "
            "into, or export to, Macau or D:5: no knowledge of a supercomputer there",
            ("destination", "knowledge.onward_to.macau_or_d5"),
        )
    if value is None:
        return not_given(_PATH, f"not known whether the item is for a supercomputer ({_PATH})")
    if not value:
        return fixed(Outcome.NOT_MET, "no supercomputer end use known", (_PATH,))
    return both(
        fixed(Outcome.MET, "supercomputer end use known", (_PATH,)), _location(case, reading, on)
    )


@dataclass(frozen=True)
class SupercomputerRule:
    """15 CFR 734.9(i): 87 FR 62186 (2022-10-13), Macau added by 88 FR 2821."""

    rule_id: str = "734.9(i)"
    title: str = '"Supercomputer" FDP rule'
    citation: str = "15 CFR 734.9(i)"
    license_citations: tuple[str, ...] = ("15 CFR 744.23(a)(1)",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        test = in_list(INPUTS)
        product = both(ANY_ITEM, made_from(case, test, "the 734.9(i) list", us_origin=False))
        end_use = _end_use(
            case, settings_of(ctx, case).supercomputer_scope, export_date_of(ctx, case)
        )
        return rule_result(self, product, end_use)


RULE = SupercomputerRule()
