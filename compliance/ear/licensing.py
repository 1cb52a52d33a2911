"""Once an item is subject to the EAR: which license requirements follow, and why.

Being subject to the EAR is not the same as needing a license (87 FR 6022). The license
requirement is found separately: the item's ECCN against the Commerce Country Chart
(15 CFR 738, Supp. No. 1 to part 738), part 746 embargoes, the Entity List entries of the
parties (15 CFR 744.11 and Supp. No. 4 to part 744) with their footnote-specific paragraphs,
the advanced-computing requirement of 15 CFR 742.6(a)(6), and the license provision named by
any foreign-direct product rule that captured the item. A license needed for several reasons
is reviewed under every applicable policy; a denial policy prevails.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from compliance.ear.case import Case, CaseParty
from compliance.ear.de_minimis import cite_in, eccn, eccn_matches
from compliance.ear.eccn import Eccn
from compliance.ear.fdp.base import FdpResult, RuleOutcome
from compliance.ear.reference import ccl, country_groups
from compliance.ear.reference.countries import normalize_destination

ADVANCED_COMPUTING_ITEMS = (  # 15 CFR 742.6(a)(6)(iii): 3A090, 4A090 and the related .z items
    "3A090", "4A090", "3A001.z", "4A003.z", "4A004.z", "4A005.z", "5A002.z", "5A004.z",
    "5A992.z",
)  # fmt: skip

FOOTNOTE_REQUIREMENTS: dict[int, tuple[str, str, str]] = {
    # footnote: (FDP rule that captures for it, license paragraph, what it says)
    1: ("734.9(e)(1)", "15 CFR 744.11(a)(2)(i)", "footnote 1 (Huawei) FDP license requirement"),
    4: ("734.9(e)(2)", "15 CFR 744.11(a)(2)(ii)", "footnote 4 FDP license requirement"),
    5: ("734.9(e)(3)", "15 CFR 744.11(a)(2)(v)", "footnote 5 FDP license requirement"),
}


class LicenseFinding(BaseModel):
    """One license requirement (or its absence) with its citation."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="Country Chart, part 746, Entity List, 742.6(a)(6), FDP")
    required: bool | None
    reason: str
    review_policy: str | None = None
    citations: tuple[str, ...]


class PartyListing(BaseModel):
    """A party's resolved Entity List status, as the engine hands it to licensing."""

    model_config = ConfigDict(frozen=True)

    index: int
    role: str
    name: str
    footnotes: tuple[int, ...] = ()
    listed: bool | None = Field(description="None: not given and not (conclusively) screened")
    license_requirement: str | None = None
    review_policy: str | None = None
    entries: tuple[str, ...] = Field(default=(), description="matched entries, for the report")


def is_macau_or_d5(country: str) -> bool:
    """Macau is not in D:5, so the semiconductor rules name it separately (88 FR 2821)."""
    return country == "MO" or country_groups.in_group(country, "D:5")


def country_chart_findings(case: Case, item: Eccn, destination: str) -> tuple[LicenseFinding, ...]:
    """The item's own ECCN to the destination: Country Chart reasons and part 746."""
    return _chart_findings(item.text, destination, case.item.listed_in_part746_supplements)


@lru_cache(maxsize=4096)
def _chart_findings(
    eccn_text: str, destination: str, listed: bool | None
) -> tuple[LicenseFinding, ...]:
    """Memoised: a pure function of the classification, the destination and the caller's
    part 746 flag, read from fixed tables (the findings are frozen, so sharing is safe)."""
    item = eccn(eccn_text)
    check = ccl.license_required(item, destination)
    out = [
        LicenseFinding(
            source="Country Chart",
            required=check.required,
            reason=(
                f"{item.text} to {destination}: license required for {', '.join(check.reasons)}"
                if check.required
                else check.explanation  # already names the ECCN and the destination
            ),
            citations=tuple(dict.fromkeys(("15 CFR 738.4", *check.citations))),
        )
    ]
    out.extend(
        LicenseFinding(
            source="part 746",
            required=True,
            reason=text,
            citations=(cite_in(text) or "15 CFR part 746",),
        )
        for text in check.part_746
    )
    out.extend(
        LicenseFinding(
            source="part 746",
            required=listed,
            reason=text
            + (
                " (item.listed_in_part746_supplements not given)"
                if listed is None
                else f"; the item is {'' if listed else 'not '}listed (caller)"
            ),
            citations=(cite_in(text) or "15 CFR part 746",),
        )
        for text in check.part_746_unknown
    )
    return tuple(out)


