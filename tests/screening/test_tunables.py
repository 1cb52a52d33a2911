"""The scoring tunables: one frozen object, every number described (issue 16, section 8)."""

from __future__ import annotations

import dataclasses

import pytest

from compliance.screening import score
from compliance.screening.tunables import TUNABLES, ScoringTunables, describe


def test_every_tunable_has_a_one_line_description() -> None:
    rows = describe()
    assert len(rows) == len(dataclasses.fields(ScoringTunables))
    for name, value, description in rows:
        assert isinstance(value, int | float), name
        assert description.strip() and "\n" not in description, name


def test_tunables_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        TUNABLES.extra_query = 0.5  # type: ignore[misc]


def test_no_scoring_constant_is_declared_outside_the_tunables() -> None:
    for old in ("EXTRA_QUERY", "THIN_CAP", "COUNTRY_AGREE", "SKELETON_SIMILARITY", "LONG_WORD"):
        assert not hasattr(score, old)
    assert score.CLASS_WEIGHT[score.TokenClass.GENERIC] == TUNABLES.generic_weight
