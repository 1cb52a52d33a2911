"""Ownership screening: counterparties owned 50 % or more by listed parties.

Two rules, computed the same way and reported separately:

* OFAC 50 Percent Rule (revised guidance of 13 Aug 2014; OFAC FAQs 398-401): an entity owned
  50 % or more, directly or indirectly, individually or in the aggregate, by one or more blocked
  persons is itself blocked. Owners here are parties with an alert-level SDN hit.
* BIS Affiliates rule (90 FR 47201; Supp. No. 8 to 15 CFR part 744): the same test for owners on
  the Entity List or the MEU List, restricted affiliates counting as owners too; in force
  2025-09-29..2025-11-09, suspended 2025-11-10..2026-11-09 (90 FR 50857); after that a user
  setting, because the status is unconfirmed.

"Indirectly" is read as OFAC FAQ 401 defines it: shares held through an entity count only when
that entity is itself 50 % or more owned by blocked persons, and then they count in full (its
Example 1: X owns 50 % of A, A owns 50 % of B, so B is blocked although 50 % x 50 % = 25 %).
The restricted set is therefore a fixpoint: start from the listed owners, add every entity whose
shares held by restricted owners sum to 50 % or more, repeat until nothing changes. Cycles end
because the set only grows. A share left blank is "listed owner, share unknown": the entity is
reported as unresolved (Red Flag 29, Supp. No. 3 to 15 CFR part 732, added by 90 FR 47201),
never as clear.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from compliance.ear.settings import (
    AFFILIATES_SUSPENSION_END,
    AffiliatesStatus,
    RulesetSettings,
    affiliates_status,
)
from compliance.review.suppression import HitState, ReviewedResult
from compliance.screening.results import Hit, ScreeningResult, Status

THRESHOLD = Decimal(50)
HUNDRED = Decimal(100)

OFAC_CITATION = "OFAC 50 Percent Rule: revised guidance of 13 Aug 2014; OFAC FAQs 398-401"
BIS_CITATION = (
    "BIS Affiliates rule: 90 FR 47201, Supp. No. 8 to 15 CFR part 744; suspension 90 FR 50857"
)
RED_FLAG_CITATION = "Red Flag 29, Supp. No. 3 to 15 CFR part 732 (90 FR 47201)"

OFAC_LISTS = frozenset({"SDN"})
BIS_LISTS = frozenset({"EL", "MEU"})


class OwnershipError(ValueError):
    """An ownership edge that cannot be used as given (the message names row and field)."""


class OwnershipEdge(BaseModel):
    """``owner`` holds ``percent`` % of ``owned``; ``percent`` None means unknown."""

    model_config = ConfigDict(frozen=True)

    owner: str = Field(min_length=1)
    owned: str = Field(min_length=1)
    percent: Decimal | None = Field(default=None, gt=0, le=100)
    row: int | None = Field(default=None, description="CSV row (header = 1), for messages")


class OwnershipIssue(BaseModel):
    model_config = ConfigDict(frozen=True)

    row: int | None
    field: str | None
    reason: str
    skipped: bool


class OwnershipGraph(BaseModel):
    """Validated edges (no self-ownership, one edge per owner/owned pair) and input issues."""

    model_config = ConfigDict(frozen=True)

    edges: tuple[OwnershipEdge, ...]
    issues: tuple[OwnershipIssue, ...] = ()

    @classmethod
    def from_edges(cls, edges: Iterable[OwnershipEdge]) -> OwnershipGraph:
        """Build from API edges; raises ``OwnershipError`` on a self-edge or a duplicate pair."""
        kept: dict[tuple[str, str], OwnershipEdge] = {}
        for edge in edges:
            problem = _edge_problem(edge, kept)
            if problem is not None:
                raise OwnershipError(f"{_where(edge.row)}{problem[0]}: {problem[1]}")
            kept[(edge.owner, edge.owned)] = edge
        return cls(edges=tuple(kept.values()), issues=_over_100(kept.values()))

    def nodes(self) -> tuple[str, ...]:
        return tuple(sorted({e.owner for e in self.edges} | {e.owned for e in self.edges}))


def _where(row: int | None) -> str:
    return f"row {row}, " if row is not None else ""


def _edge_problem(
    edge: OwnershipEdge, kept: Mapping[tuple[str, str], OwnershipEdge]
) -> tuple[str, str] | None:
    if edge.owner == edge.owned:
        return "owned", f"{edge.owner!r} cannot own itself"
    earlier = kept.get((edge.owner, edge.owned))
    if earlier is not None:
        first = f"row {earlier.row}" if earlier.row is not None else "an earlier edge"
        return "owned", f"{edge.owner!r} -> {edge.owned!r} duplicates {first}"
    return None


def _over_100(edges: Iterable[OwnershipEdge]) -> tuple[OwnershipIssue, ...]:
    totals: dict[str, Decimal] = {}
    for e in edges:
        if e.percent is not None:
            totals[e.owned] = totals.get(e.owned, Decimal(0)) + e.percent
    return tuple(
        OwnershipIssue(
            row=None,
            field="percent",
            reason=f"shares recorded in {node!r} add up to {total}% (over 100%); kept as given",
            skipped=False,
        )
        for node, total in sorted(totals.items())
        if total > HUNDRED
    )


def parse_percent(text: str) -> Decimal | None:
    """'50', '50.5', '50 %' -> Decimal; '' -> None (unknown). Raises ValueError otherwise."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite() or not Decimal(0) < value <= HUNDRED:
        raise ValueError(f"{text!r} must be more than 0 and at most 100")
    return value


