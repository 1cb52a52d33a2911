"""License requirements of the Commerce Control List (Supplement No. 1 to 15 CFR part 774).

Each ECCN's "License Requirements" table is data (``ccl.yaml``): rows naming Country Chart
columns (15 CFR 738.4) or, for the newer controls, a destination scope written in prose in the
CCL (e.g. "Macau or Country Group D:5", 15 CFR 742.6(a)(6)). :func:`license_required` applies
the rows that cover an ECCN paragraph to one destination and says why; part 746 embargo
requirements are reported apart from the Country Chart result.

A row can be undecidable from the ECCN alone: the classification stops above the paragraph the
row names, or the row covers software/technology "for" other items. The check then says
``required=None`` and lists the row under ``conditional`` instead of guessing.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from compliance.ear.eccn import Eccn, EccnError, eccn_matches, parse_eccn
from compliance.ear.reference import country_chart
from compliance.ear.reference._data import ReferenceDataError, issue_date, load
from compliance.ear.reference.countries import normalize_destination, parent_country
from compliance.ear.reference.country_groups import in_group

__all__ = [
    "CITATION",
    "ISSUE_DATE",
    "CclEntry",
    "DestinationScope",
    "LicenseCheck",
    "LicenseRow",
    "RowScope",
    "all_eccns",
    "category_files",
    "destination_in_scope",
    "license_required",
    "lookup",
    "row_applies",
    "scope_description",
]

_FILE = "ccl.yaml"
ISSUE_DATE: date = issue_date(_FILE)
CITATION = "15 CFR 774 Supp. No. 1"

Applies = Literal["yes", "no", "maybe"]


class DestinationScope(StrEnum):
    """Destination scopes the CCL writes in prose instead of a Country Chart column."""

    ALL = "all"
    ALL_BUT_CANADA = "all_but_canada"
    UAE_OR_D1_D4_D5_NOT_A5_A6 = "uae_or_d1_d4_d5_not_a5_a6"
    D1_D4_D5_NOT_A5_A6 = "d1_d4_d5_not_a5_a6"
    MACAU_OR_D5 = "macau_or_d5"
    CN_RU_VE = "cn_ru_ve"
    UN_ARMS_EMBARGO = "un_arms_embargo"
    PAKISTAN = "pk"
    IRAQ = "iq"
    IRAQ_OR_PAKISTAN = "iq_pk"
    NORTH_KOREA = "kp"
    E1 = "e1"
    CWC_NON_STATE_PARTY = "cwc_non_party"
    RUSSIA_OR_BELARUS = "ru_by"


class RowScope(StrEnum):
    """What a row's coverage depends on."""

    PARAGRAPHS = "paragraphs"  # the ECCN's own paragraphs (or the entire entry)
    RELATED = "related"  # software/technology *for* items named in ``controls``
    PARTY = "party"  # the parties (Entity List footnote 5), not the destination
    CONDITION = "condition"  # a property the ECCN does not encode (e.g. a shotgun's barrel)


class LicenseRow(BaseModel):
    """One row of an ECCN's License Requirements table."""

    model_config = ConfigDict(frozen=True)

    controls: str
    columns: tuple[str, ...] = ()
    applies_to_paragraphs: tuple[str, ...] | None = None
    excluded_paragraphs: tuple[str, ...] = ()
    destinations: DestinationScope | None = None
    scope: RowScope = RowScope.PARAGRAPHS
    citation: str | None = None


class CclEntry(BaseModel):
    """An ECCN's license requirements and list-based license exceptions."""

    model_config = ConfigDict(frozen=True)

    eccn: str
    heading: str
    reasons_for_control: tuple[str, ...]
    license_rows: tuple[LicenseRow, ...]
    lvs: str | None
    gbs: bool
    gbs_note: str = ""
    other_exceptions: tuple[str, ...] = ()
    special_controls: tuple[str, ...] = ()
    note: str = ""
    generic_class: str | None = None  # "600_series" / "0Y521" when no entry of its own


