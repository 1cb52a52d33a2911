"""Tri-state prongs shared by the 15 CFR 734.9 rules, read from the case model.

A prong is one condition of a scope (e.g. "direct product of listed technology" or "a
footnote 1 entity is a party"). Prongs combine with ``either`` (the regulation's "or") and
``both`` ("and"); a scope is the combined prong plus its citation. Every prong names the
dotted case paths it read and, when unknown, the paths whose absence left it unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple, Protocol

from compliance.ear.case import Case, CaseParty, ProductionInput
from compliance.ear.eccn import Eccn, eccn_matches, parse_eccn
from compliance.ear.fdp.base import (
    EvalContext,
    FdpResult,
    Outcome,
    PartyFootnotes,
    ScopeFinding,
    all_of,
    any_of,
    build_result,
)
from compliance.ear.fdp.input_lists import ref_outcome
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.reference.country_groups import in_group
from compliance.ear.settings import AffiliatesStatus, RulesetSettings, affiliates_status
from compliance.ear.trusted import trusted

EccnTest = Callable[[Eccn], bool]

MACAU = "MO"
_UNKNOWN = Outcome.UNKNOWN  # bound once: enum member lookups are slow in hot loops
CHINA = "CN"


class Prong(NamedTuple):
    """One condition with its evidence; ``missing`` is meaningful only while unknown.

    A named tuple rather than a frozen dataclass: a determination builds about a hundred
    prongs, and tuple construction is a third of the cost."""

    outcome: Outcome
    reasons: tuple[str, ...] = ()
    facts_used: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    closers: tuple[frozenset[str], ...] | None = None
    """While unknown: sets of missing facts whose negative answers ("no", "none", not
    listed) would each leave the prong not met; None = all of ``missing`` together."""


_Fields = tuple[
    Outcome, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[frozenset[str], ...] | None
]


def _prong(fields: _Fields) -> Prong:
    """``Prong(*fields)`` without the generated ``__new__`` wrapper (hot path)."""
    return tuple.__new__(Prong, fields)


MAX_CLOSERS = 16
"""Alternatives kept per prong (the smallest first): enough for every rule of 734.9, and a
bound on the work when many unknown prongs are combined."""


def closers_of(prong: Prong) -> tuple[frozenset[str], ...]:
    """The fact sets that would each close an unknown prong; () when no fact would."""
    if prong.closers is not None:
        return prong.closers
    return (frozenset(prong.missing),) if prong.missing else ()


def minimal_sets(sets: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """The smallest sets first, without any set that contains another, at most MAX_CLOSERS."""
    out: list[frozenset[str]] = []
    for one in sorted(set(sets), key=lambda s: (len(s), sorted(s))):
        if not any(kept <= one for kept in out):
            out.append(one)
            if len(out) == MAX_CLOSERS:
                break
    return tuple(out)


def _closers(conjunction: bool, prongs: tuple[Prong, ...]) -> tuple[frozenset[str], ...]:
    """An "and" is closed by closing any unknown part; an "or" only by closing every one."""
    parts = [closers_of(p) for p in prongs if p.outcome is _UNKNOWN]
    if conjunction:
        return minimal_sets(c for part in parts for c in part)
    combined: tuple[frozenset[str], ...] = (frozenset(),)
    for part in parts:
        if not part:
            return ()
        combined = minimal_sets(a | b for a in combined for b in part)
    return combined


@lru_cache(maxsize=8192)
def _merge(
    outcome: Outcome, label: str, prongs: tuple[Prong, ...], conjunction: bool = False
) -> Prong:
    """Memoised: prongs are immutable and the same combinations recur in every case."""
    reasons: list[str] = []
    facts: dict[str, None] = {}
    missing: dict[str, None] = {}
    unknown = outcome is _UNKNOWN
    for p in prongs:
        if label:
            reasons.extend([f"{label}: {r}" for r in p.reasons])
        else:
            reasons.extend(p.reasons)
        for f in p.facts_used:
            facts[f] = None
        if unknown and p.outcome is _UNKNOWN:
            for m in p.missing:
                missing[m] = None
    closers = _closers(conjunction, prongs) if unknown else None
    return _prong((outcome, tuple(reasons), tuple(facts), tuple(missing), closers))


def either(*prongs: Prong, label: str = "") -> Prong:
    """The regulation's "or": met if any prong is met, not met only if all are not met."""
    return _merge(any_of([p.outcome for p in prongs]), label, prongs)