def entity_list_findings(
    parties: Sequence[PartyListing], fdp: Sequence[FdpResult]
) -> tuple[LicenseFinding, ...]:
    """Each listed party's entry requirement and policy, plus footnote-specific paragraphs."""
    applied = {r.rule_id for r in fdp if r.outcome is RuleOutcome.APPLIES}
    out: list[LicenseFinding] = []
    for p in parties:
        who = f"parties[{p.index}] ({p.role}: {p.name})"
        if p.listed is None:
            out.append(
                LicenseFinding(
                    source="Entity List",
                    required=None,
                    reason=f"{who}: Entity List status not settled (possible match or not "
                    "screened); resolve before relying on any license decision",
                    citations=("15 CFR 744.11", "15 CFR part 744, Supp. No. 4"),
                )
            )
            continue
        if not p.listed:
            continue
        if p.role == "downstream buyer":
            # Not a party to this transaction (15 CFR 748.5): only the footnote paragraphs
            # that reach items "produced, purchased, or ordered by" it apply.
            out.extend(_footnote_findings(who, p, applied))
            continue
        out.append(
            LicenseFinding(
                source="Entity List",
                required=True,
                reason=f"{who} is on the Entity List"
                + (f" ({', '.join(p.entries)})" if p.entries else "")
                + f": {p.license_requirement or 'license requirement as stated in the entry'}",
                review_policy=p.review_policy,
                citations=("15 CFR 744.11", "15 CFR part 744, Supp. No. 4", "15 CFR 744.16"),
            )
        )
        out.extend(_footnote_findings(who, p, applied))
    return tuple(out)


def _footnote_findings(who: str, p: PartyListing, applied: set[str]) -> list[LicenseFinding]:
    out: list[LicenseFinding] = []
    for n in p.footnotes:
        if n in FOOTNOTE_REQUIREMENTS:
            rule, para, what = FOOTNOTE_REQUIREMENTS[n]
            hit = rule in applied
            out.append(
                LicenseFinding(
                    source="Entity List",
                    required=True if hit else None,
                    reason=f"{who}: {what}"
                    + (
                        f"; the item is captured by 15 CFR {rule}"
                        if hit
                        else f"; applies to items subject under 15 CFR {rule} (not established)"
                    ),
                    review_policy=p.review_policy,
                    citations=(para, f"15 CFR {rule}"),
                )
            )
        elif n == 3:
            out.append(
                LicenseFinding(
                    source="Entity List",
                    required=True,
                    reason=f"{who}: footnote 3 Russia/Belarus military end user or procurement "
                    "entity: license required for all items subject to the EAR",
                    review_policy="policy of denial (food and medicine designated EAR99: "
                    "case-by-case), per the entry",
                    citations=("15 CFR 746.8(a)(3)", "15 CFR 744.21(b)", "15 CFR 734.9(g)"),
                )
            )
        elif n == 2:
            out.append(
                LicenseFinding(
                    source="Entity List",
                    required=False,
                    reason=f"{who}: footnote 2: EAR99 or AT-only technology released to members "
                    "of a standards organisation for standards work needs no license under "
                    "the entry (footnote wording unverified, docs/ear.md)",
                    citations=("15 CFR part 744, Supp. No. 4, footnote 2",),
                )
            )
    return out