class LicenseCheck(BaseModel):
    """Whether an ECCN needs a license to a destination, and why.

    ``required`` answers for the CCL and the Country Chart (None: unknown ECCN, no license table,
    or a row that may apply but cannot be decided from the ECCN given). Part 746 is apart:
    ``part_746`` lists requirements that apply, ``part_746_unknown`` those that may apply.
    """

    model_config = ConfigDict(frozen=True)

    eccn: str
    destination: str
    required: bool | None
    reasons: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    gbs_eligible: bool = False
    explanation: str
    conditional: tuple[str, ...] = ()
    part_746: tuple[str, ...] = ()
    part_746_unknown: tuple[str, ...] = ()

    @property
    def part_746_required(self) -> bool | None:
        if self.part_746:
            return True
        return None if self.part_746_unknown else False

    @property
    def any_required(self) -> bool | None:
        """License needed under the chart or part 746 (None when either is undecided)."""
        if self.required or self.part_746:
            return True
        if self.required is None or self.part_746_unknown:
            return None
        return False


# ----------------------------------------------------------------------------- loading


_SHORT_ROW = re.compile(
    r"^(?P<code>[A-Z]{2})(?P<col>[123])?"
    r"(?: @(?P<dest>[a-z0-9_]+))?"
    r"(?: \[(?P<cite>[^\]]+)\])?"
    r"(?P<except> except)?"
    r"(?:: (?P<paras>.+))?$"
)


def _short_row(text: str, eccn: str, where: str) -> dict[str, Any]:
    """Expand a short row ("NS2", "MT1: a.1, b", "RS @cn_ru_ve [742.6(a)(7)]: y") to a mapping.

    The syntax is documented in ``ccl.yaml``; paragraphs are relative to ``eccn``.
    """
    m = _SHORT_ROW.match(text.strip())
    if m is None or (m["col"] is None) == (m["dest"] is None):
        raise ReferenceDataError(f"{where}: cannot read row {text!r}")
    code = m["code"]
    paras = [] if m["paras"] is None else [p.strip() for p in m["paras"].split(",")]
    if any(not p for p in paras) or (m["except"] and not paras):
        raise ReferenceDataError(f"{where}: row {text!r} has an empty paragraph list")
    full = [p if p.upper().startswith(eccn) else f"{eccn}.{p}" for p in paras]
    out: dict[str, Any] = {}
    if m["except"]:
        out["controls"] = f"{code} applies to entire entry except {', '.join(full)}"
        out["excluded"] = full
    elif full:
        out["controls"] = f"{code} applies to {', '.join(full)}"
        out["paragraphs"] = full
    else:
        out["controls"] = f"{code} applies to entire entry"
    if m["col"]:
        out["columns"] = [code + m["col"]]
    else:
        out["destinations"] = m["dest"]
    if m["cite"]:
        out["citation"] = f"15 CFR {m['cite']}"
    return out


def _row(raw: dict[str, Any] | str, eccn: str, where: str) -> LicenseRow:
    if isinstance(raw, str):
        raw = _short_row(raw, eccn, where)
    try:
        paragraphs = raw.get("paragraphs")
        return LicenseRow(
            controls=raw["controls"],
            columns=tuple(raw.get("columns", ())),
            applies_to_paragraphs=None if paragraphs is None else tuple(paragraphs),
            excluded_paragraphs=tuple(raw.get("excluded", ())),
            destinations=raw.get("destinations"),
            scope=raw.get("scope", RowScope.PARAGRAPHS),
            citation=raw.get("citation"),
        )
    except (KeyError, ValueError) as exc:
        raise ReferenceDataError(f"{where}: {exc}") from exc