def read_ownership_csv(path: Path) -> OwnershipGraph:
    """Read ``owner,owned,percent`` rows; a bad row is reported (row and field) and skipped."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in ("owner", "owned", "percent") if c not in header]
        if missing:
            raise OwnershipError(f"{path.name}: header lacks column(s) {', '.join(missing)}")
        cols = {name: header.index(name) for name in ("owner", "owned", "percent")}
        kept: dict[tuple[str, str], OwnershipEdge] = {}
        issues: list[OwnershipIssue] = []
        for row, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            edge_or_issue = _row_edge(row, values, cols, kept)
            if isinstance(edge_or_issue, OwnershipIssue):
                issues.append(edge_or_issue)
            else:
                kept[(edge_or_issue.owner, edge_or_issue.owned)] = edge_or_issue
    return OwnershipGraph(edges=tuple(kept.values()), issues=(*issues, *_over_100(kept.values())))


def _row_edge(
    row: int,
    values: Sequence[str],
    cols: Mapping[str, int],
    kept: Mapping[tuple[str, str], OwnershipEdge],
) -> OwnershipEdge | OwnershipIssue:
    def cell(name: str) -> str:
        i = cols[name]
        return values[i].strip() if i < len(values) else ""

    for name in ("owner", "owned"):
        if not cell(name):
            return OwnershipIssue(row=row, field=name, reason="empty", skipped=True)
    try:
        percent = parse_percent(cell("percent"))
    except ValueError as exc:
        return OwnershipIssue(row=row, field="percent", reason=str(exc), skipped=True)
    edge = OwnershipEdge(owner=cell("owner"), owned=cell("owned"), percent=percent, row=row)
    problem = _edge_problem(edge, kept)
    if problem is not None:
        return OwnershipIssue(row=row, field=problem[0], reason=problem[1], skipped=True)
    return edge


# -- who is listed ---------------------------------------------------------------------------


class Regime(StrEnum):
    """The ownership rules screened: OFAC's 50 Percent Rule and BIS's Affiliates rule."""

    OFAC = "ofac_50_percent"
    BIS = "bis_affiliates"


class ListedOwner(BaseModel):
    """A graph node that screening found on a list that carries an ownership rule."""

    model_config = ConfigDict(frozen=True)

    node: str
    regime: Regime
    list: str
    entry_id: str
    listed_name: str
    license_requirement: str | None = None
    license_policy: str | None = None
    programs: tuple[str, ...] = ()


def _regime(list_code: str) -> Regime | None:
    if list_code in OFAC_LISTS:
        return Regime.OFAC
    if list_code in BIS_LISTS:
        return Regime.BIS
    return None


def _listed(node: str, hit: Hit) -> ListedOwner | None:
    regime = _regime(hit.list)
    if regime is None:
        return None
    return ListedOwner(
        node=node,
        regime=regime,
        list=hit.list,
        entry_id=hit.entry_id,
        listed_name=hit.listed_name,
        license_requirement=hit.license_requirement,
        license_policy=hit.license_policy,
        programs=hit.programs,
    )


def listed_owners(
    results: Mapping[str, ScreeningResult | ReviewedResult],
) -> tuple[tuple[ListedOwner, ...], tuple[str, ...]]:
    """Listed owners from screening results keyed by graph node, plus warnings.

    Counts alert-level hits (and hits confirmed as true matches); suppressed false positives
    never count. Review-level hits are not counted but are named in a warning, because an
    undecided hit on an owner could change the outcome.
    """
    owners: set[ListedOwner] = set()
    warnings: list[str] = []
    for node, result in sorted(results.items()):
        for hit, counts, pending in _hit_states(result):
            listed = _listed(node, hit)
            if listed is None:
                continue
            if counts:
                owners.add(listed)
            elif pending:
                warnings.append(
                    f"owner {node!r}: undecided review-level hit on {hit.list} {hit.entry_id} "
                    f"({hit.listed_name}) not counted as listed; decide it"
                )
    return tuple(sorted(owners, key=_owner_sort)), tuple(warnings)


def _hit_states(result: ScreeningResult | ReviewedResult) -> list[tuple[Hit, bool, bool]]:
    if isinstance(result, ReviewedResult):
        return [
            (
                h.hit,
                h.state is HitState.CONFIRMED
                or (h.state is not HitState.SUPPRESSED and h.hit.status is Status.ALERT),
                h.state in (HitState.OPEN, HitState.ESCALATED),
            )
            for h in result.hits
        ]
    return [(h, h.status is Status.ALERT, True) for h in result.hits]


def _owner_sort(o: ListedOwner) -> tuple[str, str, str, str]:
    return (o.node, o.regime.value, o.list, o.entry_id)


# -- settings --------------------------------------------------------------------------------


class AffiliatesSetting(StrEnum):
    """Status of the BIS Affiliates rule after 2026-11-09 (unconfirmed; the user decides)."""

    IN_FORCE = "in_force"
    SUSPENDED = "suspended"


class OwnershipSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    on: date = Field(description="the date of the transaction being screened")
    affiliates_after_suspension: AffiliatesSetting = Field(
        default=AffiliatesSetting.IN_FORCE,
        description="BIS Affiliates rule after 2026-11-09: default 'in_force', since 90 FR 50857 "
        "re-imposes it on 2026-11-10 absent an extension; no later notice was confirmed",
    )


def affiliates_applied(settings: OwnershipSettings) -> tuple[bool, str, tuple[str, ...]]:
    """Whether the Affiliates rule applies on ``settings.on``, the sentence saying so, warnings."""
    after = (
        AffiliatesStatus.IN_FORCE
        if settings.affiliates_after_suspension is AffiliatesSetting.IN_FORCE
        else AffiliatesStatus.SUSPENDED
    )
    status = affiliates_status(RulesetSettings(affiliates_after_suspension=after), settings.on)
    day = settings.on.isoformat()
    text = (
        f"BIS Affiliates rule (90 FR 47201) {status.value} on {day}: in force "
        "2025-09-29..2025-11-09, suspended 2025-11-10..2026-11-09 (90 FR 50857)"
    )
    warnings: tuple[str, ...] = ()
    if settings.on > AFFILIATES_SUSPENSION_END:
        text += f"; after 2026-11-09 by setting '{settings.affiliates_after_suspension.value}'"
        warnings = (
            "WARNING: the status of the BIS Affiliates rule after 2026-11-09 is unconfirmed "
            "(90 FR 50857 re-imposes it on 2026-11-10 absent an extension); applied setting "
            f"'{settings.affiliates_after_suspension.value}'. Check the Federal Register.",
        )
    return status is AffiliatesStatus.IN_FORCE, text, warnings


# -- the computation -------------------------------------------------------------------------


class FindingStatus(StrEnum):
    """A node's result, strongest first: on a list, owned enough to be restricted, not
    decidable from the data given (e.g. unknown shares), or clear."""

    LISTED = "listed"
    FLAGGED = "flagged"
    UNRESOLVED = "unresolved"
    CLEAR = "clear"


class Holding(BaseModel):
    """One restricted (or possibly restricted) direct owner's share in the node."""

    model_config = ConfigDict(frozen=True)

    owner: str
    percent: Decimal | None = Field(description="None: listed owner, share unknown")
    owner_status: FindingStatus
    path: tuple[str, ...] = Field(description="listed owner -> ... -> owner -> this node")