def advanced_computing_findings(
    case: Case, item: Eccn, destination: str
) -> tuple[LicenseFinding, ...]:
    """15 CFR 742.6(a)(6)(iii): 3A090/4A090 and .z items to, or for entities headquartered in,
    Macau or D:5 (HQ requirement enforced worldwide per BIS guidance of 2026-05-31)."""
    if not any(eccn_matches(item, p) for p in ADVANCED_COMPUTING_ITEMS):
        return ()
    out: list[LicenseFinding] = []
    if is_macau_or_d5(destination):
        out.append(
            LicenseFinding(
                source="742.6(a)(6)",
                required=True,
                reason=f"{item.text} destined to {destination} (Macau or D:5)",
                review_policy="presumption of denial for reexports, exports from abroad and "
                "transfers (policy change of 2026-01-15 covers exports from the U.S. only)",
                citations=("15 CFR 742.6(a)(6)(iii)",),
            )
        )
    out.extend(_headquarters(case.parties, item))
    return tuple(out)


def _headquarters(parties: Sequence[CaseParty], item: Eccn) -> list[LicenseFinding]:
    out: list[LicenseFinding] = []
    unknown: list[str] = []
    for i, party in enumerate(parties):
        hq = [
            normalize_destination(c)
            for c in (party.headquarters_country, party.ultimate_parent_headquarters_country)
            if c is not None
        ]
        hit = [c for c in hq if is_macau_or_d5(c)]
        if hit:
            out.append(
                LicenseFinding(
                    source="742.6(a)(6)",
                    required=True,
                    reason=f"{item.text} for parties[{i}] ({party.name}) headquartered, or with "
                    f"ultimate parent headquartered, in {', '.join(sorted(set(hit)))} "
                    "(Macau or D:5), wherever located",
                    citations=("15 CFR 742.6(a)(6)(iii)(A)",),
                )
            )
        elif party.ultimate_parent_headquarters_country is None:
            unknown.append(f"parties[{i}].ultimate_parent_headquarters_country")
    if unknown and not out:
        out.append(
            LicenseFinding(
                source="742.6(a)(6)",
                required=None,
                reason="headquarters of the parties' ultimate parents not given: "
                + ", ".join(unknown),
                citations=("15 CFR 742.6(a)(6)(iii)(A)",),
            )
        )
    return out


def fdp_findings(fdp: Sequence[FdpResult]) -> tuple[LicenseFinding, ...]:
    """The license provision each capturing FDP rule points to."""
    return tuple(
        _fdp_finding(r.rule_id, r.title, r.outcome, r.license_citations or (r.citation,))
        for r in fdp
        if r.outcome is not RuleOutcome.DOES_NOT_APPLY
    )


@lru_cache(maxsize=1024)
def _fdp_finding(
    rule_id: str, title: str, outcome: RuleOutcome, citations: tuple[str, ...]
) -> LicenseFinding:
    """Memoised: one finding per rule and outcome, frozen and shared."""
    return LicenseFinding(
        source=f"FDP {rule_id}",
        required=True if outcome is RuleOutcome.APPLIES else None,
        reason=f"{title}: {outcome.value}; license requirement in " + ", ".join(citations),
        citations=citations,
    )


def license_findings(
    case: Case, destination: str, parties: Sequence[PartyListing], fdp: Sequence[FdpResult]
) -> tuple[LicenseFinding, ...]:
    """All license findings in a stable order: chart, 746, 742.6(a)(6), Entity List, FDP."""
    if case.item.eccn is None:
        unknown = LicenseFinding(
            source="Country Chart",
            required=None,
            reason="the item's ECCN is not known: its license requirement to "
            f"{destination} cannot be read (give item.eccn)",
            citations=("15 CFR 738.4",),
        )
        return (unknown, *entity_list_findings(parties, fdp), *fdp_findings(fdp))
    item = eccn(case.item.eccn)
    return (
        *country_chart_findings(case, item, destination),
        *advanced_computing_findings(case, item, destination),
        *entity_list_findings(parties, fdp),
        *fdp_findings(fdp),
    )


def overall_policy(findings: Sequence[LicenseFinding]) -> str | None:
    """A denial policy in any applicable requirement prevails (BIS Entity List guidance)."""
    policies = [f.review_policy for f in findings if f.required and f.review_policy]
    denial = [p for p in policies if "denial" in p.lower()]
    if denial:
        return f"{denial[0]} (a denial policy prevails when several requirements apply)"
    return policies[0] if policies else None