def both(*prongs: Prong, label: str = "") -> Prong:
    """The regulation's "and": not met if any prong is not met, met only if all are met."""
    return _merge(all_of([p.outcome for p in prongs]), label, prongs, True)


def to_scope(prong: Prong, citation: str) -> ScopeFinding:
    """Freeze a combined prong into the scope finding reported for a rule."""
    return trusted(
        ScopeFinding,
        outcome=prong.outcome,
        reasons=prong.reasons,
        facts_used=prong.facts_used,
        missing_facts=prong.missing if prong.outcome is Outcome.UNKNOWN else (),
        citation=citation,
        closed_by=tuple(tuple(f for f in prong.missing if f in c) for c in closers_of(prong))
        if prong.outcome is Outcome.UNKNOWN
        else (),
    )


def fixed(outcome: Outcome, reason: str, facts: tuple[str, ...] = ()) -> Prong:
    """A settled prong (met or not met) with one reason."""
    return _prong((outcome, (reason,), facts, (), None))


def not_given(path: str, reason: str) -> Prong:
    """Unknown because the case fact at ``path`` was not given (it is both read and missing)."""
    return _prong((Outcome.UNKNOWN, (reason,), (path,), (path,), None))


def met_if_any(path: str, hits: Sequence[str], met: str, not_met: str) -> Prong:
    """Met when ``hits`` (read from ``path``) is non-empty; ``{hits}`` in ``met`` lists them."""
    if hits:
        return fixed(Outcome.MET, met.replace("{hits}", ", ".join(hits)), (path,))
    return fixed(Outcome.NOT_MET, not_met, (path,))


class RuleIdentity(Protocol):
    """What a rule reports about itself: its paragraph, title and license citations."""

    @property
    def rule_id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def citation(self) -> str: ...

    @property
    def license_citations(self) -> tuple[str, ...]: ...


def rule_result(
    rule: RuleIdentity,
    product: Prong,
    destination: Prong,
    *,
    subparagraphs: tuple[str, str] = ("(1)", "(2)"),
    notes: tuple[str, ...] = (),
) -> FdpResult:
    """The rule's result, its two scopes cited to subparagraphs of ``rule.citation``.

    Every 734.9 paragraph puts the product scope in its first subparagraph and the
    destination/end-user scope in its second. ``notes`` (license carve-outs, reported
    but never part of a scope) follow the reasons.
    """
    return _rule_result(
        (rule.rule_id, rule.title, rule.citation, rule.license_citations),
        product,
        destination,
        subparagraphs,
        notes,
    )


@lru_cache(maxsize=4096)
def _rule_result(
    identity: tuple[str, str, str, tuple[str, ...]],
    product: Prong,
    destination: Prong,
    subparagraphs: tuple[str, str],
    notes: tuple[str, ...],
) -> FdpResult:
    """Memoised: a pure function of immutable values (the result is frozen, so sharing it
    between determinations is safe), and cases with the same facts recur in a batch."""
    rule_id, title, citation, license_citations = identity
    product_sub, destination_sub = subparagraphs
    result = build_result(
        rule_id=rule_id,
        title=title,
        citation=citation,
        product=to_scope(product, citation + product_sub),
        destination=to_scope(destination, citation + destination_sub),
        license_citations=license_citations,
    )
    if not notes:
        return result
    return result.model_copy(update={"reasons": result.reasons + notes})


def made_from(case: Case, test: EccnTest, listed: str, *, us_origin: bool) -> Prong:
    """The "direct product" or "plant" route of a product scope: made from technology or
    software ``listed``, or by a plant that is a direct product of it (15 CFR 734.9)."""
    return either(
        direct_product(case, test, f"in {listed}", us_origin=us_origin),
        plant_product(case, test, f"technology/software in {listed}"),
    )


ANY_ITEM = Prong(Outcome.MET, ("any foreign-produced item, EAR99 included",))
"""Item prong of the rules that reach every foreign-produced item (734.9(g), (i))."""


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
    return _d_or_e(None if categories is None else frozenset(categories))