class Requirement(BaseModel):
    model_config = ConfigDict(frozen=True)

    regime: Regime
    owner: str
    list: str
    entry_id: str
    listed_name: str
    license_requirement: str | None
    license_policy: str | None
    rank: int = Field(description="strictness: higher is stricter (see strictness())")


class RegimeFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    regime: Regime
    applied: bool = Field(description="False: the rule is not in force on the date; informative")
    status: FindingStatus
    aggregate: Decimal = Field(description="known % held by restricted owners")
    holdings: tuple[Holding, ...] = ()
    strictest: Requirement | None = None
    explanation: str
    citation: str


class OwnershipFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    node: str
    status: FindingStatus = Field(description="strictest status among the applied regimes")
    regimes: tuple[RegimeFinding, ...]
    strictest: Requirement | None = None


class OwnershipReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    on: date
    affiliates_rule: str
    findings: tuple[OwnershipFinding, ...]
    issues: tuple[OwnershipIssue, ...] = ()
    warnings: tuple[str, ...] = ()


def strictness(owner: ListedOwner) -> int:
    """OFAC blocking 5; then the BIS license review policy (Supp. No. 4 to 15 CFR part 744):
    policy of denial 4, presumption of denial 3, case-by-case 2, approval 1, not stated 0."""
    if owner.regime is Regime.OFAC:
        return 5
    policy = (owner.license_policy or "").lower()
    if "presumption of denial" in policy:
        return 3
    if "denial" in policy:
        return 4
    if "case-by-case" in policy or "case by case" in policy:
        return 2
    if "approval" in policy:
        return 1
    return 0


