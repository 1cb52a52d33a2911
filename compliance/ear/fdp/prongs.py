"""Tri-state prongs shared by the 15 CFR 734.9 rules, read from the case model.

A prong is one condition of a scope (e.g. "direct product of listed technology" or "a
footnote 1 entity is a party"). Prongs combine with ``either`` (the regulation's "or") and
``both`` ("and"); a scope is the combined prong plus its citation. Every prong names the
dotted case paths it read and, when unknown, the paths whose absence left it unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from compliance.ear.case import Case, CaseParty
from compliance.ear.eccn import Eccn, eccn_matches, parse_eccn
from compliance.ear.fdp.base import (
    EvalContext,
    Outcome,
    PartyFootnotes,
    ScopeFinding,
    all_of,
    any_of,
)
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.reference.country_groups import in_group
from compliance.ear.settings import AffiliatesStatus, RulesetSettings, affiliates_status

EccnTest = Callable[[Eccn], bool]

MACAU = "MO"
CHINA = "CN"


@dataclass(frozen=True)
class Prong:
    """One condition with its evidence; ``missing`` is meaningful only while unknown."""

    outcome: Outcome
    reasons: tuple[str, ...] = ()
    facts_used: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _merge(outcome: Outcome, label: str, prongs: tuple[Prong, ...]) -> Prong:
    reasons = tuple(f"{label}: {r}" if label else r for p in prongs for r in p.reasons)
    missing: tuple[str, ...] = ()
    if outcome is Outcome.UNKNOWN:
        missing = _unique(m for p in prongs if p.outcome is Outcome.UNKNOWN for m in p.missing)
    return Prong(
        outcome=outcome,
        reasons=reasons,
        facts_used=_unique(f for p in prongs for f in p.facts_used),
        missing=missing,
    )


def either(*prongs: Prong, label: str = "") -> Prong:
    """The regulation's "or": met if any prong is met, not met only if all are not met."""
    return _merge(any_of(p.outcome for p in prongs), label, prongs)


def both(*prongs: Prong, label: str = "") -> Prong:
    """The regulation's "and": not met if any prong is not met, met only if all are met."""
    return _merge(all_of(p.outcome for p in prongs), label, prongs)


def to_scope(prong: Prong, citation: str) -> ScopeFinding:
    """Freeze a combined prong into the scope finding reported for a rule."""
    return ScopeFinding(
        outcome=prong.outcome,
        reasons=prong.reasons,
        facts_used=prong.facts_used,
        missing_facts=prong.missing if prong.outcome is Outcome.UNKNOWN else (),
        citation=citation,
    )


def fixed(outcome: Outcome, reason: str, facts: tuple[str, ...] = ()) -> Prong:
    return Prong(outcome=outcome, reasons=(reason,), facts_used=facts)


# --- ECCN tests -------------------------------------------------------------------------


def in_list(patterns: Iterable[str]) -> EccnTest:
    """The ECCN falls under one of ``patterns`` (a pattern may name a paragraph).

    The test is built once per pattern list and its answers memoised per ECCN: rules call
    this on every evaluation with the same module-level lists.
    """
    return _compiled(tuple(patterns))


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> EccnTest:
    parsed = tuple(parse_eccn(p) for p in patterns)

    @lru_cache(maxsize=4096)
    def test(e: Eccn) -> bool:
        return any(eccn_matches(e, p) for p in parsed)

    return test


def d_or_e(categories: Iterable[int] | None = None) -> EccnTest:
    """Product group D (software) or E (technology), optionally only in ``categories``."""
    allowed = None if categories is None else frozenset(categories)
    return lambda e: (
        not e.is_ear99
        and e.group in ("D", "E")
        and (allowed is None or (e.category is not None and e.category in allowed))
    )


def item_eccn(case: Case) -> Eccn:
    return parse_eccn(case.item.eccn)