@lru_cache(maxsize=64)
def _d_or_e(allowed: frozenset[int] | None) -> EccnTest:
    """One test object per category set, so memoised prongs keyed on the test can hit."""
    return lambda e: (
        not e.is_ear99
        and e.group in ("D", "E")
        and (allowed is None or (e.category is not None and e.category in allowed))
    )


def item_eccn(case: Case) -> Eccn:
    """The item's parsed ECCN; callers check ``case.item.eccn is None`` first."""
    if case.item.eccn is None:
        raise ValueError("item.eccn is not known")
    return parse_eccn(case.item.eccn)


def item_unknown(scope: str) -> Prong:
    """The item's ECCN is not known, so an item scope ``scope`` cannot be decided."""
    return Prong(
        Outcome.UNKNOWN,
        (f"item ECCN not known: cannot tell whether it is {scope}",),
        ("item.eccn",),
        ("item.eccn",),
    )


def ear99_identified(case: Case, supplements: tuple[int, ...], *, asked: str, found: str) -> Prong:
    """An EAR99 item reaches 734.9(f)/(j) only if a part 746 supplement in ``supplements``
    identifies it by HTS code; ``asked``/``found`` name the supplements in the reasons."""
    listed = case.item.in_part746_supplement(supplements)
    paths = ("item.eccn", "item.listed_in_part746_supplements", "item.part746_supplements")
    if listed is None:
        # Unknown with the flag set means the flag covers all supplements but not which.
        missing = (
            "item.part746_supplements"
            if case.item.listed_in_part746_supplements
            else "item.listed_in_part746_supplements"
        )
        return Prong(
            Outcome.UNKNOWN,
            (f"EAR99 item: not known whether it is identified in {asked}",),
            paths,
            (missing,),
        )
    return fixed(
        Outcome.MET if listed else Outcome.NOT_MET,
        f"EAR99 item {'identified' if listed else 'not identified'} in {found}",
        paths,
    )


def item_in(
    case: Case, test: EccnTest, description: str, *, exclude: EccnTest | None = None
) -> Prong:
    """The foreign item's own classification is in the rule's item scope."""
    if case.item.eccn is None:
        return item_unknown(description)
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
    return _direct_product(case.production.technology_and_software, test, description, us_origin)


@lru_cache(maxsize=4096)
def _direct_product(
    inputs: tuple[ProductionInput, ...] | None, test: EccnTest, description: str, us_origin: bool
) -> Prong:
    """Memoised: a product's production inputs recur across its cases, and tests are stable.

    An input named by a list, or of unknown origin where the rule needs U.S.-origin, can
    leave the prong unknown; the path of that input is then the missing fact."""
    path = "production.technology_and_software"
    origin = "U.S.-origin " if us_origin else ""
    if inputs is None:
        return not_given(
            path, f"not known which technology/software produced the item ({path} not given)"
        )
    hits: list[str] = []
    unsure: list[str] = []
    for index, item in enumerate(inputs):
        ref = item.ref
        here = f"{path}[{index}]"
        if ref is None:
            unsure.append(f"{here}.eccn")
            continue
        outcome = ref_outcome(ref, test)
        if outcome is Outcome.NOT_MET or (us_origin and item.us_origin is False):
            continue
        if outcome is Outcome.UNKNOWN:
            unsure.append(f"{here}.eccn")
        elif us_origin and item.us_origin is None:
            unsure.append(f"{here}.us_origin")
        else:
            hits.append(ref)
    if not hits and unsure:
        return Prong(
            Outcome.UNKNOWN,
            (f"an input may be {origin}technology/software {description}: its exact ECCN or "
             "origin is not given",),
            (path,),
            tuple(unsure),
        )  # fmt: skip
    return met_if_any(
        path,
        sorted(hits),
        f"direct product of {origin}technology/software {{hits}} ({description})",
        f"no {origin}technology/software {description} among the inputs given",
    )