def _entry(
    eccn: str, raw: dict[str, Any], generic_class: str | None = None, file: str = _FILE
) -> CclEntry:
    rows = tuple(_row(r, eccn, f"{file}: {eccn} row {i + 1}") for i, r in enumerate(raw["rows"]))
    for row in rows:
        bad = set(row.columns) - set(country_chart.COLUMNS)
        if bad:
            raise ReferenceDataError(f"{file}: {eccn}: unknown chart columns {sorted(bad)}")
        if row.columns and row.destinations is not None:
            raise ReferenceDataError(f"{file}: {eccn}: a row has both columns and destinations")
        if row.scope is not RowScope.PARTY and not row.columns and row.destinations is None:
            raise ReferenceDataError(f"{file}: {eccn}: row {row.controls!r} names no scope")
    reasons = raw.get("reasons")
    if reasons is None:  # default: the reasons of the rows, in order
        reasons = list(dict.fromkeys(r.controls.split(" ", 1)[0] for r in rows))
    if not rows and not raw.get("note"):
        raise ReferenceDataError(f"{file}: {eccn}: an entry without rows must say why (note)")
    lvs = raw.get("lvs")
    return CclEntry(
        eccn=eccn,
        heading=" ".join(str(raw["heading"]).split()),
        reasons_for_control=tuple(reasons),
        license_rows=rows,
        lvs=None if lvs in (None, "N/A") else str(lvs),
        gbs=bool(raw.get("gbs", False)),
        gbs_note=raw.get("gbs_note", ""),
        other_exceptions=tuple(raw.get("other_exceptions", ())),
        special_controls=tuple(raw.get("special_controls", ())),
        note=" ".join(str(raw.get("note", "")).split()),
        generic_class=generic_class,
    )


def category_files() -> tuple[str, ...]:
    """The per-category data files named by the index ``ccl.yaml``."""
    return tuple(load(_FILE)["categories"])


@cache
def _entries() -> dict[str, CclEntry]:
    out: dict[str, CclEntry] = {}
    for file in category_files():
        data = load(file)
        if data["issue_date"] != ISSUE_DATE:
            raise ReferenceDataError(f"{file}: issue_date differs from {_FILE} ({ISSUE_DATE})")
        for key, raw in (data.get("entries") or {}).items():
            eccn = parse_eccn(str(key))
            if eccn.text != key or eccn.paragraphs:
                raise ReferenceDataError(f"{file}: entry key {key!r} is not a bare ECCN")
            if f"ccl_cat{eccn.category}.yaml" != file:
                raise ReferenceDataError(f"{file}: {key} belongs to category {eccn.category}")
            if key in out:
                raise ReferenceDataError(f"{file}: {key} is listed twice")
            out[key] = _entry(key, raw, file=file)
            for row in out[key].license_rows:
                for p in (*(row.applies_to_paragraphs or ()), *row.excluded_paragraphs):
                    if parse_eccn(p).base != key:
                        raise ReferenceDataError(f"{file}: {key}: paragraph {p!r} of another ECCN")
    return out


