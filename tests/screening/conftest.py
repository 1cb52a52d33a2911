"""Fixtures for the screening tests: small hand-built lists and the real 2026 CSL."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.screening.screener import Screener
from compliance.watchlists.snapshot import ListSnapshot

from .listdata import HAND_ENTRIES, snapshot

CSL_2026 = Path("lists/csl/2026-07-31_compact/consolidated.csv")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every hypothesis test of the screening is a ``property``: `.ci/run` runs them again
    under the ``thorough`` profile (thousands of examples each, tests/conftest.py)."""
    for item in items:
        if "tests/screening/" in str(item.path).replace("\\", "/") and getattr(
            getattr(item, "obj", None), "is_hypothesis_test", False
        ):
            item.add_marker(pytest.mark.property)


@pytest.fixture(scope="session")
def hand_snapshot() -> ListSnapshot:
    return snapshot(*HAND_ENTRIES)


@pytest.fixture(scope="session")
def hand_screener(hand_snapshot: ListSnapshot) -> Screener:
    return Screener([hand_snapshot])


@pytest.fixture(scope="session")
def csl_2026(shared_data: Path) -> ListSnapshot:
    from compliance.watchlists.readers.csl_csv import read_csl_csv

    return read_csl_csv(shared_data / CSL_2026)


@pytest.fixture(scope="session")
def csl_screener(csl_2026: ListSnapshot) -> Screener:
    return Screener([csl_2026])
