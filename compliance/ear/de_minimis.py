"""De minimis: is a foreign-made item subject to the EAR by its U.S.-origin content?

15 CFR 734.4 and Supplement No. 2 to part 734. Controlled content is U.S.-origin content that
would need a BIS license to the item's destination, judged with the Commerce Country Chart
and part 746 only, never part 744 (Supp. No. 2 (a)(1)); NLR and GBS-eligible content does not
count, content eligible only for other license exceptions does. The item is subject only when
controlled content is strictly above 10 % (E:1/E:2 destinations, 734.4(c)) or 25 % (elsewhere,
734.4(d)); the 734.4(a) categories have no de minimis level at all.

Arithmetic is exact ``Decimal``; the percentage shown is rounded up to four places, but the
comparison with the threshold is made on the exact fraction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from compliance.ear.case import BomLine, Case, ItemKind, is_us_place, known_country
from compliance.ear.eccn import Eccn, parse_eccn
from compliance.ear.eccn import eccn_matches as _matches
from compliance.ear.fdp import entity_list, sme
from compliance.ear.fdp.base import Outcome
from compliance.ear.fdp.russia_belarus import PARTNER_COUNTRIES
from compliance.ear.reference import ccl, country_groups
from compliance.ear.reference.countries import normalize_destination
from compliance.ear.settings import FN5_COMPLIANCE_DATE
from compliance.ear.trusted import trusted, trusted_many

SUPP2 = "15 CFR part 734, Supp. No. 2"
PERCENT_PLACES = Decimal("0.0001")


class Verdict(StrEnum):
    """The de minimis outcome (15 CFR 734.4): over the percentage means subject to the EAR."""

    SUBJECT = "subject"
    NOT_SUBJECT = "not subject"
    INDETERMINATE = "indeterminate"


class DeMinimisOutcome(StrEnum):
    """The de minimis route in four values: "no calculation needed" (no controlled U.S.
    content at all) is kept apart from a computed "not subject" (Supp. No. 2 to part 734)."""

    SUBJECT = "subject"
    NOT_SUBJECT = "not subject"
    NO_CALCULATION = "no calculation needed"
    INDETERMINATE = "indeterminate"


class LineStatus(StrEnum):
    """How a BOM line enters the numerator."""

    COUNTED = "counted"
    NOT_COUNTED = "not counted"
    UNKNOWN = "unknown"


class LineAccount(BaseModel):
    """One BOM line in the numerator account: why it counts or not, with its citation."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="0-based position in case.bom")
    description: str
    origin: str | None
    eccn: str | None
    value: Decimal | None
    us_origin: bool | None = Field(description="None: origin not known")
    status: LineStatus
    reason: str
    citations: tuple[str, ...] = ()


class ZeroCategory(BaseModel):
    """One paragraph of 15 CFR 734.4(a) (no de minimis level) checked against the case."""

    model_config = ConfigDict(frozen=True)

    paragraph: str
    title: str
    outcome: Outcome
    reason: str
    missing_facts: tuple[str, ...] = ()
    citation: str


