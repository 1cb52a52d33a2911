"""Foreign-direct product rules of 15 CFR 734.9, one module per paragraph.

``ALL_RULES`` lists them in regulation order, (b) to (l); the determination engine runs
every one and reports each, even once the item is already subject to the EAR.
"""

from __future__ import annotations

from compliance.ear.fdp import (
    advanced_computing,
    ai_weights,
    entity_list,
    iran,
    national_security,
    russia_belarus,
    russia_meu,
    series600,
    sme,
    supercomputer,
    x515,
)
from compliance.ear.fdp.base import (
    AdvancedComputingScope,
    EvalContext,
    FdpReadings,
    FdpResult,
    FdpRule,
    Outcome,
    PartyFootnotes,
    RuleOutcome,
    ScopeFinding,
    combine,
)
from compliance.ear.fdp.effective import dated

ALL_RULES: tuple[FdpRule, ...] = tuple(
    dated(rule)
    for rule in (
        national_security.RULE,
        x515.RULE,
        series600.RULE,
        entity_list.FOOTNOTE_1,
        entity_list.FOOTNOTE_4,
        entity_list.FOOTNOTE_5,
        russia_belarus.RULE,
        russia_meu.RULE,
        advanced_computing.RULE,
        supercomputer.RULE,
        iran.RULE,
        sme.RULE,
        ai_weights.RULE,
    )
)
"""Every rule, each wrapped with its start date (``compliance.ear.fdp.effective``)."""

__all__ = [
    "ALL_RULES",
    "AdvancedComputingScope",
    "EvalContext",
    "FdpReadings",
    "FdpResult",
    "FdpRule",
    "Outcome",
    "PartyFootnotes",
    "RuleOutcome",
    "ScopeFinding",
    "combine",
]