def screen_ownership(
    graph: OwnershipGraph,
    listed: Sequence[ListedOwner],
    settings: OwnershipSettings,
    *,
    warnings: Sequence[str] = (),
) -> OwnershipReport:
    """Flag every node owned 50 % or more by listed parties, under each rule, with paths."""
    bis_applied, bis_text, bis_warnings = affiliates_applied(settings)
    nodes = sorted(set(graph.nodes()) | {o.node for o in listed})
    per_regime = {
        regime: _regime_findings(
            graph,
            [o for o in listed if o.regime is regime],
            regime,
            nodes,
            applied=regime is Regime.OFAC or bis_applied,
        )
        for regime in Regime
    }
    findings = [_combine(node, tuple(per_regime[r][node] for r in Regime)) for node in nodes]
    return OwnershipReport(
        on=settings.on,
        affiliates_rule=bis_text,
        findings=tuple(findings),
        issues=graph.issues,
        warnings=(*bis_warnings, *warnings),
    )


_ORDER = {
    FindingStatus.LISTED: 3,
    FindingStatus.FLAGGED: 2,
    FindingStatus.UNRESOLVED: 1,
    FindingStatus.CLEAR: 0,
}


def _combine(node: str, parts: tuple[RegimeFinding, ...]) -> OwnershipFinding:
    # A party on a list is listed whether or not an ownership rule is in force.
    applied = [p for p in parts if p.applied or p.status is FindingStatus.LISTED]
    status = max((p.status for p in applied), key=_ORDER.__getitem__, default=FindingStatus.CLEAR)
    reqs = [p.strictest for p in applied if p.strictest is not None and p.status is not _CLEAR]
    strictest = max(reqs, key=lambda r: (r.rank, r.regime.value), default=None)
    return OwnershipFinding(node=node, status=status, regimes=parts, strictest=strictest)