class DeMinimisResult(BaseModel):
    """The de minimis route of a determination."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    outcome: DeMinimisOutcome = Field(
        description="the verdict, with 'no calculation needed' apart from a computed 'not subject'"
    )
    basis: str = Field(description="one-line summary of why")
    destination: str
    threshold_percent: Decimal | None
    threshold_citation: str | None
    numerator: Decimal = Field(description="U.S.-origin controlled content counted")
    numerator_unknown: Decimal = Field(description="U.S.-origin content not classifiable here")
    denominator: Decimal | None = Field(
        description="item price ex-works (Supp. No. 2 (a)(2)); None = not given"
    )
    currency: str
    percentage: Decimal | None = Field(description="numerator / denominator, rounded up")
    percentage_if_unknown_counted: Decimal | None
    lines: tuple[LineAccount, ...] = ()
    zero_categories: tuple[ZeroCategory, ...] = ()
    reasons: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    reminders: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()


# --- ECCN sets (dated reading, see docs/ear.md) -------------------------------------------

# One source for the item sets: 734.4(a)(8) reads the 734.9(k) set and 734.4(a)(9) the
# 734.9(e)(3) set, so the de minimis and FDP routes can never disagree on scope.
SME_ITEMS: tuple[str, ...] = sme.ITEMS
FN5_ITEMS: tuple[str, ...] = entity_list.FN5_ITEMS
FN5_EXCLUDED: tuple[str, ...] = entity_list.FN5_ITEM_EXCLUSIONS
HOT_SECTION_TECH = (  # 15 CFR 734.4(a)(4), sub-paragraphs per the 2026-07-23 transcription
    "9E003.a.1", "9E003.a.2", "9E003.a.3", "9E003.a.4", "9E003.a.5", "9E003.a.6",
    "9E003.a.8", "9E003.h", "9E003.i", "9E003.l",
)  # fmt: skip
Y_DESTINATIONS = frozenset({"CN", "RU", "BY"})  # plus E:1 and E:2, 734.4(a)(6)(ii)


@lru_cache(maxsize=4096)
def eccn(text: str) -> Eccn:
    """Parsed ECCN, memoised: the same texts recur across BOM lines, patterns and cases."""
    return parse_eccn(text)


def eccn_matches(item: Eccn, pattern: str) -> bool:
    """``compliance.ear.eccn.eccn_matches`` with the pattern parsed once."""
    return _matches(item, eccn(pattern))


def match(item: Eccn, patterns: Sequence[str], excluded: Sequence[str] = ()) -> Outcome:
    """Tri-state ECCN match: UNKNOWN when the item is classified less deeply than a pattern."""
    return _match(item, tuple(patterns), tuple(excluded))


@lru_cache(maxsize=8192)
def _match(item: Eccn, patterns: tuple[str, ...], excluded: tuple[str, ...]) -> Outcome:
    """Memoised: BOM lines share a few classifications and the pattern lists are constants."""
    if any(eccn_matches(item, p) for p in excluded):
        return Outcome.NOT_MET
    if any(eccn_matches(item, p) for p in patterns):
        partial_exclusion = any(_coarser(item, p) for p in excluded)
        return Outcome.UNKNOWN if partial_exclusion else Outcome.MET
    if any(_coarser(item, p) for p in patterns):
        return Outcome.UNKNOWN
    return Outcome.NOT_MET


def _coarser(item: Eccn, pattern: str) -> bool:
    """``item`` stops above ``pattern`` (e.g. item 3B001, pattern 3B001.c): cannot tell."""
    p = eccn(pattern)
    n = len(item.paragraphs)
    return item.base == p.base and n < len(p.paragraphs) and p.paragraphs[:n] == item.paragraphs


@lru_cache(maxsize=4096)
def is_us(country: str) -> bool:
    """U.S.-origin content counts toward de minimis; the country is normalised first."""
    return normalize_destination(country) == "US"


# --- numerator ------------------------------------------------------------------------------


def account_line(index: int, line: BomLine, case: Case, destination: str) -> LineAccount:
    """Classify one BOM line as counted / not counted / unknown, with reason and citation."""
    return account_lines((line,), case, destination, start=index)[0]


def partner_export(case: Case, destination: str) -> bool | None:
    """Whether the item is exported from a Supp. No. 3 to part 746 partner country, which
    matters only for Russia and Belarus (15 CFR 746.8(a)(12)(iii)(B)); None = not known."""
    if destination not in RUSSIA_BELARUS:
        return False
    origin = known_country(case.item.exported_from)
    if origin is None:
        return None
    return origin in PARTNER_COUNTRIES


def account_lines(
    lines: Sequence[BomLine], case: Case, destination: str, *, start: int = 0
) -> tuple[LineAccount, ...]:
    """``account_line`` for each line, numbered from ``start``: one loop, no re-validation
    (the hot path of a large BOM)."""
    rows: list[dict[str, object]] = []
    append = rows.append
    partner = partner_export(case, destination)
    for index, line in enumerate(lines, start):
        us = is_us_place(line.origin_country)
        if us is None:
            status, reason, cites = ORIGIN_UNKNOWN
        elif not us:
            status, reason, cites = NOT_US
        elif line.second_incorporation or line.license_override or line.kind is _SOFTWARE:
            status, reason, cites = _line_status(line, us, case, destination, partner)
        elif line.eccn is None:
            status, reason, cites = ECCN_UNKNOWN
        else:
            status, reason, cites = _by_tables(line.eccn, destination, partner)
        append(
            {
                "index": index,
                "description": line.description,
                "origin": line.origin_country,
                "eccn": line.eccn,
                "value": line.value,
                "us_origin": us,
                "status": status,
                "reason": reason,
                "citations": cites,
            }
        )
    return trusted_many(LineAccount, rows)


# Enum members bound as module constants: ``LineStatus.COUNTED`` is an attribute lookup through
# the enum metaclass, which costs more than the comparison in a per-line loop.
_COUNTED = LineStatus.COUNTED
_UNKNOWN = LineStatus.UNKNOWN
_SOFTWARE = ItemKind.SOFTWARE
_COMMODITY = ItemKind.COMMODITY
RUSSIA_BELARUS = frozenset({"RU", "BY"})
IRAN = "IR"
PARTNER_CITE = "15 CFR 746.8(a)(12)(iii)(B)"
IRAN_CITE = "15 CFR 746.7(a)(1)(v)"

NOT_US: tuple[LineStatus, str, tuple[str, ...]] = (
    LineStatus.NOT_COUNTED,
    "not U.S.-origin",
    (f"{SUPP2} (a)(1)",),
)
ORIGIN_UNKNOWN: tuple[LineStatus, str, tuple[str, ...]] = (
    LineStatus.UNKNOWN,
    "origin not known: U.S.-origin content would count if it needs a license; give "
    "bom[].origin_country",
    (f"{SUPP2} (a)(1)",),
)
ECCN_UNKNOWN: tuple[LineStatus, str, tuple[str, ...]] = (
    LineStatus.UNKNOWN,
    "U.S.-origin line without a classification: give bom[].eccn or bom[].license_override",
    (f"{SUPP2} (a)(1)",),
)

BUNDLING_UNKNOWN: tuple[LineStatus, str, tuple[str, ...]] = (
    LineStatus.UNKNOWN,
    "U.S.-origin software with the foreign hardware: it counts if bundled with it, not if "
    "sold separately (73 FR 56964); give bom[].bundled_software",
    (f"{SUPP2} (a)(1)", "73 FR 56964"),
)


def _line_status(
    line: BomLine, us: bool, case: Case, destination: str, partner: bool | None
) -> tuple[LineStatus, str, tuple[str, ...]]:
    if not us:
        return NOT_US
    if line.second_incorporation:
        return (
            LineStatus.NOT_COUNTED,
            "already incorporated in a completed foreign discrete product (second "
            "incorporation): not counted again",
            (f"{SUPP2} (a)(1)", "BIS advisory opinion of 2009-09-14 (published 2010-01-06)"),
        )
    if _bundling_unknown(line, case):
        return BUNDLING_UNKNOWN
    if _separate_software(line, case):
        return (
            LineStatus.NOT_COUNTED,
            "U.S.-origin software not bundled with the foreign hardware is not part of it: it "
            "stays subject to the EAR as U.S.-origin software and is not eligible for de minimis",
            ("15 CFR 734.3(a)(2)", "15 CFR 734.4(c), (d)", "73 FR 56964"),
        )
    if line.license_override is not None:
        status = LineStatus.COUNTED if line.license_override.counts else LineStatus.NOT_COUNTED
        return (
            status,
            f"caller's license determination: {line.license_override.reason}",
            (f"{SUPP2} (a)(1)",),
        )
    if line.eccn is None:
        return ECCN_UNKNOWN
    return _by_tables(line.eccn, destination, partner)


def _separate_software(line: BomLine, case: Case) -> bool:
    """U.S. software listed with foreign hardware and known not to be bundled: not
    incorporated. Not known (None) is not "not bundled" (see ``BUNDLING_UNKNOWN``)."""
    return (
        line.kind is _SOFTWARE and case.item.kind is _COMMODITY and line.bundled_software is False
    )


def _bundling_unknown(line: BomLine, case: Case) -> bool:
    return line.kind is _SOFTWARE and case.item.kind is _COMMODITY and line.bundled_software is None


@lru_cache(maxsize=8192)
def _by_tables(
    eccn_text: str, destination: str, partner: bool | None = False
) -> tuple[LineStatus, str, tuple[str, ...]]:
    """Country Chart + part 746 (never part 744), minus NLR and GBS (Supp. No. 2 (a)(1)),
    and minus the content Supp. No. 2 (a)(1) excludes: 746.7(a)(1)(v) (Iran) and
    746.8(a)(12)(iii)(B) (Russia/Belarus, items exported from a partner country).

    A pure function of the classification, the destination and ``partner`` (exported from a
    Supp. No. 3 to part 746 country), memoised: BOM lines repeat classifications."""
    item = eccn(eccn_text)
    check = ccl.license_required(item, destination)
    cites = (f"{SUPP2} (a)(1)", *check.citations)
    bis_746 = tuple(t for t in check.part_746 if not _ofac_only(t))
    if destination == IRAN and item.is_ear99:
        return (
            LineStatus.NOT_COUNTED,
            "EAR99 content to Iran: no BIS license under the Country Chart; an export needs "
            "OFAC authorization (15 CFR 746.7(e)), and EAR99 items of Supp. No. 7 to part 746 "
            f"are excluded from the count ({IRAN_CITE})",
            (*cites, "15 CFR 746.7(e)", IRAN_CITE),
        )
    only_746_8 = destination in RUSSIA_BELARUS and check.required is not True
    if only_746_8 and (bis_746 or check.part_746_unknown) and partner is not False:
        if partner is None:
            return (
                LineStatus.UNKNOWN,
                "licensed to Russia/Belarus only by part 746.8, which does not count for an "
                "item exported from a Supp. No. 3 to part 746 partner country; the exporting "
                "country is not known (item.exported_from)",
                (*cites, PARTNER_CITE),
            )
        return (
            LineStatus.NOT_COUNTED,
            "licensed to Russia/Belarus only under 15 CFR 746.8 (no Country Chart license), and "
            "the foreign item is exported from a Supp. No. 3 to part 746 partner country: not "
            "counted",
            (*cites, PARTNER_CITE),
        )
    if bis_746:
        return (
            LineStatus.COUNTED,
            "a BIS license is required to the destination under part 746: " + "; ".join(bis_746),
            (*cites, *_part746_cites(bis_746)),
        )
    if check.required is None:
        return (
            LineStatus.UNKNOWN,
            f"license requirement to {destination} not determinable from the tables: "
            f"{check.explanation}; give bom[].license_override",
            cites,
        )
    if check.required and check.gbs_eligible and country_groups.in_group(destination, "B"):
        return (
            LineStatus.NOT_COUNTED,
            f"license required ({', '.join(check.reasons)}) but eligible for License Exception "
            "GBS: not controlled content",
            (*cites, "15 CFR 740.4"),
        )
    if check.required:
        return (
            LineStatus.COUNTED,
            f"license required to {destination} for {', '.join(check.reasons)} (Country "
            "Chart); eligibility for a license exception other than GBS does not remove it",
            cites,
        )
    open_746 = (*check.part_746_unknown, *(t for t in check.part_746 if _ofac_only(t)))
    if open_746:
        return (
            LineStatus.UNKNOWN,
            f"NLR under the Country Chart, but part 746 may require a BIS license: "
            f"{'; '.join(open_746)}. Only a BIS license requirement counts (an OFAC "
            "authorization does not); give bom[].license_override",
            (*cites, *_part746_cites(open_746)),
        )
    return (
        LineStatus.NOT_COUNTED,
        f"NLR to {destination} under the Country Chart ({check.explanation})",
        cites,
    )


def _ofac_only(text: str) -> bool:
    """Part 746 text that names an OFAC authorization, not a BIS license (e.g. 746.7(e))."""
    return "OFAC" in text


_CITE = re.compile(r"15 CFR (?:part )?[0-9]+(?:\.[0-9]+)?(?:\([a-z0-9]+\))*")


def cite_in(text: str) -> str | None:
    """The first '15 CFR ...' citation inside a sentence, if any."""
    found = _CITE.search(text)
    return found.group(0) if found else None


def _part746_cites(texts: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in map(cite_in, texts) if c))


# --- 734.4(a): no de minimis level -----------------------------------------------------------


def zero_categories(
    case: Case, destination: str, fn5: Outcome = Outcome.UNKNOWN
) -> tuple[ZeroCategory, ...]:
    """Every 734.4(a) paragraph, met / not met / unknown, in regulation order.

    ``fn5``: whether a footnote 5 entity is a party or will use the item, as the engine
    resolved it from the parties and knowledge (734.4(a)(9)).
    """
    item = eccn(case.item.eccn) if case.item.eccn is not None else None
    us_lines = tuple(
        (i, line, _line_content(line))
        for i, line in enumerate(case.bom or ())
        if is_us_place(line.origin_country)
        and not line.second_incorporation
        and not _separate_software(line, case)
    )
    return (
        _a1_computers(item, us_lines),
        _a2_encryption(case, item, us_lines),
        _a3_advanced_node(case, item),
        _a4_hot_section(us_lines),
        _a5_thermal_cameras(item, us_lines, destination),
        *_a6_military(us_lines, destination),
        _a8_sme(case, item, us_lines, destination),
        _a9_fn5(case, item, us_lines, fn5),
    )


class Content(NamedTuple):
    """What the 734.4(a) paragraphs ask of one U.S.-origin line's classification."""

    chip: bool  # a Category 3 product group A item, 734.4(a)(1)
    encryption: bool  # 5E002, 734.4(a)(2)
    hot_section: Outcome  # listed 9E003 technology, 734.4(a)(4)
    camera: bool  # 6A003.b.4.b, 734.4(a)(5)
    military: bool  # "600 series" or 9x515, 734.4(a)(6)
    y_paragraph: bool  # a .y paragraph, 734.4(a)(6)(ii)
    open_fact: str | None = None
    """None: the line is known content. Otherwise the line field that is not known: "eccn"
    (the line may be anything, every paragraph may match) or "bundled_software" (a software
    line that counts only if bundled with the hardware, 73 FR 56964: what it matches may
    apply)."""