def item_in(
    case: Case, test: EccnTest, description: str, *, exclude: EccnTest | None = None
) -> Prong:
    """The foreign item's own classification is in the rule's item scope."""
    eccn = item_eccn(case)
    hit = test(eccn) and not (exclude is not None and exclude(eccn))
    verdict = "is" if hit else "is not"
    return fixed(
        Outcome.MET if hit else Outcome.NOT_MET,
        f"item ECCN {eccn.text} {verdict} {description}",
        ("item.eccn",),
    )


# --- production prongs -----------------------------------------------------------------


def direct_product(case: Case, test: EccnTest, description: str, *, us_origin: bool) -> Prong:
    """The item is a direct product of technology/software in the listed ECCNs.

    ``us_origin``: the rule requires U.S.-origin technology/software (not merely technology
    subject to the EAR).
    """
    path = "production.technology_and_software"
    inputs = case.production.technology_and_software
    origin = "U.S.-origin " if us_origin else ""
    if inputs is None:
        return Prong(
            Outcome.UNKNOWN,
            (f"not known which technology/software produced the item ({path} not given)",),
            (path,),
            (path,),
        )
    hits = sorted(
        i.eccn for i in inputs if test(parse_eccn(i.eccn)) and (i.us_origin or not us_origin)
    )
    if hits:
        return fixed(
            Outcome.MET,
            f"direct product of {origin}technology/software {', '.join(hits)} ({description})",
            (path,),
        )
    return fixed(
        Outcome.NOT_MET,
        f"no {origin}technology/software {description} among the inputs given",
        (path,),
    )


def plant_product(case: Case, test: EccnTest, description: str) -> Prong:
    """Produced by a plant/major component abroad that is a direct product of U.S.-origin
    technology/software in the listed ECCNs (15 CFR 734.9(a) 'major component')."""
    path = "production.plant_direct_product_of"
    eccns = case.production.plant_direct_product_of
    if eccns is None:
        return Prong(
            Outcome.UNKNOWN,
            (f"not known whether the producing plant is a U.S. direct product ({path})",),
            (path,),
            (path,),
        )
    hits = sorted(e for e in eccns if test(parse_eccn(e)))
    if hits:
        return fixed(
            Outcome.MET,
            "produced by a plant or major component that is a direct product of U.S.-origin "
            f"{', '.join(hits)} ({description})",
            (path,),
        )
    return fixed(
        Outcome.NOT_MET,
        f"producing plant is not a direct product of U.S.-origin {description}",
        (path,),
    )


def ic_plant_product(case: Case, test: EccnTest, description: str) -> Prong:
    """Contains an IC made by a plant that is a direct product of listed U.S.-origin
    technology/software (IC 'production' includes fab and assembly/test/packaging)."""
    path = "production.ic_plant_direct_product_of"
    eccns = case.production.ic_plant_direct_product_of
    if eccns is None:
        return Prong(
            Outcome.UNKNOWN,
            (f"not known whether the item contains an IC made by such a plant ({path})",),
            (path,),
            (path,),
        )
    hits = sorted(e for e in eccns if test(parse_eccn(e)))
    if hits:
        return fixed(
            Outcome.MET,
            "contains an integrated circuit made by a plant that is a direct product of "
            f"U.S.-origin {', '.join(hits)} ({description})",
            (path,),
        )
    return fixed(
        Outcome.NOT_MET,
        f"contains no integrated circuit made by a plant that is a direct product of {description}",
        (path,),
    )


# --- destination prongs ----------------------------------------------------------------


def destination(case: Case) -> str:
    """ISO-2 destination; Hong Kong is China (85 FR 83765), Macau stays Macau."""
    return normalize_destination(case.destination)