_CLEAR = FindingStatus.CLEAR


def aggregates(
    edges: Iterable[OwnershipEdge], roots: Iterable[str], *, unknown_as_full: bool = False
) -> tuple[dict[str, int], dict[str, Decimal]]:
    """Rounds at which nodes became restricted (roots: 0) and each node's restricted share.

    Round k adds every node whose shares held by nodes of rounds < k reach ``THRESHOLD``; the
    final share counts all restricted owners. Each edge is read once (O(nodes + edges)), and
    the result does not depend on edge order. ``unknown_as_full`` counts a blank share as
    100 %: the upper bound used for "share unknown" red flags.
    """
    out: dict[str, list[tuple[str, Decimal | None]]] = {}
    totals: dict[str, Decimal] = {}
    for e in edges:
        out.setdefault(e.owner, []).append((e.owned, e.percent))
        totals.setdefault(e.owned, Decimal(0))
    levels: dict[str, int] = {}
    frontier = sorted(set(roots))
    level = 0
    while frontier:
        for node in frontier:
            levels[node] = level
        touched: set[str] = set()
        for node in frontier:
            for owned, percent in out.get(node, ()):
                share = HUNDRED if percent is None and unknown_as_full else percent
                if share is not None:
                    totals[owned] += share
                    touched.add(owned)
        frontier = sorted(n for n in touched if n not in levels and totals[n] >= THRESHOLD)
        level += 1
    return levels, totals


def _regime_findings(
    graph: OwnershipGraph,
    owners: Sequence[ListedOwner],
    regime: Regime,
    nodes: Sequence[str],
    applied: bool,
) -> dict[str, RegimeFinding]:
    roots = sorted({o.node for o in owners})
    levels, totals = aggregates(graph.edges, roots)
    possible = set(aggregates(graph.edges, roots, unknown_as_full=True)[0])
    into: dict[str, list[OwnershipEdge]] = {}
    for e in graph.edges:
        into.setdefault(e.owned, []).append(e)
    paths = _paths(levels, into)
    by_root: dict[str, list[Requirement]] = {}
    for o in owners:
        by_root.setdefault(o.node, []).append(_requirement(regime, o))
    best_root = {node: max(reqs, key=_req_key) for node, reqs in by_root.items()}
    definite = _propagate_strictest(graph.edges, set(levels), best_root)
    upper = _propagate_strictest(graph.edges, possible, best_root)
    citation = OFAC_CITATION if regime is Regime.OFAC else BIS_CITATION
    found: dict[str, RegimeFinding] = {}
    for node in nodes:
        status = _status(node, levels, possible)
        holdings = _holdings(into.get(node, []), levels, possible, paths)
        total = totals.get(node, Decimal(0))
        found[node] = RegimeFinding(
            regime=regime,
            applied=applied,
            status=status,
            aggregate=total,
            holdings=holdings,
            strictest=_STRICTEST_FROM[status](definite, upper).get(node),
            explanation=_explanation(node, status, total, holdings),
            citation=citation
            if status is not FindingStatus.UNRESOLVED
            else f"{citation}; {RED_FLAG_CITATION}",
        )
    return found


_STRICTEST_FROM: dict[
    FindingStatus,
    Callable[[dict[str, Requirement], dict[str, Requirement]], dict[str, Requirement]],
] = {
    FindingStatus.LISTED: lambda definite, _: definite,
    FindingStatus.FLAGGED: lambda definite, _: definite,
    FindingStatus.UNRESOLVED: lambda _, upper: upper,
    FindingStatus.CLEAR: lambda _, __: {},
}
"""Confirmed findings take the strictest confirmed owner; unresolved ones the possible."""