@lru_cache(maxsize=4096)
def content(eccn_text: str) -> Content:
    """The 734.4(a) facts of one classification, memoised: BOM lines repeat ECCNs."""
    e = eccn(eccn_text)
    return Content(
        chip=e.category == 3 and e.group == "A",
        encryption=eccn_matches(e, "5E002"),
        hot_section=match(e, HOT_SECTION_TECH),
        camera=eccn_matches(e, "6A003.b.4.b"),
        military=e.is_600_series or e.is_9x515,
        y_paragraph=e.paragraphs[:1] == ("y",),
    )


NO_CONTENT = Content(False, False, Outcome.NOT_MET, False, False, False)
"""A U.S.-origin line given without an ECCN but with a license_override: the 734.4(a)
paragraphs read classifications, so such a line triggers none of them."""
UNKNOWN_CONTENT = Content(True, True, Outcome.UNKNOWN, True, True, True, "eccn")
"""A U.S.-origin line whose ECCN is not known (and no license_override): it may be content
of any 734.4(a) paragraph, so each paragraph it could meet stays open, naming bom[i].eccn."""


def _line_content(line: BomLine) -> Content:
    if line.eccn is None:
        return NO_CONTENT if line.license_override is not None else UNKNOWN_CONTENT
    found = content(line.eccn)
    if line.kind is _SOFTWARE and line.bundled_software is None:
        return found._replace(open_fact="bundled_software")
    return found


