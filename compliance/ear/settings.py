"""Ruleset settings: provisions whose force depends on a date or on an enforcement choice.

Two provisions of the EAR are in flux as of this release and are therefore settings, not
hard rules (see docs/ear.md, "Settings and their dates"):

* The AI Diffusion rule (90 FR 4544, effective 2025-01-13) is still in the CFR text of
  15 CFR 734.9(h)(2) and 734.9(l), but BIS announced on 2025-05-13 that it will not enforce it.
* The Affiliates ("50 percent") rule (90 FR 47201, effective 2025-09-29) was suspended from
  2025-11-10 through 2026-11-09 (90 FR 50857); its status after that is not confirmed, so it
  is a user setting with a documented default.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

AI_DIFFUSION_EFFECTIVE = date(2025, 1, 13)
"""90 FR 4544 (Framework for Artificial Intelligence Diffusion) effective date."""
AI_DIFFUSION_NON_ENFORCEMENT = date(2025, 5, 13)
"""BIS press release announcing that the AI Diffusion rule will not be enforced."""
AFFILIATES_RULE_EFFECTIVE = date(2025, 9, 29)
"""90 FR 47201 (Expansion of End-User Controls To Cover Affiliates) effective date."""
AFFILIATES_SUSPENSION_START = date(2025, 11, 10)
"""First day of the one-year suspension, 90 FR 50857."""
AFFILIATES_SUSPENSION_END = date(2026, 11, 9)
"""Last day of the one-year suspension, 90 FR 50857."""
FN5_COMPLIANCE_DATE = date(2024, 12, 31)
"""Compliance date of 89 FR 96790 (footnote 5, 734.4(a)(8)-(9), 734.9(e)(3) and (k))."""


class AiDiffusionMode(StrEnum):
    """Which text of 15 CFR 734.9(h)(2) and (l) to apply (values match compliance.ear.fdp)."""

    AS_ENFORCED = "as enforced"
    AS_WRITTEN = "as written"


class SupercomputerScope(StrEnum):
    """Destination wording of 15 CFR 734.9(i): an open question (ear-reference.md section 8)."""

    MACAU_OR_D5 = "macau or d:5"
    PRC_OR_MACAU = "prc or macau"
    UNRESOLVED = "unresolved"


class AdvancedComputingScope(StrEnum):
    """Destination wording of 15 CFR 734.9(h) "as enforced" (before AI Diffusion).

    Macau and D:5 are certain (88 FR 2821; 88 FR 73458). Whether the 2023 rule also reached
    D:1/D:4 destinations not in A:5/A:6 rests on one summary (ear-reference.md, correction 6).
    """

    MACAU_OR_D5 = "macau or d:5"
    WITH_D1_D4 = "macau, d:1, d:4 or d:5 (not a:5/a:6)"
    UNRESOLVED = "unresolved"


class AffiliatesStatus(StrEnum):
    """Whether the Affiliates rule (90 FR 47201) governs an export on a given date."""

    NOT_YET = "not yet in force"
    IN_FORCE = "in force"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"
    """Status not known: a party owned 50 % or more by listed parties leaves every rule that
    depends on it indeterminate, never "applies" (only "no" ownership settles a party)."""


class RulesetSettings(BaseModel):
    """Caller choices for provisions in flux; every determination records them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _read_like_facts(cls, data: Any) -> Any:
        """A setting's value ignores case and extra spaces, as the case's facts do; "not
        known" for the Affiliates status is "unknown". Anything else is still refused."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for key, value in data.items():
            if isinstance(value, str):
                text = " ".join(value.lower().split())
                if key == "affiliates_after_suspension" and text == "not known":
                    text = AffiliatesStatus.UNKNOWN.value
                out[key] = text
        return out

    ai_diffusion: AiDiffusionMode = Field(
        default=AiDiffusionMode.AS_ENFORCED,
        description="AI Diffusion (90 FR 4544) provisions of 15 CFR 734.9(h)(2) and (l): "
        "'as enforced' (BIS non-enforcement announced 2025-05-13, default) or 'as written'",
    )
    affiliates_after_suspension: AffiliatesStatus = Field(
        default=AffiliatesStatus.IN_FORCE,
        description="status of the Affiliates rule (90 FR 47201) for exports after 2026-11-09, "
        "the end of the suspension in 90 FR 50857: 'in force' (default; re-imposed absent an "
        "extension, as 90 FR 50857 provides), 'suspended' or 'unknown'",
    )
    supercomputer_scope: SupercomputerScope = Field(
        default=SupercomputerScope.MACAU_OR_D5,
        description="destination wording of 15 CFR 734.9(i) from 2023-11-17: default 'macau "
        "or d:5' (88 FR 73458, as 15 CFR 744.23 reads); 'unresolved' leaves D:5 destinations "
        "other than China indeterminate",
    )
    advanced_computing_scope: AdvancedComputingScope = Field(
        default=AdvancedComputingScope.WITH_D1_D4,
        description="destinations of 15 CFR 734.9(h) 'as enforced' from 2023-11-17 "
        "(88 FR 73458): default Macau, D:5, and D:1/D:4 destinations not also in A:5/A:6, as "
        "the rule text and the matching license requirement of 742.6(a)(6)(iii) read; "
        "'unresolved' leaves the D:1/D:4 destinations indeterminate",
    )


def affiliates_status(settings: RulesetSettings, on: date) -> AffiliatesStatus:
    """The Affiliates rule status for an export on ``on`` (90 FR 47201; 90 FR 50857)."""
    if on < AFFILIATES_RULE_EFFECTIVE:
        return AffiliatesStatus.NOT_YET
    if on < AFFILIATES_SUSPENSION_START:
        return AffiliatesStatus.IN_FORCE
    if on <= AFFILIATES_SUSPENSION_END:
        return AffiliatesStatus.SUSPENDED
    return settings.affiliates_after_suspension


def ai_diffusion_applies(settings: RulesetSettings, on: date) -> bool:
    """Whether the AI Diffusion text of 15 CFR 734.9(h)(2) and (l) governs an export on ``on``."""
    if on < AI_DIFFUSION_EFFECTIVE:
        return False
    return settings.ai_diffusion is AiDiffusionMode.AS_WRITTEN


def describe(settings: RulesetSettings, on: date) -> tuple[str, ...]:
    """One line per setting with its effect on ``on``, for determinations and reports."""
    ai = (
        "applied as written (15 CFR 734.9(h)(2), (l); 90 FR 4544)"
        if ai_diffusion_applies(settings, on)
        else f"not applied (BIS non-enforcement of {AI_DIFFUSION_NON_ENFORCEMENT}; 90 FR 4544)"
        if on >= AI_DIFFUSION_EFFECTIVE
        else f"not applied (export before 90 FR 4544 took effect on {AI_DIFFUSION_EFFECTIVE})"
    )
    aff = affiliates_status(settings, on)
    return (
        f"AI Diffusion provisions: {ai}; setting '{settings.ai_diffusion.value}'.",
        f"Affiliates rule (90 FR 47201) on the export date {on.isoformat()}: {aff.value}; in force "
        "2025-09-29..2025-11-09, suspended 2025-11-10..2026-11-09 (90 FR 50857), after that "
        f"'{settings.affiliates_after_suspension.value}' by setting.",
        f"15 CFR 734.9(i) destination reading: '{settings.supercomputer_scope.value}'.",
        "15 CFR 734.9(h) destination reading (as enforced): "
        f"'{settings.advanced_computing_scope.value}'.",
    )