def _req_key(r: Requirement) -> tuple[int, str, str, str]:
    return (r.rank, r.owner, r.list, r.entry_id)


def _paths(
    levels: Mapping[str, int], into: Mapping[str, list[OwnershipEdge]]
) -> dict[str, tuple[str, ...]]:
    """For each restricted node, one path from a listed owner: through the largest holder
    restricted in an earlier round (ties by name), so paths never loop."""
    paths: dict[str, tuple[str, ...]] = {}
    for node in sorted(levels, key=lambda n: (levels[n], n)):
        if levels[node] == 0:
            paths[node] = (node,)
            continue
        earlier = [
            e
            for e in into.get(node, [])
            if e.owner in levels and levels[e.owner] < levels[node] and e.percent is not None
        ]
        best = min(earlier, key=lambda e: (-(e.percent or Decimal(0)), e.owner))
        paths[node] = (*paths[best.owner], node)
    return paths


def _propagate_strictest(
    edges: Iterable[OwnershipEdge],
    through: set[str],
    best_root: Mapping[str, Requirement],
) -> dict[str, Requirement]:
    """The strictest listed owner's requirement upstream of each node, through owners in
    ``through``; a worklist of max-updates, so cycles end."""
    out: dict[str, list[str]] = {}
    for e in edges:
        if e.owner in through:
            out.setdefault(e.owner, []).append(e.owned)
    best: dict[str, Requirement] = dict(best_root)
    work = sorted(best_root)
    while work:
        node = work.pop()
        for owned in out.get(node, ()):
            current = best.get(owned)
            if current is None or _req_key(best[node]) > _req_key(current):
                best[owned] = best[node]
                work.append(owned)
    return best


def _status(node: str, levels: Mapping[str, int], possible: set[str]) -> FindingStatus:
    if levels.get(node) == 0:
        return FindingStatus.LISTED
    if node in levels:
        return FindingStatus.FLAGGED
    if node in possible:
        return FindingStatus.UNRESOLVED
    return FindingStatus.CLEAR


def _holdings(
    owned_by: Sequence[OwnershipEdge],
    levels: Mapping[str, int],
    possible: set[str],
    paths: Mapping[str, tuple[str, ...]],
) -> tuple[Holding, ...]:
    held = []
    for e in sorted(owned_by, key=lambda e: e.owner):
        if e.owner in levels:
            status = _status(e.owner, levels, possible)
            path = (*paths.get(e.owner, (e.owner,)), e.owned)
        elif e.owner in possible:
            status, path = FindingStatus.UNRESOLVED, (e.owner, e.owned)
        else:
            continue
        held.append(Holding(owner=e.owner, percent=e.percent, owner_status=status, path=path))
    return tuple(held)


def _requirement(regime: Regime, owner: ListedOwner) -> Requirement:
    return Requirement(
        regime=regime,
        owner=owner.node,
        list=owner.list,
        entry_id=owner.entry_id,
        listed_name=owner.listed_name,
        license_requirement=(
            "blocked: no dealings without OFAC authorization"
            if regime is Regime.OFAC
            else owner.license_requirement
        ),
        license_policy=owner.license_policy,
        rank=strictness(owner),
    )


def _explanation(
    node: str, status: FindingStatus, aggregate: Decimal, holdings: Sequence[Holding]
) -> str:
    if status is FindingStatus.LISTED:
        return f"{node} is itself listed"
    parts = [
        f"{' -> '.join(h.path)} ({'share unknown' if h.percent is None else f'{h.percent}%'})"
        for h in holdings
    ]
    via = "; ".join(parts) if parts else "no restricted owner"
    if status is FindingStatus.FLAGGED:
        return f"{aggregate}% held by restricted owners (50% or more): {via}"
    if status is FindingStatus.UNRESOLVED:
        return (
            f"{aggregate}% known held by restricted owners, but a listed owner's share is "
            f"unknown and could reach 50%: {via}"
        )
    return f"{aggregate}% held by restricted owners (below 50%): {via}"