def _matching(us_lines: UsLines, test: Callable[[Content], bool]) -> tuple[list[int], list[str]]:
    """The lines that certainly meet ``test``, and the facts of the lines that may."""
    certain: list[int] = []
    open_facts: list[str] = []
    for i, _line, c in us_lines:
        if test(c):
            if c.open_fact is None:
                certain.append(i)
            else:
                open_facts.append(f"bom[{i}].{c.open_fact}")
    return certain, open_facts


UsLines = tuple[tuple[int, BomLine, Content], ...]


def _scope(item: Eccn | None, patterns: Sequence[str], excluded: Sequence[str] = ()) -> Outcome:
    """``match`` for the item, UNKNOWN when its ECCN is not known."""
    return Outcome.UNKNOWN if item is None else match(item, patterns, excluded)


def _zc(
    para: str, title: str, outcome: Outcome, reason: str, missing: Sequence[str] = ()
) -> ZeroCategory:
    return _zero_category(para, title, outcome, reason, tuple(missing))


@lru_cache(maxsize=4096)
def _zero_category(
    para: str, title: str, outcome: Outcome, reason: str, missing: tuple[str, ...]
) -> ZeroCategory:
    """Memoised: the findings are frozen and most cases repeat the same few of them."""
    return trusted(
        ZeroCategory,
        paragraph=para,
        title=title,
        outcome=outcome,
        reason=reason,
        missing_facts=missing,
        citation=f"15 CFR {para}",
    )


