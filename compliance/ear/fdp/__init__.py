"""Foreign-direct product rules of 15 CFR 734.9, one module per paragraph."""

from __future__ import annotations

from compliance.ear.fdp.base import (
    EvalContext,
    FdpResult,
    FdpRule,
    Outcome,
    PartyFootnotes,
    RuleOutcome,
    ScopeFinding,
    combine,
)

ALL_RULES: tuple[FdpRule, ...] = ()

__all__ = [
    "ALL_RULES",
    "EvalContext",
    "FdpResult",
    "FdpRule",
    "Outcome",
    "PartyFootnotes",
    "RuleOutcome",
    "ScopeFinding",
    "combine",
]
