"""Shared vocabulary of the foreign-direct product (FDP) rules, 15 CFR 734.9.

Every rule in 15 CFR 734.9(b)-(l) is a product scope AND a destination/end-user/end-use
scope. Each scope is tri-state (met / not met / unknown) because a fact the caller left out
is unknown, not false: a missing fact can make a rule indeterminate, never "does not apply".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field

from compliance.ear.settings import (
    AdvancedComputingScope,
    AiDiffusionMode,
    RulesetSettings,
    SupercomputerScope,
)
from compliance.ear.trusted import trusted

if TYPE_CHECKING:
    from compliance.ear.case import Case

__all__ = [
    "AdvancedComputingScope",
    "AiDiffusionMode",
    "EvalContext",
    "FdpReadings",
    "FdpResult",
    "FdpRule",
    "Outcome",
    "PartyFootnotes",
    "RuleOutcome",
    "ScopeFinding",
    "SupercomputerScope",
    "all_of",
    "any_of",
    "build_result",
    "combine",
    "unique_in_order",
]


class Outcome(StrEnum):
    """Tri-state result of one scope (or one prong of a scope)."""

    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "unknown"


# Bound once: an enum member lookup goes through the enum metaclass, and the prong helpers
# compare outcomes on every rule of every case.
_MET = Outcome.MET
_NOT_MET = Outcome.NOT_MET
_UNKNOWN = Outcome.UNKNOWN


class RuleOutcome(StrEnum):
    """Whether an FDP rule reaches the foreign-produced item."""

    APPLIES = "applies"
    DOES_NOT_APPLY = "does not apply"
    INDETERMINATE = "indeterminate"


class FdpReadings(BaseModel):
    """Overrides of readings for direct callers of the rules (tests, what-if analysis).

    The case's own ``settings`` section is the normal place to set a reading
    (``settings.advanced_computing_scope``); a value here, when given, takes precedence.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    advanced_computing_scope: AdvancedComputingScope | None = Field(
        default=None,
        description="734.9(h) 'as enforced' destinations; None = settings.advanced_computing_scope",
    )


class ScopeFinding(BaseModel):
    """One scope of a rule (product, or destination/end user/end use) with its evidence."""

    model_config = ConfigDict(frozen=True)

    outcome: Outcome
    reasons: tuple[str, ...] = ()
    facts_used: tuple[str, ...] = Field(
        default=(), description="dotted case field paths read, e.g. 'item.eccn'"
    )
    missing_facts: tuple[str, ...] = Field(
        default=(), description="dotted case field paths whose absence left the scope unknown"
    )
    citation: str
    closed_by: tuple[tuple[str, ...], ...] = Field(
        default=(),
        exclude=True,
        description="while unknown, the sets of missing facts whose negative answers ('no', "
        "'none', not listed) would each leave the scope not met, smallest first; engine data "
        "for Determination.enough_to_decide, derived from the other fields' prongs, so not "
        "serialised and not part of equality",
    )

    def _identity(self) -> tuple[object, ...]:
        return (self.outcome, self.reasons, self.facts_used, self.missing_facts, self.citation)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScopeFinding):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


class FdpResult(BaseModel):
    """The finding of one FDP rule for one case."""

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(description="paragraph of 15 CFR 734.9, e.g. '734.9(e)(1)'")
    title: str
    citation: str
    product_scope: ScopeFinding
    destination_scope: ScopeFinding
    outcome: RuleOutcome
    reasons: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    license_citations: tuple[str, ...] = Field(
        default=(), description="where the license requirement for captured items sits"
    )