def _a1_computers(item: Eccn | None, us_lines: UsLines) -> ZeroCategory:
    title = "computers above the 4A003.b level with U.S.-origin controlled semiconductors"
    if _scope(item, ("4A003",)) is Outcome.NOT_MET:
        return _zc("734.4(a)(1)", title, Outcome.NOT_MET, "the item is not a 4A003 computer")
    chips, open_facts = _matching(us_lines, lambda c: c.chip)
    if not chips and not open_facts:
        return _zc("734.4(a)(1)", title, Outcome.NOT_MET, "no U.S.-origin 3A semiconductors")
    if not chips:
        return _zc(
            "734.4(a)(1)", title, Outcome.UNKNOWN, "U.S.-origin lines may be 3A semiconductors",
            open_facts,
        )  # fmt: skip
    return _zc(
        "734.4(a)(1)",
        title,
        Outcome.UNKNOWN,
        "4A003 computer with U.S.-origin 3A semiconductors: the current destination condition "
        "of 734.4(a)(1) is unverified (docs/ear.md); decide with counsel",
        [*(f"bom[{i}].license_override" for i in chips), *open_facts],
    )


def _a2_encryption(case: Case, item: Eccn | None, us_lines: UsLines) -> ZeroCategory:
    title = "encryption technology incorporating U.S.-origin 5E002 technology"
    is_tech = case.item.kind is ItemKind.TECHNOLOGY or (item is not None and item.group == "E")
    hits, open_facts = _matching(us_lines, lambda c: c.encryption)
    if is_tech and hits:
        return _zc("734.4(a)(2)", title, Outcome.MET, f"U.S.-origin 5E002 technology in bom{hits}")
    if is_tech and open_facts:
        return _zc(
            "734.4(a)(2)", title, Outcome.UNKNOWN, "U.S.-origin lines may be 5E002 technology",
            open_facts,
        )  # fmt: skip
    return _zc("734.4(a)(2)", title, Outcome.NOT_MET, "no U.S.-origin 5E002 technology in it")


def _a3_advanced_node(case: Case, item: Eccn | None) -> ZeroCategory:
    title = "3B993.f.1 equipment for development or production of advanced-node ICs"
    scope = _scope(item, ("3B993.f.1",))
    if scope is Outcome.NOT_MET:
        return _zc("734.4(a)(3)", title, Outcome.NOT_MET, "the item is not 3B993.f.1")
    if case.item.controlled_by_exporting_country is True:
        return _zc(
            "734.4(a)(3)",
            title,
            Outcome.NOT_MET,
            "the first exporting country controls the item on its own list",
        )
    use = case.knowledge.advanced_node_ic_production
    if use is False:
        return _zc("734.4(a)(3)", title, Outcome.NOT_MET, "not for advanced-node IC production")
    missing = [
        path
        for path, value in (
            ("item.eccn", None if scope is Outcome.UNKNOWN else True),
            ("knowledge.advanced_node_ic_production", use),
            ("item.controlled_by_exporting_country", case.item.controlled_by_exporting_country),
        )
        if value is None
    ]
    if missing:
        return _zc("734.4(a)(3)", title, Outcome.UNKNOWN, "a deciding fact is unknown", missing)
    return _zc(
        "734.4(a)(3)",
        title,
        Outcome.MET,
        "3B993.f.1 equipment for advanced-node IC production, not controlled by the first "
        "exporting country",
    )


def _a4_hot_section(us_lines: UsLines) -> ZeroCategory:
    title = "items made with or incorporating U.S.-origin 9E003 hot-section technology"
    maybe, open_facts = _matching(us_lines, lambda c: c.hot_section is not Outcome.NOT_MET)
    certain = [i for i, _l, c in us_lines if i in maybe and c.hot_section is Outcome.MET]
    if certain:
        return _zc("734.4(a)(4)", title, Outcome.MET, f"listed 9E003 technology in bom{certain}")
    classified = [
        f"bom[{i}].eccn"
        for i, _l, c in us_lines
        if c.open_fact is None and c.hot_section is Outcome.UNKNOWN
    ]
    if classified:
        return _zc(
            "734.4(a)(4)",
            title,
            Outcome.UNKNOWN,
            "9E003 technology classified without its sub-paragraph",
            [*classified, *open_facts],
        )
    if open_facts:
        return _zc(
            "734.4(a)(4)", title, Outcome.UNKNOWN, "U.S.-origin lines may be 9E003 technology",
            open_facts,
        )  # fmt: skip
    return _zc("734.4(a)(4)", title, Outcome.NOT_MET, "no U.S.-origin listed 9E003 content")