def _class_entry(name: str, base: str) -> CclEntry:
    """A class pattern (600 series, 0Y521) resolved to one ECCN: ``y`` becomes ``9A619.y``."""
    raw = load(_FILE)["classes"][name]

    def resolve(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for key in ("paragraphs", "excluded"):
            if key in row:
                out[key] = [f"{base}.{p}" for p in row[key]]
        return out

    resolved = {**raw, "rows": [resolve(r) for r in raw["rows"]]}
    return _entry(base, resolved, generic_class=name)


def all_eccns() -> tuple[str, ...]:
    """Every ECCN with an entry of its own, sorted."""
    return tuple(sorted(_entries()))


def lookup(eccn: Eccn | str) -> CclEntry | None:
    """The CCL entry for ``eccn`` (paragraphs ignored); None for EAR99 and unknown ECCNs.

    A 600 series or 0Y521 ECCN without an entry of its own gets the class pattern, marked by
    ``generic_class``.
    """
    item = eccn if isinstance(eccn, Eccn) else parse_eccn(eccn)
    if item.is_ear99 or item.is_class:
        return None
    found = _entries().get(item.base)
    if found is not None:
        return found
    if item.is_600_series:
        return _class_entry("600_series", item.base)
    if item.is_0y521:
        return _class_entry("0Y521", item.base)
    return None


# ----------------------------------------------------------------------------- evaluation


def _covers(item: Eccn, pattern: str) -> Applies:
    """yes: item is at or below pattern; maybe: pattern is below item; no: unrelated."""
    if eccn_matches(item, pattern):
        return "yes"
    pat = parse_eccn(pattern)
    n = len(item.paragraphs)
    if pat.base == item.base and pat.paragraphs[:n] == item.paragraphs:
        return "maybe"
    return "no"


def row_applies(row: LicenseRow, eccn: Eccn | str) -> bool | None:
    """Whether ``row`` covers ``eccn``: None when the ECCN stops above the row's paragraphs,
    the row covers software/technology *for* other items, or it turns on the parties."""
    answer = _row_applies(row, eccn if isinstance(eccn, Eccn) else parse_eccn(eccn))
    return {"yes": True, "no": False, "maybe": None}[answer]


def _row_applies(row: LicenseRow, item: Eccn) -> Applies:
    if row.scope is not RowScope.PARAGRAPHS:
        return "maybe"
    if row.applies_to_paragraphs is not None:
        hits = {_covers(item, p) for p in row.applies_to_paragraphs}
        base: Applies = "yes" if "yes" in hits else "maybe" if "maybe" in hits else "no"
    else:
        base = "yes"
    if base == "no":
        return "no"
    excluded = {_covers(item, p) for p in row.excluded_paragraphs}
    if "yes" in excluded:
        return "no"
    if "maybe" in excluded:
        return "maybe"
    return base


def _un_embargoed() -> frozenset[str]:
    return frozenset(load(_FILE)["un_arms_embargo"])


def _cwc_non_state_parties() -> frozenset[str]:
    return frozenset(load(_FILE)["cwc_non_state_parties"])


def destination_in_scope(scope: DestinationScope, country: str) -> bool:
    """Whether ``country`` falls in a prose destination scope of the CCL."""
    code = parent_country(normalize_destination(country))

    def d1_d4_d5_not_a5_a6() -> bool:
        in_d = any(in_group(code, g) for g in ("D:1", "D:4", "D:5"))
        return in_d and not any(in_group(code, g) for g in ("A:5", "A:6"))

    match scope:
        case DestinationScope.ALL:
            return True
        case DestinationScope.ALL_BUT_CANADA:
            return code != "CA"
        case DestinationScope.UAE_OR_D1_D4_D5_NOT_A5_A6:
            return code == "AE" or d1_d4_d5_not_a5_a6()
        case DestinationScope.D1_D4_D5_NOT_A5_A6:
            return d1_d4_d5_not_a5_a6()
        case DestinationScope.MACAU_OR_D5:
            return code == "MO" or in_group(code, "D:5")
        case DestinationScope.CN_RU_VE:
            return code in {"CN", "RU", "VE"}
        case DestinationScope.UN_ARMS_EMBARGO:
            return code in _un_embargoed()
        case DestinationScope.PAKISTAN:
            return code == "PK"
        case DestinationScope.IRAQ:
            return code == "IQ"
        case DestinationScope.IRAQ_OR_PAKISTAN:
            return code in {"IQ", "PK"}
        case DestinationScope.NORTH_KOREA:
            return code == "KP"
        case DestinationScope.E1:
            return in_group(code, "E:1")
        case DestinationScope.RUSSIA_OR_BELARUS:
            return code in {"RU", "BY"}
        case DestinationScope.CWC_NON_STATE_PARTY:
            return code in _cwc_non_state_parties()


_SCOPE_TEXT = {
    DestinationScope.ALL: "all destinations",
    DestinationScope.ALL_BUT_CANADA: "all destinations except Canada",
    DestinationScope.UAE_OR_D1_D4_D5_NOT_A5_A6: "the UAE or D:1, D:4, D:5 not also in A:5/A:6",
    DestinationScope.D1_D4_D5_NOT_A5_A6: "D:1, D:4, D:5 not also in A:5/A:6",
    DestinationScope.MACAU_OR_D5: "Macau or Country Group D:5",
    DestinationScope.CN_RU_VE: "China, Russia or Venezuela",
    DestinationScope.UN_ARMS_EMBARGO: "destinations under a UN arms embargo (15 CFR 746.1(b))",
    DestinationScope.PAKISTAN: "Pakistan",
    DestinationScope.IRAQ: "Iraq",
    DestinationScope.IRAQ_OR_PAKISTAN: "Iraq or Pakistan",
    DestinationScope.NORTH_KOREA: "North Korea",
    DestinationScope.E1: "Country Group E:1",
    DestinationScope.RUSSIA_OR_BELARUS: "Russia or Belarus (15 CFR 746.8)",
    DestinationScope.CWC_NON_STATE_PARTY: (
        "destinations not States Parties to the Chemical Weapons Convention (15 CFR 742.18, "
        "Supplement No. 2 to part 745)"
    ),
}


def scope_description(scope: DestinationScope) -> str:
    """The destination scope in words, for reports."""
    return _SCOPE_TEXT[scope]


def _row_hits(row: LicenseRow, destination: str) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """(license required by this row, reasons, citations) for one destination."""
    if row.destinations is not None:
        hit = destination_in_scope(row.destinations, destination)
        code = row.controls.split(" ", 1)[0]
        reason = f"{code} ({row.citation})" if row.citation else code
        cites = (row.citation,) if row.citation else ()
        return hit, ((reason,) if hit else ()), cites
    cols = tuple(c for c in row.columns if country_chart.x_in_box(destination, c))
    if not cols:
        return False, (), ()
    extra = (row.citation,) if row.citation else ()
    return True, cols, (country_chart.CITATION, *extra)


def _part_746(item: Eccn, destination: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(requirements that apply, requirements that may apply) under part 746."""
    code = normalize_destination(destination)
    row = country_chart.chart_row(code)
    on_ccl = not item.is_ear99
    texts: dict[str, tuple[str, str]] = {
        "CU": (
            "15 CFR 746.2(a): a license is required for all items subject to the EAR to Cuba",
            "15 CFR 746.2(a): a license is required for all items subject to the EAR to Cuba",
        ),
        "IR": (
            "15 CFR 746.7(a): a license is required for CCL items to Iran",
            "15 CFR 746.7(e): an export of items subject to the EAR to Iran, EAR99 included, "
            "needs authorization under OFAC's ITSR (31 CFR 560.204), which also serves as the "
            "EAR authorization",
        ),
        "KP": (
            "15 CFR 746.4(a): a license is required for all items subject to the EAR to North "
            "Korea, except food and medicine designated EAR99",
            "15 CFR 746.4(a): a license is required for all items subject to the EAR to North "
            "Korea, except food and medicine designated EAR99",
        ),
        "SY": (
            "15 CFR 746.9(a): a license is required for all items subject to the EAR to Syria",
            "15 CFR 746.9(a): a license is required for all items subject to the EAR to Syria; "
            "License Exception SPP (FR Doc. 2025-16724, effective 2025-09-02) may authorize "
            "EAR99 items unless a restricted party or end use is involved",
        ),
    }
    if row in texts:
        return (texts[row][0 if on_ccl else 1],), ()
    if code.startswith("UA-"):
        return (
            "15 CFR 746.6(a): a license is required for all items subject to the EAR to the "
            "Crimea, DNR and LNR regions of Ukraine, except food and medicine designated EAR99 "
            "and certain personal-communications software",
        ), ()
    if row in {"RU", "BY"}:
        if on_ccl:
            return (
                "15 CFR 746.8(a)(1): a license is required for every item on the CCL to "
                f"{'Russia' if row == 'RU' else 'Belarus'}",
            ), ()
        return (), (
            "15 CFR 746.8(a)(2)-(a)(4): EAR99 items listed in Supplements No. 2, 4 or 5 to part "
            "746 (by HTS code) need a license; those supplements are not carried here",
        )
    return (), ()


def license_required(eccn: Eccn | str, country: str) -> LicenseCheck:
    """Whether ``eccn`` needs a license to ``country`` under the CCL/Country Chart, and under
    part 746 (reported separately). Never consults part 744 (end users/end uses).

    Memoised per (ECCN text, country): the tables are fixed at import and the answer is an
    immutable model, so BOM lines sharing a classification are checked once.
    """
    item = eccn if isinstance(eccn, Eccn) else parse_eccn(eccn)
    return _license_required(item.text, country)


@lru_cache(maxsize=8192)
def _license_required(text: str, country: str) -> LicenseCheck:
    item = parse_eccn(text)
    dest = normalize_destination(country)
    required_746, unknown_746 = _part_746(item, dest)
    common = {"eccn": item.text, "destination": dest, "part_746": required_746}
    common_unknown = {"part_746_unknown": unknown_746}
    if item.is_ear99:
        return LicenseCheck(
            **common,
            **common_unknown,
            required=False,
            citations=("15 CFR 734.3(c)", "15 CFR 738.4"),
            explanation="EAR99: not on the CCL, so no Country Chart license requirement (NLR)",
        )
    entry = lookup(item)
    if entry is None:
        return LicenseCheck(
            **common,
            **common_unknown,
            required=None,
            explanation=f"{item.base} is not in the bundled CCL table ({CITATION}, "
            f"eCFR {ISSUE_DATE.isoformat()})",
        )
    if not entry.license_rows:
        return LicenseCheck(
            **common,
            **common_unknown,
            required=None,
            explanation=f"{item.base} has no license table of its own in the CCL: {entry.note}",
        )
    certain: list[str] = []
    conditional: list[str] = []
    citations: list[str] = [f"{CITATION}, ECCN {item.base}"]
    for row in entry.license_rows:
        applies = _row_applies(row, item)
        if applies == "no":
            continue
        if row.scope is RowScope.PARTY:
            conditional.append(f"{row.controls} ({row.citation}): depends on the parties")
            if row.citation:
                citations.append(row.citation)
            continue
        hit, reasons, cites = _row_hits(row, dest)
        if not hit:
            continue
        citations.extend(cites)
        if applies == "yes":
            certain.extend(reasons)
        else:
            conditional.append(f"{', '.join(reasons)} if it applies: {row.controls}")
    reasons_t = tuple(dict.fromkeys(certain))
    cites_t = tuple(dict.fromkeys(citations))
    generic = f" (generic {entry.generic_class} pattern)" if entry.generic_class else ""
    if reasons_t:
        required: bool | None = True
        text = f"{item.text} to {dest}: license required for {', '.join(reasons_t)}{generic}"
    elif any(not c.endswith("depends on the parties") for c in conditional):
        required = None
        text = (
            f"{item.text} to {dest}: a license may be required; give the paragraph or what the "
            f"software/technology is for{generic}"
        )
    else:
        required = False
        text = f"{item.text} to {dest}: no X in the Country Chart for its reasons (NLR){generic}"
    if country_chart.is_embargoed(dest):
        text += f"; {country_chart.embargo_note(dest)}"
    gbs = bool(required) and entry.gbs and in_group(parent_country(dest), "B")
    gbs = gbs and not country_chart.is_embargoed(dest) and not required_746
    return LicenseCheck(
        **common,
        **common_unknown,
        required=required,
        reasons=reasons_t,
        citations=cites_t,
        gbs_eligible=gbs,
        explanation=text,
        conditional=tuple(conditional),
    )


def _validate() -> None:
    """Fail at import on malformed data rather than on the first lookup."""
    try:
        _entries()
    except EccnError as exc:
        raise ReferenceDataError(f"{_FILE}: {exc}") from exc


_validate()
