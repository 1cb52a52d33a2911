"""Start dates of the foreign-direct product rules: an export made before a rule existed is
not caught by it.

Each paragraph of 15 CFR 734.9 that was created after 2019 carries the date its Federal
Register rule took effect. :class:`DatedRule` wraps a rule: before that date its destination
scope is "not met" for that reason, whatever the facts. Paragraphs (b), (c) and (d) predate
2020 (they were moved into 734.9 by 87 FR 6022 of 2022-02-03 without change of substance) and
are not dated here. Dates within a rule (Belarus, Crimea, Macau, the 2023 widening of (h) and
(i), the 2024 widening of (j)) are applied by the rule modules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.ear.case import Case
from compliance.ear.fdp.base import (
    EvalContext,
    FdpResult,
    FdpRule,
    Outcome,
    ScopeFinding,
    build_result,
)
from compliance.ear.settings import FN5_COMPLIANCE_DATE


@dataclass(frozen=True)
class RuleStart:
    """When a paragraph took effect, the rule that created it, and how sure we are."""

    on: date
    source: str
    verified: bool
    note: str = ""


RULE_STARTS: dict[str, RuleStart] = {
    "734.9(e)(1)": RuleStart(
        date(2020, 5, 15),
        "85 FR 29849",
        True,
        "the May 2020 text reached only items made from Huawei designs; the current text "
        "(85 FR 51596, 2020-08-17) is applied from the start",
    ),
    "734.9(e)(2)": RuleStart(date(2022, 10, 7), "87 FR 62186", False),
    "734.9(e)(3)": RuleStart(FN5_COMPLIANCE_DATE, "89 FR 96790 (compliance date)", False),
    "734.9(f)": RuleStart(date(2022, 2, 24), "87 FR 12226", True),
    "734.9(g)": RuleStart(date(2022, 2, 24), "87 FR 12226", True),
    "734.9(h)": RuleStart(date(2022, 10, 7), "87 FR 62186", False),
    "734.9(i)": RuleStart(date(2022, 10, 7), "87 FR 62186", False),
    "734.9(j)": RuleStart(date(2023, 2, 24), "88 FR 12150", True),
    "734.9(k)": RuleStart(FN5_COMPLIANCE_DATE, "89 FR 96790 (compliance date)", False),
    "734.9(l)": RuleStart(date(2025, 1, 13), "90 FR 4544", True),
}
"""``verified``: False where the day rests on secondary sources (law-firm summaries) only."""


def start_text(start: RuleStart) -> str:
    day = start.on.isoformat()
    sure = "" if start.verified else "; day from secondary sources, unverified"
    return f"{start.source}, in force from {day}{sure}"


@dataclass(frozen=True)
class DatedRule:
    """A rule that does not reach exports made before its start date."""

    inner: FdpRule
    start: RuleStart

    @property
    def rule_id(self) -> str:
        return self.inner.rule_id

    @property
    def title(self) -> str:
        return self.inner.title

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        result = self.inner.evaluate(case, ctx)
        on = ctx.export_date if ctx.export_date is not None else case.export_date
        if on >= self.start.on:
            return result
        before = ScopeFinding(
            outcome=Outcome.NOT_MET,
            reasons=(
                f"export date {on.isoformat()} is before 15 CFR {self.rule_id} existed "
                f"({start_text(self.start)})",
            ),
            facts_used=("export_date",),
            citation=result.destination_scope.citation,
        )
        return build_result(
            rule_id=result.rule_id,
            title=result.title,
            citation=result.citation,
            product=result.product_scope,
            destination=before,
            license_citations=result.license_citations,
        )


def dated(rule: FdpRule) -> FdpRule:
    """``rule`` wrapped with its start date, or unchanged when it predates 2020."""
    start = RULE_STARTS.get(rule.rule_id)
    return rule if start is None else DatedRule(rule, start)
