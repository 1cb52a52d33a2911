"""15 CFR 734.9(h): the advanced computing FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``: 3A090, 4A090 or a listed .z
paragraph; 3E001/4E001 technology only "for" 3A090/4A090, which an ECCN alone cannot show),
the technology/software that produced it (``production.technology_and_software``, subject
to the EAR suffices) or the plant's U.S.-origin inputs (``production.plant_direct_product_of``),
the destination and onward destinations (``destination``, ``knowledge.onward_destinations``),
``item.kind``, ``item.developer_headquarters_country`` and
``item.for_mask_or_wafer_production`` for the headquarters prong,
``knowledge.onward_item_eccns`` for the onward prong, the export date (the destination scope
grew on 2023-01-17 and 2023-11-17) and ``settings.ai_diffusion`` (AI Diffusion text "as
written", 90 FR 4544, or "as enforced" after BIS's non-enforcement announcement of
2025-05-13) and ``settings.advanced_computing_scope`` (``EvalContext.readings`` may override).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.ear.case import Case, ItemKind
from compliance.ear.fdp.base import (
    AdvancedComputingScope,
    EvalContext,
    FdpResult,
    Outcome,
)
from compliance.ear.fdp.entity_list import FN1_INPUTS
from compliance.ear.fdp.prongs import (
    CHINA,
    MACAU,
    Prong,
    both,
    destination,
    either,
    export_date_of,
    fixed,
    in_list,
    item_eccn,
    item_unknown,
    macau_or_d5,
    made_from,
    not_given,
    onward_non_ear99,
    onward_to,
    rule_result,
    scoped_onward,
    scoped_prong,
    settings_of,
)
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.reference.country_groups import in_group
from compliance.ear.settings import ai_diffusion_applies

# 87 FR 62186 (2022-10-13) and 88 FR 73458 (2023-11-17); list per third-party transcription
# of eCFR 2026-07-23 (ear-reference.md correction 12): the 734.9(e)(1) list plus 4D090,
# 5D002 and 5E002.
INPUTS: tuple[str, ...] = (*FN1_INPUTS, "4D090", "5D002", "5E002")

# Item scope (88 FR 73458; third-party transcription of eCFR 2026-07-23).
ITEMS: tuple[str, ...] = (
    "3A090", "4A090", "3A001.z", "4A003.z", "4A004.z", "4A005.z", "5A002.z", "5A004.z",
    "5A992.z",
)  # fmt: skip
# Before 88 FR 73458 only 3A090 and 4A090 items (87 FR 62186); the .z paragraphs came then.
ITEMS_2022: tuple[str, ...] = ("3A090", "4A090")
# Technology in scope only when it is "for" 3A090 / 4A090.
TECHNOLOGY_FOR: tuple[str, ...] = ("3E001", "4E001")

# Dated destination scope: 87 FR 62186 (effective 2022-10-07): the PRC; 88 FR 2821
# (2023-01-17): Macau added (MACAU_FROM); 88 FR 73458 (2023-11-17, WIDENED_FROM): Macau or
# D:5 (and, on one reading, D:1/D:4 not also in A:5/A:6).
MACAU_FROM = date(2023, 1, 17)
WIDENED_FROM = date(2023, 11, 17)
_TECH_FOR = "item.technology_for_3a090_4a090"


def _item(case: Case, on: date) -> Prong:
    if case.item.eccn is None:
        return item_unknown("in the 734.9(h) item scope (3A090, 4A090, listed .z paragraphs)")
    eccn = item_eccn(case)
    items = ITEMS if on >= WIDENED_FROM else ITEMS_2022
    if in_list(items)(eccn):
        return fixed(
            Outcome.MET, f"item ECCN {eccn.text} is in the 734.9(h) item scope", ("item.eccn",)
        )
    if in_list(TECHNOLOGY_FOR)(eccn):
        flag = case.item.technology_for_3a090_4a090
        if flag is None:
            return Prong(
                Outcome.UNKNOWN,
                (
                    f"item is {eccn.text} technology: in scope only if it is for 3A090/4A090 "
                    "items, which the case does not say",
                ),
                ("item.eccn", _TECH_FOR),
                (_TECH_FOR,),
            )
        return fixed(
            Outcome.MET if flag else Outcome.NOT_MET,
            f"item is {eccn.text} technology {'for' if flag else 'not for'} 3A090/4A090 items",
            ("item.eccn", _TECH_FOR),
        )
    return fixed(
        Outcome.NOT_MET,
        f"item ECCN {eccn.text} is not 3A090, 4A090"
        + (" or a listed .z paragraph" if on >= WIDENED_FROM else " (before 2023-11-17)"),
        ("item.eccn",),
    )


def _wide_only(country: str) -> bool:
    """In D:1 or D:4, not in A:5/A:6, not Macau or D:5: inside only the wider reading."""
    return (
        country != MACAU
        and not in_group(country, "D:5")
        and (in_group(country, "D:1") or in_group(country, "D:4"))
        and not (in_group(country, "A:5") or in_group(country, "A:6"))
    )


def _country_outcome(country: str, reading: AdvancedComputingScope, on: date) -> Outcome:
    if on < MACAU_FROM:
        return Outcome.MET if country == CHINA else Outcome.NOT_MET
    if on < WIDENED_FROM:
        return Outcome.MET if country in (CHINA, MACAU) else Outcome.NOT_MET
    if country == MACAU or in_group(country, "D:5"):
        return Outcome.MET
    if not _wide_only(country):
        return Outcome.NOT_MET
    if reading is AdvancedComputingScope.WITH_D1_D4:
        return Outcome.MET
    if reading is AdvancedComputingScope.MACAU_OR_D5:
        return Outcome.NOT_MET
    return Outcome.UNKNOWN


_READING = "settings.advanced_computing_scope"


def _scope_words(reading: AdvancedComputingScope, on: date) -> str:
    if on < MACAU_FROM:
        return "the PRC (87 FR 62186, before Macau was added on 2023-01-17)"
    if on < WIDENED_FROM:
        return "the PRC or Macau (88 FR 2821, before 88 FR 73458 of 2023-11-17)"
    return f"Macau or D:5; D:1/D:4 by settings.advanced_computing_scope '{reading.value}'"


def _destined(case: Case, reading: AdvancedComputingScope, on: date) -> Prong:
    dest = destination(case)
    outcome = _country_outcome(dest, reading, on)
    if outcome is Outcome.UNKNOWN:
        return Prong(
            outcome,
            (
                f"destination {dest} is in D:1/D:4 but not Macau, D:5, A:5 or A:6: inside "
                "734.9(h) only under the wider 2023 reading (unresolved)",
            ),
            ("destination", _READING),
            (_READING,),
        )
    verdict = "is" if outcome is Outcome.MET else "is not"
    return fixed(
        outcome,
        f"destination {dest} {verdict} in the 734.9(h) destination scope "
        f"({_scope_words(reading, on)})",
        ("destination", _READING),
    )


def _onward(case: Case, reading: AdvancedComputingScope, on: date) -> Prong:
    path = "knowledge.onward_destinations"
    onward = case.knowledge.onward_destinations
    if onward is None:
        return both(_scoped_onward(case, reading, on), onward_non_ear99(case, "734.9(h)(2)"))
    outcomes = [_country_outcome(normalize_destination(c), reading, on) for c in onward]
    if Outcome.MET in outcomes:
        return both(
            onward_to(
                case,
                lambda c: _country_outcome(c, reading, on) is Outcome.MET,
                "in the 734.9(h) scope",
            ),
            onward_non_ear99(case, "734.9(h)(2)"),
        )
    if Outcome.UNKNOWN in outcomes:
        return Prong(
            Outcome.UNKNOWN,
            ("an onward destination is in D:1/D:4 only: scope reading unresolved",),
            (path, _READING),
            (_READING,),
        )
    return fixed(Outcome.NOT_MET, "no onward destination in the 734.9(h) scope", (path,))


def _scoped_onward(case: Case, reading: AdvancedComputingScope, on: date) -> Prong:
    """The onward prong from ``knowledge.onward_to`` when the full list is not given."""
    wide = on >= WIDENED_FROM and reading is not AdvancedComputingScope.MACAU_OR_D5
    keys = ("macau_or_d5", "d1_d4") if wide else ("macau_or_d5",)
    prong = scoped_prong(case, keys, "734.9(h) destinations")
    if prong.outcome is Outcome.MET and on < WIDENED_FROM:
        # Before 88 FR 73458 only the PRC (and Macau) were in scope: "Macau or D:5" is wider.
        path = "knowledge.onward_destinations"
        return not_given(path, f"onward to Macau or D:5 known; the PRC or Macau? ({path})")
    if (
        prong.outcome is Outcome.MET
        and reading is AdvancedComputingScope.UNRESOLVED
        and scoped_onward(case, "macau_or_d5") is not True
    ):
        return Prong(
            Outcome.UNKNOWN,
            ("onward to D:1/D:4 only: scope reading unresolved",),
            prong.facts_used,
            (_READING,),
        )
    return prong


_HQ = "item.developer_headquarters_country"
_MASK = "item.for_mask_or_wafer_production"


def _headquarters(case: Case) -> Prong:
    """Technology developed by an entity headquartered (or whose ultimate parent is) in
    Macau or D:5 for producing a mask or an IC wafer or die (ear-reference.md correction 6)."""
    if case.item.kind is not ItemKind.TECHNOLOGY:
        return fixed(
            Outcome.NOT_MET,
            f"headquarters prong reaches only technology; the item is a {case.item.kind.value}",
            ("item.kind",),
        )
    hq = case.item.developer_headquarters_country
    hq_prong = (
        Prong(Outcome.UNKNOWN, ("developer headquarters not given",), (_HQ,), (_HQ,))
        if hq is None
        else fixed(
            Outcome.MET if macau_or_d5(normalize_destination(hq)) else Outcome.NOT_MET,
            f"developer headquartered in {normalize_destination(hq)}"
            + (" (Macau or D:5)" if macau_or_d5(normalize_destination(hq)) else ""),
            (_HQ,),
        )
    )
    mask = case.item.for_mask_or_wafer_production
    mask_prong = (
        Prong(Outcome.UNKNOWN, ("mask/wafer purpose not given",), (_MASK,), (_MASK,))
        if mask is None
        else fixed(
            Outcome.MET if mask else Outcome.NOT_MET,
            f"technology {'is' if mask else 'is not'} for producing a mask or IC wafer/die",
            (_MASK,),
        )
    )
    return both(hq_prong, mask_prong, label="headquarters prong")


@dataclass(frozen=True)
class AdvancedComputingRule:
    """15 CFR 734.9(h): 87 FR 62186 (2022-10-13), widened by 88 FR 73458 (2023-11-17)."""

    rule_id: str = "734.9(h)"
    title: str = "Advanced computing FDP rule"
    citation: str = "15 CFR 734.9(h)"
    license_citations: tuple[str, ...] = ("15 CFR 742.6(a)(6)(iii)",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        test = in_list(INPUTS)
        settings = settings_of(ctx, case)
        on = export_date_of(ctx, case)
        product = both(
            _item(case, on),
            made_from(case, test, "the 734.9(h) list", us_origin=False),
        )
        if ai_diffusion_applies(settings, on):
            dest = fixed(
                Outcome.MET,
                "AI Diffusion text applied (settings.ai_diffusion 'as written', 90 FR 4544): "
                "734.9(h)(2) reaches every destination",
                ("settings.ai_diffusion", "export_date"),
            )
        else:
            override = ctx.readings.advanced_computing_scope
            reading = settings.advanced_computing_scope if override is None else override
            dest = either(
                _destined(case, reading, on), _onward(case, reading, on), _headquarters(case)
            )
        return rule_result(self, product, dest)


RULE = AdvancedComputingRule()