def plant_product(case: Case, test: EccnTest, description: str) -> Prong:
    """Produced by a plant/major component abroad that is a direct product of U.S.-origin
    technology/software in the listed ECCNs (15 CFR 734.9(a) 'major component')."""
    path = "production.plant_direct_product_of"
    return _plant_inputs(
        path,
        case.production.plant_direct_product_of,
        test,
        unknown=f"not known whether the producing plant is a U.S. direct product ({path})",
        met="produced by a plant or major component that is a direct product of U.S.-origin "
        f"{{hits}} ({description})",
        not_met=f"producing plant is not a direct product of U.S.-origin {description}",
    )


def ic_plant_product(case: Case, test: EccnTest, description: str) -> Prong:
    """Contains an IC made by a plant that is a direct product of listed U.S.-origin
    technology/software (IC 'production' includes fab and assembly/test/packaging)."""
    path = "production.ic_plant_direct_product_of"
    return _plant_inputs(
        path,
        case.production.ic_plant_direct_product_of,
        test,
        unknown=f"not known whether the item contains an IC made by such a plant ({path})",
        flag=case.production.ic_from_qualifying_plant,
        met="contains an integrated circuit made by a plant that is a direct product of "
        f"U.S.-origin {{hits}} ({description})",
        not_met="contains no integrated circuit made by a plant that is a direct product of "
        f"{description}",
    )


@lru_cache(maxsize=4096)
def _plant_inputs(
    path: str,
    eccns: tuple[str, ...] | None,
    test: EccnTest,
    *,
    unknown: str,
    met: str,
    not_met: str,
    flag: bool | None = None,
) -> Prong:
    """Met when a plant's U.S.-origin input ECCNs or lists (``None`` = not given) pass
    ``test``. ``flag`` (IC prong only): the caller's yes/no for "contains an IC from a
    qualifying plant", read when the inputs are not given."""
    if eccns is None:
        if flag is not None:
            used = ("production.ic_from_qualifying_plant",)
            if flag:
                return fixed(
                    Outcome.MET,
                    met.replace("{hits}", "technology/software of the 734.9(e)(3)/(k) list"),
                    used,
                )
            return fixed(Outcome.NOT_MET, not_met, used)
        return not_given(path, unknown)
    hits = [e for e in eccns if ref_outcome(e, test) is Outcome.MET]
    if not hits and any(ref_outcome(e, test) is Outcome.UNKNOWN for e in eccns):
        return Prong(
            Outcome.UNKNOWN,
            (f"a listed input may or may not be in the rule's list ({path}): give its ECCN",),
            (path,),
            (path,),
        )
    return met_if_any(path, sorted(hits), met, not_met)


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
    return _destined_to(case.destination, groups, countries, description)


@lru_cache(maxsize=4096)
def _destined_to(
    given: str, groups: tuple[str, ...], countries: tuple[str, ...], description: str
) -> Prong:
    """Memoised: a pure function of the destination text and the rule's constants."""
    dest = normalize_destination(given)
    found = in_groups(dest, groups) + tuple(c for c in countries if c == dest)
    shown = dest if dest == given else f"{dest} (given as {given!r})"
    if found:
        return fixed(
            Outcome.MET,
            f"destination {shown} is {description} ({', '.join(found)})",
            ("destination",),
        )
    return fixed(Outcome.NOT_MET, f"destination {shown} is not {description}", ("destination",))


ONWARD_WORDS: dict[str, str] = {
    "russia_belarus": "Russia, Belarus or a covered region of Ukraine",
    "iran": "Iran",
    "macau_or_d5": "Macau or Country Group D:5",
    "d1_d4": "a D:1 or D:4 destination not also in A:5 or A:6",
    "e1_e2": "Country Group E:1 or E:2",
}


def scoped_onward(case: Case, key: str) -> bool | None:
    """``knowledge.onward_to.<key>``, with what the wider groups imply: Iran is in E:1 and
    D:5, so "no" for either group is "no" for Iran."""
    scoped = case.knowledge.onward_to
    value: bool | None = getattr(scoped, key)
    if value is None and key == "iran" and False in (scoped.e1_e2, scoped.macau_or_d5):
        return False
    return value