def in_groups(country: str, groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(g for g in groups if in_group(country, g))


def destined_to(
    case: Case, groups: tuple[str, ...], countries: tuple[str, ...], description: str
) -> Prong:
    """Knowledge that the item is destined to one of ``groups`` or ``countries``."""
    dest = destination(case)
    found = in_groups(dest, groups) + tuple(c for c in countries if c == dest)
    shown = dest if dest == case.destination else f"{dest} (given as {case.destination!r})"
    if found:
        return fixed(
            Outcome.MET,
            f"destination {shown} is {description} ({', '.join(found)})",
            ("destination",),
        )
    return fixed(Outcome.NOT_MET, f"destination {shown} is not {description}", ("destination",))


def onward_to(case: Case, test: Callable[[str], bool], description: str) -> Prong:
    """Knowledge that the item will be incorporated into items destined to ``description``."""
    path = "knowledge.onward_destinations"
    onward = case.knowledge.onward_destinations
    if onward is None:
        return Prong(
            Outcome.UNKNOWN,
            (f"onward destinations of items incorporating the item not known ({path})",),
            (path,),
            (path,),
        )
    codes = sorted({normalize_destination(c) for c in onward})
    hits = [c for c in codes if test(c)]
    if hits:
        return fixed(
            Outcome.MET,
            f"to be incorporated into items destined to {', '.join(hits)} ({description})",
            (path,),
        )
    return fixed(Outcome.NOT_MET, f"no onward destination is {description}", (path,))


def onward_non_ear99(case: Case, paragraph: str) -> Prong:
    """The items the foreign item goes into are non-EAR99 (the onward prongs of 734.9(f),
    (h), (j) reach only parts, components or equipment on the CCL)."""
    path = "knowledge.onward_item_eccns"
    eccns = case.knowledge.onward_item_eccns
    if eccns is None:
        return Prong(
            Outcome.UNKNOWN,
            (f"classification of the items it will be incorporated into not known ({path})",),
            (path,),
            (path,),
        )
    listed = sorted({e for e in eccns if not parse_eccn(e).is_ear99})
    if listed:
        return fixed(
            Outcome.MET,
            f"incorporated into items classified {', '.join(listed)} (non-EAR99, {paragraph})",
            (path,),
        )
    return fixed(
        Outcome.NOT_MET,
        f"the items it will be incorporated into are EAR99 ({paragraph} needs non-EAR99 items)",
        (path,),
    )


def macau_or_d5(country: str) -> bool:
    """Macau is not in D:5, so semiconductor rules name it separately."""
    return country == MACAU or in_group(country, "D:5")


# --- party prongs ----------------------------------------------------------------------

_FINAL_ROLES = ("ultimate consignee", "end user")


def listed_party(ctx: EvalContext, case: Case, footnote: int) -> Prong:
    """A footnote-N Entity List entity is a party (purchaser, intermediate consignee,
    ultimate consignee or end user; 15 CFR 748.5(c)-(f)).

    Not met only when every party's footnotes are definitive and the ultimate consignee or
    end user is known: a review-level screening match keeps the prong unknown.
    """
    path = "parties"
    used: list[str] = []
    unsure: list[str] = []
    view = footnotes_view(ctx, case)
    for index, pf in enumerate(view):
        label = f"parties[{index}] ({pf.role}{': ' + pf.name if pf.name else ''})"
        used.append(f"parties[{index}].entity_list")
        if footnote in pf.footnotes:
            return fixed(
                Outcome.MET,
                f"{label} is an Entity List footnote {footnote} entity",
                (f"parties[{index}].entity_list",),
            )
        if pf.screening_inconclusive is not False:
            unsure.append(f"parties[{index}].entity_list")
    missing: list[str] = list(unsure)
    roles = {pf.role for pf in view} | {p.role.value for p in case.parties}
    if not any(r in roles for r in _FINAL_ROLES):
        missing.append(f"{path} (ultimate consignee or end user)")
    if missing:
        why = []
        if unsure:
            why.append(
                "Entity List status not settled for "
                + ", ".join(unsure)
                + " (review-level screening match, or not screened)"
            )
        if len(missing) > len(unsure):
            why.append("no ultimate consignee or end user named")
        return Prong(
            Outcome.UNKNOWN,
            (f"whether a footnote {footnote} entity is a party is unknown: {'; '.join(why)}",),
            tuple(used) or (path,),
            tuple(missing),
        )
    return fixed(
        Outcome.NOT_MET, f"no party is an Entity List footnote {footnote} entity", tuple(used)
    )


def listed_production(case: Case, footnote: int) -> Prong:
    """Knowledge that the item will be incorporated into, or used to produce or develop,
    items produced, purchased or ordered by a footnote-N entity."""
    path = "knowledge.listed_entity_production"
    known = case.knowledge.listed_entity_production
    if known is None:
        return Prong(
            Outcome.UNKNOWN,
            (
                f"not known whether a footnote {footnote} entity will produce, purchase or order "
                f"items made with or incorporating the item ({path})",
            ),
            (path,),
            (path,),
        )
    if footnote in known:
        return fixed(
            Outcome.MET,
            f"knowledge: the item is for items produced, purchased or ordered by a footnote "
            f"{footnote} entity",
            (path,),
        )
    return fixed(
        Outcome.NOT_MET,
        f"no knowledge of use for items of a footnote {footnote} entity",
        (path,),
    )


def party_flag(case: Case, attr: str, description: str) -> Prong:
    """A tri-state flag on the parties (e.g. ``government_of_iran``): any True meets it."""
    values: list[tuple[int, CaseParty, bool | None]] = [
        (i, p, getattr(p, attr)) for i, p in enumerate(case.parties)
    ]
    used = tuple(f"parties[{i}].{attr}" for i, _, _ in values) or ("parties",)
    for i, party, value in values:
        if value is True:
            return fixed(
                Outcome.MET,
                f"parties[{i}] ({party.role.value}: {party.name}) is {description}",
                (f"parties[{i}].{attr}",),
            )
    unknown = tuple(f"parties[{i}].{attr}" for i, _, v in values if v is None)
    if unknown or not values:
        return Prong(
            Outcome.UNKNOWN,
            (f"not known whether {description} is a party",),
            used,
            unknown or ("parties",),
        )
    return fixed(Outcome.NOT_MET, f"no party is {description}", used)


def settings_of(ctx: EvalContext, case: Case) -> RulesetSettings:
    return ctx.settings if ctx.settings is not None else case.settings


def export_date_of(ctx: EvalContext, case: Case) -> date:
    return ctx.export_date if ctx.export_date is not None else case.export_date


def footnotes_view(ctx: EvalContext, case: Case) -> tuple[PartyFootnotes, ...]:
    """The engine's resolved footnotes, or (when it resolved none) the case's own.

    Derived from the case, a party without a given Entity List status is unsettled, and
    while the Affiliates rule (90 FR 47201) is in force an unknown ownership is unsettled
    too (Red Flag 29, Supp. No. 3 to part 732).
    """
    if ctx.parties_footnotes:
        return ctx.parties_footnotes
    in_force = (
        affiliates_status(settings_of(ctx, case), export_date_of(ctx, case))
        is AffiliatesStatus.IN_FORCE
    )
    view: list[PartyFootnotes] = []
    for party in case.parties:
        notes: set[int] = set()
        settled = party.entity_list is not None
        sources: list[str] = []
        if party.entity_list is not None:
            notes.update(party.entity_list.footnotes)
            sources.append("caller: entity_list")
        if in_force:
            if party.affiliate_of_listed is True:
                notes.update(party.affiliate_footnotes)
                sources.append("caller: affiliate_of_listed (90 FR 47201)")
            elif party.affiliate_of_listed is None:
                settled = False
        view.append(
            PartyFootnotes(
                role=party.role.value,
                name=party.name,
                footnotes=frozenset(notes),
                screening_inconclusive=None if not settled else False,
                sources=tuple(sources),
            )
        )
    return tuple(view)