def _a5_thermal_cameras(item: Eccn | None, us_lines: UsLines, destination: str) -> ZeroCategory:
    title = "military commodities incorporating 0A919.a.1-described cameras, to D:5"
    military = item is None or item.is_600_series or eccn_matches(item, "0A919")
    cams, open_facts = _matching(us_lines, lambda c: c.camera)
    if not (military and (cams or open_facts)):
        return _zc("734.4(a)(5)", title, Outcome.NOT_MET, "no such camera in a military item")
    if not country_groups.in_group(destination, "D:5"):
        return _zc("734.4(a)(5)", title, Outcome.NOT_MET, f"{destination} is not in D:5")
    if item is None or not cams:
        missing = [*(["item.eccn"] if item is None else []), *open_facts]
        return _zc("734.4(a)(5)", title, Outcome.UNKNOWN, "item or line ECCN not known", missing)
    return _zc("734.4(a)(5)", title, Outcome.MET, f"6A003.b.4.b cameras in bom{cams} to D:5")


def _a6_military(us_lines: UsLines, destination: str) -> tuple[ZeroCategory, ZeroCategory]:
    t1 = "U.S.-origin '600 series' or 9x515 .a-.x content, to D:5"
    t2 = "U.S.-origin '600 series' or 9x515 .y content, to E:1, E:2, China, Russia, Belarus"
    ax_lines, ax_open = _matching(
        us_lines, lambda c: c.military and (not c.y_paragraph or c.open_fact == "eccn")
    )
    y_lines, y_open = _matching(us_lines, lambda c: c.military and c.y_paragraph)
    d5 = country_groups.in_group(destination, "D:5")
    y_dest = destination in Y_DESTINATIONS or any(
        country_groups.in_group(destination, g) for g in ("E:1", "E:2")
    )
    p1, p2 = "734.4(a)(6)(i)", "734.4(a)(6)(ii)"
    if ax_lines and d5:
        first = _zc(p1, t1, Outcome.MET, f"bom{ax_lines} to D:5 destination {destination}")
    elif ax_open and d5:
        first = _zc(p1, t1, Outcome.UNKNOWN, "U.S.-origin lines may be such content", ax_open)
    else:
        first = _zc(p1, t1, Outcome.NOT_MET, "no such content or not to D:5")
    if y_lines and y_dest:
        second = _zc(p2, t2, Outcome.MET, f".y content bom{y_lines} to {destination}")
    elif y_open and y_dest:
        second = _zc(p2, t2, Outcome.UNKNOWN, "U.S.-origin lines may be .y content", y_open)
    else:
        second = _zc(p2, t2, Outcome.NOT_MET, "no .y content or not to those places")
    return first, second


def _ic_lines(us_lines: UsLines) -> tuple[list[int], list[int]]:
    """U.S.-origin lines that are ICs, and those whose IC status is unknown."""
    yes = [i for i, line, _e in us_lines if line.is_integrated_circuit is True]
    unknown = [i for i, line, _e in us_lines if line.is_integrated_circuit is None]
    return yes, unknown


def _ic_outcome(
    para: str, title: str, scope: Outcome, place: Outcome, us_lines: UsLines, why: str
) -> ZeroCategory:
    yes, unknown = _ic_lines(us_lines)
    ics = Outcome.MET if yes else Outcome.UNKNOWN if unknown else Outcome.NOT_MET
    parts = (scope, place, ics)
    if Outcome.NOT_MET in parts:
        return _zc(para, title, Outcome.NOT_MET, f"not met: item {scope}, {why} {place}, "
                   f"U.S.-origin IC {ics}")  # fmt: skip
    if all(p is Outcome.MET for p in parts):
        return _zc(para, title, Outcome.MET, f"item in scope, {why}, U.S.-origin IC bom{yes}")
    missing = ["item.eccn"] if scope is Outcome.UNKNOWN else []
    missing += [f"bom[{i}].is_integrated_circuit" for i in unknown] if not yes else []
    if place is Outcome.UNKNOWN:
        missing.append("parties[].entity_list")
    return _zc(para, title, Outcome.UNKNOWN, "a deciding fact is unknown", missing)


def _a8_sme(case: Case, item: Eccn | None, us_lines: UsLines, destination: str) -> ZeroCategory:
    title = "SME of the 734.9(k) set containing a U.S.-origin IC, to Macau or D:5"
    if case.export_date < FN5_COMPLIANCE_DATE:
        return _zc("734.4(a)(8)", title, Outcome.NOT_MET, "export before 2024-12-31")
    scope = _scope(item, SME_ITEMS)
    d = destination == "MO" or country_groups.in_group(destination, "D:5")
    place = Outcome.MET if d else Outcome.NOT_MET
    return _ic_outcome("734.4(a)(8)", title, scope, place, us_lines, "destined to Macau/D:5")