class PartyFootnotes(BaseModel):
    """Entity List footnotes resolved for one party before the rules run.

    ``screening_inconclusive``: False = the footnote set is definitive (given by the caller
    or screening found a clear result); True = a review-level (inconclusive) Entity List
    match exists, so the party may carry footnotes not listed here; None = neither given
    nor screened. Only False lets an Entity List prong be "not met" for this party.
    """

    model_config = ConfigDict(frozen=True)

    role: str = Field(description="purchaser, intermediate consignee, ultimate consignee, end user")
    name: str | None = None
    footnotes: frozenset[int] = frozenset()
    screening_inconclusive: bool | None = None
    sources: tuple[str, ...] = Field(
        default=(), description="where the footnotes came from (caller, entry ids), for reports"
    )


class EvalContext(BaseModel):
    """What the determination engine resolved before the FDP rules run.

    ``parties_footnotes`` holds one entry per party (several may share a role), with the
    Entity List footnotes found by screening or given by the caller, Affiliates-rule
    footnotes included when that rule is in force on the export date. ``settings`` and
    ``export_date`` default to the case's own when the engine leaves them out.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    parties_footnotes: tuple[PartyFootnotes, ...] = ()
    settings: RulesetSettings | None = None
    export_date: date | None = None
    readings: FdpReadings = FdpReadings()


class FdpRule(Protocol):
    """One paragraph of 15 CFR 734.9."""

    @property
    def rule_id(self) -> str: ...

    @property
    def title(self) -> str: ...

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult: ...


def _outcome(value: Outcome | ScopeFinding) -> Outcome:
    return value.outcome if isinstance(value, ScopeFinding) else value


def combine(product: Outcome | ScopeFinding, destination: Outcome | ScopeFinding) -> RuleOutcome:
    """Applies iff both scopes are met; does not apply iff either is not met."""
    p, d = _outcome(product), _outcome(destination)
    if Outcome.NOT_MET in (p, d):
        return RuleOutcome.DOES_NOT_APPLY
    if p is Outcome.MET and d is Outcome.MET:
        return RuleOutcome.APPLIES
    return RuleOutcome.INDETERMINATE


def any_of(outcomes: Iterable[Outcome]) -> Outcome:
    """Disjunction of prongs: met if any is met, not met only if every prong is not met."""
    values = tuple(outcomes)
    if _MET in values:
        return _MET
    if values and all(v is _NOT_MET for v in values):
        return _NOT_MET
    return _UNKNOWN


def all_of(outcomes: Iterable[Outcome]) -> Outcome:
    """Conjunction of conditions: not met if any is not met, met only if every one is met."""
    values = tuple(outcomes)
    if _NOT_MET in values:
        return _NOT_MET
    if all(v is _MET for v in values):
        return _MET
    return _UNKNOWN


def unique_in_order(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` without repeats, first occurrence kept (reports stay in a stable order)."""
    return tuple(dict.fromkeys(values))


def build_result(
    *,
    rule_id: str,
    title: str,
    citation: str,
    product: ScopeFinding,
    destination: ScopeFinding,
    license_citations: tuple[str, ...],
) -> FdpResult:
    """Assemble an FdpResult; missing facts are reported only while the rule is undecided."""
    outcome = combine(product, destination)
    if outcome is RuleOutcome.APPLIES:
        head = f"{citation} applies: product scope and destination scope are both met."
        missing: tuple[str, ...] = ()
    elif outcome is RuleOutcome.DOES_NOT_APPLY:
        which = [
            name
            for name, f in (("product scope", product), ("destination scope", destination))
            if f.outcome is Outcome.NOT_MET
        ]
        head = f"{citation} does not apply: {' and '.join(which)} not met."
        missing = ()
    else:
        missing = unique_in_order((*product.missing_facts, *destination.missing_facts))
        head = (
            f"{citation} is indeterminate: "
            f"product scope {product.outcome.value}, destination scope "
            f"{destination.outcome.value}; missing: {', '.join(missing) or 'none named'}."
        )
    return trusted(
        FdpResult,
        rule_id=rule_id,
        title=title,
        citation=citation,
        product_scope=product,
        destination_scope=destination,
        outcome=outcome,
        reasons=(head, *product.reasons, *destination.reasons),
        missing_facts=missing,
        license_citations=license_citations,
    )
