"""Dated ruleset settings: AI Diffusion enforcement and the Affiliates rule timeline."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.ear.settings import (
    AffiliatesStatus,
    AiDiffusionMode,
    RulesetSettings,
    affiliates_status,
    ai_diffusion_applies,
    describe,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 9, 28), AffiliatesStatus.NOT_YET),
        (date(2025, 9, 29), AffiliatesStatus.IN_FORCE),
        (date(2025, 11, 9), AffiliatesStatus.IN_FORCE),
        (date(2025, 11, 10), AffiliatesStatus.SUSPENDED),
        (date(2026, 11, 9), AffiliatesStatus.SUSPENDED),
        (date(2026, 11, 10), AffiliatesStatus.IN_FORCE),
    ],
)
def test_affiliates_timeline_with_default(day: date, expected: AffiliatesStatus) -> None:
    assert affiliates_status(RulesetSettings(), day) is expected


def test_affiliates_after_suspension_follows_the_setting_only_after_2026_11_09() -> None:
    settings = RulesetSettings(affiliates_after_suspension=AffiliatesStatus.SUSPENDED)
    assert affiliates_status(settings, date(2026, 11, 10)) is AffiliatesStatus.SUSPENDED
    assert affiliates_status(settings, date(2025, 10, 1)) is AffiliatesStatus.IN_FORCE


def test_ai_diffusion_as_enforced_by_default() -> None:
    assert not ai_diffusion_applies(RulesetSettings(), date(2026, 6, 1))
    written = RulesetSettings(ai_diffusion=AiDiffusionMode.AS_WRITTEN)
    assert ai_diffusion_applies(written, date(2025, 1, 13))
    assert not ai_diffusion_applies(written, date(2025, 1, 12))


def test_describe_names_the_dates_and_the_citations() -> None:
    lines = describe(RulesetSettings(), date(2026, 11, 29))
    assert any(
        "90 FR 50857" in text and "export date 2026-11-29: in force" in text for text in lines
    )
    assert any("2025-05-13" in text for text in lines)


def test_unknown_setting_is_rejected() -> None:
    with pytest.raises(ValueError, match="affiliates"):
        RulesetSettings.model_validate({"affiliates": "off"})