def _a9_fn5(case: Case, item: Eccn | None, us_lines: UsLines, fn5: Outcome) -> ZeroCategory:
    title = "Category 3B items of the 734.9(e)(3) set containing a U.S.-origin IC, footnote 5"
    if case.export_date < FN5_COMPLIANCE_DATE:
        return _zc("734.4(a)(9)", title, Outcome.NOT_MET, "export before 2024-12-31")
    scope = _scope(item, FN5_ITEMS, FN5_EXCLUDED)
    return _ic_outcome("734.4(a)(9)", title, scope, fn5, us_lines, "footnote 5 entity involved")


# --- the calculation -------------------------------------------------------------------------


def threshold_for(destination: str) -> tuple[Decimal, str]:
    """10 % for E:1/E:2 destinations (734.4(c)), 25 % elsewhere (734.4(d))."""
    if country_groups.in_group(destination, "E:1") or country_groups.in_group(destination, "E:2"):
        return Decimal(10), "15 CFR 734.4(c) (25 % level of 734.4(d) unavailable to E:1/E:2)"
    return Decimal(25), "15 CFR 734.4(d)"


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` in percent, rounded up to 4 places (display only)."""
    return (part * 100 / whole).quantize(PERCENT_PLACES, rounding=ROUND_CEILING)


def above(part: Decimal, whole: Decimal, threshold: Decimal) -> bool:
    """Exact "more than threshold %" test (Supp. No. 2: at the threshold is not subject)."""
    return part * 100 > threshold * whole


def evaluate_de_minimis(
    case: Case, fn5: Outcome = Outcome.UNKNOWN, *, destination: str | None = None
) -> DeMinimisResult:
    """Run 734.4 on the case. ``fn5``: footnote 5 involvement resolved by the engine."""
    dest = destination or normalize_destination(case.destination)
    threshold, t_cite = threshold_for(dest)
    price = case.item.price
    if case.bom is None:
        return DeMinimisResult(
            destination=dest,
            denominator=price,
            currency=case.item.currency,
            threshold_percent=threshold,
            threshold_citation=t_cite,
            verdict=Verdict.INDETERMINATE,
            outcome=DeMinimisOutcome.INDETERMINATE,
            basis="the bill of materials is not given",
            numerator=Decimal(0),
            numerator_unknown=Decimal(0),
            percentage=None,
            percentage_if_unknown_counted=None,
            missing_facts=("bom",),
            reasons=("Without the BOM the U.S.-origin controlled content cannot be computed.",),
            citations=("15 CFR 734.4", SUPP2),
        )
    lines = account_lines(case.bom, case, dest)
    zeros = zero_categories(case, dest, fn5)
    counted = Decimal(0)
    unknown = Decimal(0)
    for a in lines:  # same left-to-right sums as sum(); enum members bound once (hot loop)
        if a.value is None:
            continue
        if a.status is _COUNTED:
            counted += a.value
        elif a.status is _UNKNOWN:
            unknown += a.value
    outcome, basis, reasons, missing = _decide(lines, zeros, counted, unknown, price, threshold)
    verdict = _VERDICT[outcome]
    return trusted(
        DeMinimisResult,
        verdict=verdict,
        outcome=outcome,
        basis=basis,
        destination=dest,
        threshold_percent=threshold,
        threshold_citation=t_cite,
        numerator=counted,
        numerator_unknown=unknown,
        denominator=price,
        currency=case.item.currency,
        percentage=percent(counted, price) if price is not None else None,
        percentage_if_unknown_counted=(
            percent(counted + unknown, price) if unknown and price is not None else None
        ),
        lines=lines,
        zero_categories=zeros,
        reasons=reasons,
        missing_facts=missing,
        reminders=_reminders(case, lines, verdict),
        citations=_citations(t_cite, lines, zeros),
    )


_VERDICT = {
    DeMinimisOutcome.SUBJECT: Verdict.SUBJECT,
    DeMinimisOutcome.NOT_SUBJECT: Verdict.NOT_SUBJECT,
    DeMinimisOutcome.NO_CALCULATION: Verdict.NOT_SUBJECT,
    DeMinimisOutcome.INDETERMINATE: Verdict.INDETERMINATE,
}

NEEDS_CONTROLLED = frozenset({"734.4(a)(1)", "734.4(a)(3)"})
"""Categories defined by the item alone: they bite only on controlled U.S. content."""


def _decide(
    lines: tuple[LineAccount, ...],
    zeros: tuple[ZeroCategory, ...],
    counted: Decimal,
    unknown: Decimal,
    price: Decimal | None,
    threshold: Decimal,
) -> tuple[DeMinimisOutcome, str, tuple[str, ...], tuple[str, ...]]:
    """Outcome, basis, reasons, missing facts. Never "not subject" while a fact is open."""
    if all(a.us_origin is False for a in lines):
        return (
            DeMinimisOutcome.NO_CALCULATION,
            "no U.S.-origin content incorporated: no calculation needed",
            ("No BOM line is of U.S. origin (Supp. No. 2 to part 734 (a)(1)).",),
            (),
        )
    met = [
        z
        for z in zeros
        if z.outcome is Outcome.MET and (z.paragraph not in NEEDS_CONTROLLED or counted > 0)
    ]
    if met:
        return (
            DeMinimisOutcome.SUBJECT,
            f"no de minimis level ({', '.join(z.paragraph for z in met)})",
            tuple(f"15 CFR {z.paragraph}: {z.reason}" for z in met),
            (),
        )
    if price is not None and above(counted, price, threshold):
        return (
            DeMinimisOutcome.SUBJECT,
            f"controlled U.S.-origin content {percent(counted, price)} % is more than "
            f"{threshold} %",
            (),
            (),
        )
    open_lines = [a for a in lines if a.status is _UNKNOWN]
    no_value = [a for a in lines if a.value is None and a.status in (_COUNTED, _UNKNOWN)]
    # An item-only category (NEEDS_CONTROLLED) cannot bite when no line is, or may be,
    # controlled U.S.-origin content: its unknown item facts decide nothing then.
    maybe_controlled = counted > 0 or unknown > 0 or bool(open_lines) or bool(no_value)
    open_zero = [
        z
        for z in zeros
        if (
            z.outcome is Outcome.UNKNOWN
            and (z.paragraph not in NEEDS_CONTROLLED or maybe_controlled)
        )
        or (z.outcome is Outcome.MET and z.paragraph in NEEDS_CONTROLLED and unknown > 0)
    ]
    line_facts: list[str] = []
    for a in open_lines:
        if a.us_origin is None:
            line_facts.append(f"bom[{a.index}].origin_country")
        elif a.eccn is None:
            line_facts.append(f"bom[{a.index}].eccn")
        elif "item.exported_from" in a.reason:
            line_facts.append("item.exported_from")
        elif "bundled_software" in a.reason:
            line_facts.append(f"bom[{a.index}].bundled_software")
        else:
            line_facts.append(f"bom[{a.index}].license_override")
    line_facts += [f"bom[{a.index}].value" for a in no_value]
    needs_calculation = counted > 0 or bool(open_lines) or bool(no_value)
    if price is None and needs_calculation:
        line_facts.insert(0, "item.price")
    missing = _unique((*(m for z in open_zero for m in z.missing_facts), *line_facts))
    if open_zero:
        return (
            DeMinimisOutcome.INDETERMINATE,
            "a 734.4(a) category (no de minimis level) may apply",
            tuple(f"15 CFR {z.paragraph}: {z.reason}" for z in open_zero),
            missing,
        )
    if not needs_calculation:
        return (
            DeMinimisOutcome.NO_CALCULATION,
            "no controlled U.S.-origin content: no calculation needed",
            ("Every U.S.-origin line is NLR or GBS-eligible to the destination, or not "
             "counted for the reason given (Supp. No. 2 to part 734 (a)(1)).",),
            (),
        )  # fmt: skip
    if price is None:
        return (
            DeMinimisOutcome.INDETERMINATE,
            "controlled (or possibly controlled) U.S.-origin content, but the item price is "
            "not given",
            (),
            missing,
        )
    if no_value:
        return (
            DeMinimisOutcome.INDETERMINATE,
            "the value of (possibly) controlled U.S.-origin content is not given",
            (),
            missing,
        )
    if above(counted + unknown, price, threshold):
        return (
            DeMinimisOutcome.INDETERMINATE,
            f"known controlled content {percent(counted, price)} % is not more than "
            f"{threshold} %, but unclassified U.S.-origin content could take it above",
            (),
            missing,
        )
    return (
        DeMinimisOutcome.NOT_SUBJECT,
        f"controlled U.S.-origin content {percent(counted + unknown, price)} % is not more "
        f"than {threshold} %",
        (),
        (),
    )


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _reminders(case: Case, lines: tuple[LineAccount, ...], verdict: Verdict) -> tuple[str, ...]:
    if case.item.kind is not ItemKind.TECHNOLOGY or verdict is Verdict.SUBJECT:
        return ()
    bom = case.bom or ()
    tech = [
        a
        for a in lines
        if a.status is LineStatus.COUNTED and bom[a.index].kind is ItemKind.TECHNOLOGY
    ]
    if not tech:
        return ()
    return (
        "Foreign technology commingled with U.S.-origin controlled technology: a one-time "
        "report must be filed with BIS before relying on de minimis, and the 30-day wait "
        f"observed ({SUPP2} (b); 15 CFR 734.4). Software needs no report since 73 FR 56964.",
    )


def _citations(
    t_cite: str, lines: tuple[LineAccount, ...], zeros: tuple[ZeroCategory, ...]
) -> tuple[str, ...]:
    cites = {"15 CFR 734.4", SUPP2, t_cite}
    for line_cites in {a.citations for a in lines}:  # lines share a few citation tuples
        cites.update(line_cites)
    cites.update(z.citation for z in zeros if z.outcome is not Outcome.NOT_MET)
    return tuple(sorted(cites))
