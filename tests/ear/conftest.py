"""Fixtures for the EAR engine tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ear_case_factory import build

from compliance.ear.case import Case

EarCase = Callable[..., Case]


@pytest.fixture
def ear_case() -> EarCase:
    return build