def scoped_prong(case: Case, keys: tuple[str, ...], description: str) -> Prong:
    """The onward prong from destination-scoped knowledge: met if any group is "yes", not met
    if every group is "no", else unknown naming the groups still open."""
    values = {k: scoped_onward(case, k) for k in keys}
    used = tuple(f"knowledge.onward_to.{k}" for k in keys)
    words = " or ".join(ONWARD_WORDS[k] for k in keys)
    if any(v is True for v in values.values()):
        hit = [ONWARD_WORDS[k] for k, v in values.items() if v is True]
        return fixed(
            Outcome.MET,
            f"knowledge: incorporated into items exported to {', '.join(hit)} ({description})",
            used,
        )
    if all(v is False for v in values.values()):
        return fixed(
            Outcome.NOT_MET,
            f"no knowledge of incorporation into, or export to, {words}",
            used,
        )
    return Prong(
        Outcome.UNKNOWN,
        (f"not known whether the item or items incorporating it go to {words}",),
        (*used, "knowledge.onward_destinations"),
        tuple(f"knowledge.onward_to.{k}" for k, v in values.items() if v is None),
    )


def onward_to(
    case: Case, test: Callable[[str], bool], description: str, scope: tuple[str, ...] = ()
) -> Prong:
    """Knowledge that the item will be incorporated into items destined to ``description``.

    ``scope``: the ``knowledge.onward_to`` groups that cover the same places, read when the
    full list ``knowledge.onward_destinations`` is not given."""
    path = "knowledge.onward_destinations"
    onward = case.knowledge.onward_destinations
    if onward is None:
        if scope:
            return scoped_prong(case, scope, description)
        return not_given(
            path, f"onward destinations of items incorporating the item not known ({path})"
        )
    codes = sorted({normalize_destination(c) for c in onward})
    return met_if_any(
        path,
        [c for c in codes if test(c)],
        f"to be incorporated into items destined to {{hits}} ({description})",
        f"no onward destination is {description}",
    )


def onward_non_ear99(case: Case, paragraph: str) -> Prong:
    """The items the foreign item goes into are non-EAR99 (the onward prongs of 734.9(f),
    (h), (j) reach only parts, components or equipment on the CCL)."""
    path = "knowledge.onward_item_eccns"
    eccns = case.knowledge.onward_item_eccns
    if eccns is None:
        return not_given(
            path, f"classification of the items it will be incorporated into not known ({path})"
        )
    return met_if_any(
        path,
        sorted({e for e in eccns if not parse_eccn(e).is_ear99}),
        f"incorporated into items classified {{hits}} (non-EAR99, {paragraph})",
        f"the items it will be incorporated into are EAR99 ({paragraph} needs non-EAR99 items)",
    )


def macau_or_d5(country: str) -> bool:
    """Macau is not in D:5, so semiconductor rules name it separately."""
    return country == MACAU or in_group(country, "D:5")


# --- party prongs ----------------------------------------------------------------------

_FINAL_ROLES = ("ultimate consignee", "end user")
DOWNSTREAM = "downstream buyer"
"""Not a party to this transaction: buys the items the foreign item goes into, so a listed
downstream buyer is read under "produced, purchased or ordered by" (``listed_production``)."""


def listed_party(ctx: EvalContext, case: Case, footnote: int) -> Prong:
    """A footnote-N Entity List entity is a party (purchaser, intermediate consignee,
    ultimate consignee or end user; 15 CFR 748.5(c)-(f)).

    Not met only when every party's footnotes are definitive and the ultimate consignee or
    end user is known: a review-level screening match keeps the prong unknown.
    """
    roles = tuple(p.role.value for p in case.parties)
    cleared = case.knowledge.entity_list_party is False
    return _listed_party(footnotes_view(ctx, case), roles, footnote, cleared)


@lru_cache(maxsize=4096)
def _listed_party(
    view: tuple[PartyFootnotes, ...], roles: tuple[str, ...], footnote: int, cleared: bool
) -> Prong:
    """Memoised: a pure function of frozen, resolved party facts. ``cleared``: the caller
    knows no party to the transaction is on the Entity List (``knowledge.entity_list_party``),
    so unnamed roles do not matter.

    Every role except the downstream buyer counts: the roles of 15 CFR 748.5(c)-(f) are
    examples ("e.g.") in 734.9(e), and BIS treats a listed freight forwarder as a party."""
    path = "parties"
    used: list[str] = []
    unsure: list[str] = []
    for index, pf in enumerate(view):
        if pf.role == DOWNSTREAM:
            continue
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
    all_roles = {pf.role for pf in view} | set(roles)
    if not cleared and not any(r in all_roles for r in _FINAL_ROLES):
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
            (*used, "knowledge.entity_list_party") if used else (path,),
            (*missing, "knowledge.entity_list_party"),
        )
    return fixed(
        Outcome.NOT_MET, f"no party is an Entity List footnote {footnote} entity", tuple(used)
    )


def listed_production(case: Case, footnote: int, ctx: EvalContext | None = None) -> Prong:
    """Knowledge that the item will be incorporated into, or used to produce or develop,
    items produced, purchased or ordered by a footnote-N entity; a listed downstream buyer
    (``parties[].role: downstream buyer``) is such knowledge."""
    path = "knowledge.listed_entity_production"
    known = case.knowledge.listed_entity_production
    view = footnotes_view(ctx, case) if ctx is not None else footnotes_view(EvalContext(), case)
    for index, pf in enumerate(view):
        if pf.role == DOWNSTREAM and footnote in pf.footnotes:
            return fixed(
                Outcome.MET,
                f"parties[{index}] (downstream buyer{': ' + pf.name if pf.name else ''}) is a "
                f"footnote {footnote} entity that will buy items made with or incorporating "
                "the item",
                (f"parties[{index}].entity_list",),
            )
    if known is None:
        return not_given(
            path,
            f"not known whether a footnote {footnote} entity will produce, purchase or order "
            f"items made with or incorporating the item ({path})",
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


def party_flag(case: Case, attr: str, description: str, whole: str | None = None) -> Prong:
    """A tri-state flag on the parties (e.g. ``government_of_iran``): any True meets it.

    ``whole``: the ``knowledge`` field stating it for the whole transaction; its "no" settles
    every party whose own flag is not given, its "yes" meets the prong."""
    overall = getattr(case.knowledge, whole) if whole is not None else None
    if overall is True:
        return fixed(Outcome.MET, f"knowledge: {description} is a party", (f"knowledge.{whole}",))
    values: list[tuple[int, CaseParty, bool | None]] = [
        (i, p, getattr(p, attr) if getattr(p, attr) is not None or overall is None else False)
        for i, p in enumerate(case.parties)
    ]
    if overall is False and not any(v is True for _, _, v in values):
        return fixed(Outcome.NOT_MET, f"no party is {description}", (f"knowledge.{whole}",))
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
        # The transaction-wide question settles an empty party list too: asking for
        # "parties" beside it would be a second question with the same answer.
        ask = (f"knowledge.{whole}",) if whole is not None else ()
        rest = unknown or (() if ask else ("parties",))
        return Prong(
            Outcome.UNKNOWN,
            (f"not known whether {description} is a party",),
            used,
            (*ask, *rest),
        )
    return fixed(Outcome.NOT_MET, f"no party is {description}", used)


def affiliate_of_listed(case: Case, party: CaseParty) -> bool | None:
    """The party's 50 % ownership by listed parties: its own flag, else the transaction-wide
    ``knowledge.affiliate_of_listed_party`` "no"."""
    if party.affiliate_of_listed is not None:
        return party.affiliate_of_listed
    return False if case.knowledge.affiliate_of_listed_party is False else None


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
    status = affiliates_status(settings_of(ctx, case), export_date_of(ctx, case))
    cleared = case.knowledge.entity_list_party is False
    view: list[PartyFootnotes] = []
    for party in case.parties:
        notes: set[int] = set()
        settled = party.entity_list is not None or cleared
        sources: list[str] = []
        if party.entity_list is not None:
            given = party.entity_list.known_footnotes
            notes.update(given or ())
            settled = settled and given is not None  # listed, footnotes not given: open
            sources.append("caller: entity_list")
        elif cleared:
            sources.append("caller: knowledge.entity_list_party = no")
        owned = affiliate_of_listed(case, party)
        if status is AffiliatesStatus.IN_FORCE:
            if owned is True:
                notes.update(party.affiliate_footnotes or ())
                settled = settled and party.affiliate_footnotes is not None
                sources.append("caller: affiliate_of_listed (90 FR 47201)")
            elif owned is None:
                settled = False
        elif status is AffiliatesStatus.UNKNOWN and owned is not False:
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
